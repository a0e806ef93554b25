"""patuh: rules-as-code compliance audits of Indonesian public-service regulations.

The modules follow the data, in this order:
  source_yaml, fact_model, vocabulary, facts        facts YAML -> validated model
  regulation_text, fact_paths, rule_model, rules    rule files + regulation text -> rule set
  compile, durable_backend                          rule set -> compiled rules and their judge
  queries, time_periods, evaluate, findings         facts x rules -> findings
  working_days                                      the Indonesian working-day calendar (hari kerja)
  sanctions, follow_up                              findings -> sanctions, and against the previous report
  report                                            findings -> JSON / Markdown / HTML
  audit, cli                                        the whole path, and the command line
"""

__version__ = "0.1.0"

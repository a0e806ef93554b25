"""patuh: rules-as-code compliance audits of Indonesian public-service regulations.

The modules follow the data, in this order:
  source_yaml, fact_model, vocabulary, facts        facts YAML -> validated model
  survey                                            an SKM responses sheet -> NRR, IKM, mutu (read with the facts)
  regulation_text, fact_paths, rule_model, rules    rule files + regulation text -> rule set
  compile, durable_backend                          rule set -> compiled rules and their judge
  queries, time_periods, evaluate, findings         facts x rules -> findings
  working_days                                      the Indonesian working-day calendar (hari kerja)
  sanctions, follow_up                              findings -> sanctions, and against the previous report
  report                                            findings -> JSON / Markdown / HTML
  audit, cli                                        the whole path, and the command line

Built on that path, for each kind of user:
  batch                                             many units -> one report each and a dashboard (inspectorates)
  side_by_side, compare, compare_report             one unit under every regulation; regulations side by side (analysts)
  fact_template, remediation                        a facts file to fill in; the plan of what to fix first (units)
  survey_report                                     `patuh skm`: the IKM of a responses sheet, as published
"""

__version__ = "0.1.0"

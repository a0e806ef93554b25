"""patuh: rules-as-code compliance audits of Indonesian public-service regulations.

engine/ is the package `patuh`. Its folders are the stages the data flows through, in this
order; a module imports from its own stage and earlier ones, never from a later one
(tests/test_architecture.py holds every module to it). docs/ARCHITECTURE.md says what each
folder owns and where a new regulation, input kind or output format goes.

  problems     the problem every stage reports: file, line, field, message
  cache        what is kept between runs (checked rule sets, compiled templates, the holiday data's span)
  dates        the working-day calendar (hari kerja) and month/year arithmetic
  skm          the survey method: IKM from raw answers, Krejcie & Morgan, reading answer sheets
  model        the shapes of facts, fact paths and findings (pydantic)
  load         YAML with line numbers, regulation texts, vocabularies, facts files -> validated facts
  inputs       one module per input kind: what a rule may ask of the facts, and how it is answered
  rulesets     rule files -> checked rule sets; versions; choosing the one in force
  judge        rule sets compiled for durable-rules; facts x rules -> findings (language-free)
  law          findings -> the sanctions the regulation lists; follow-up against an earlier audit
  audit        the whole path for one unit, and the audit record (the JSON report's data)
  render       one Jinja environment, one format registry, one atomic writer, the label files
  documents    what people read: the audit report, comparison, side by side, remediation plan,
               facts template, SKM report
  batch        many units: discovery, routing by region, the worker pool, the summary and dashboard
  web          the web application: accounts, the database of audits and drafts, the interview
  cli          the command line: the only place (with the web layer) that prints
"""

__version__ = "0.1.0"

STAGES = ("problems", "cache", "dates", "skm", "model", "load", "inputs", "rulesets", "judge", "law", "audit", "render",
          "documents", "batch", "web", "cli")

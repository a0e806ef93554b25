"""The `patuh` command.

Exit codes: 0 ran and found no violation; 2 ran and found violations; 1 could not run
(bad input, unknown regulation, a date the regulation does not cover). Every "could not
run" is one or more lines naming the file, line and field; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, Optional, Sequence

# Only what every command needs is imported here; each command imports its stages when it
# runs, so `patuh --version` or `patuh calendar` does not wait for pydantic, durable-rules or
# SQLAlchemy (benchmarks/startup_benchmark.py). The stages' errors derive from the two classes
# of problems.py, which is how `main` tells them without importing the stages.
from . import __version__
from .dates.typed import typed_date
from .problems import CannotRun, InputError, InputProblems
from .render.formats import FORMATS, output_format

EXIT_OK, EXIT_FAILED, EXIT_VIOLATIONS = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    # argparse exits with 2 on a usage error; here 2 means "violations found".
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _date(text: str) -> date:
    try:
        return typed_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, got {text!r}")
    return number


def _parser() -> _Parser:
    parser = _Parser(prog="patuh", description="Compliance audits of Indonesian public-service regulations.")
    parser.add_argument("--version", action="version", version=f"patuh {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    audit = commands.add_parser("audit", help="audit one unit's facts against a regulation")
    audit.add_argument("facts", type=Path, help="the unit's facts (YAML)")
    audit.add_argument("--regulation", required=True,
                       help="regulation id or short name, e.g. tegal-perbup-63-2023 or tegal; `all`: every regulation side by side")
    audit.add_argument("--as-of", type=_date, default=None, help="audit date (default: today)")
    audit.add_argument("--format", choices=("json", "md", "html", "docx"), default=None,
                       help="report format (default: from the -o file's extension, else md); docx is the LHP")
    audit.add_argument("--document", choices=("report", "lhp"), default=None,
                       help="report: the audit report (default); lhp: the Laporan Hasil Pemeriksaan, as docx or html "
                            "(default html; `-o lhp.docx` alone writes the LHP)")
    audit.add_argument("--lang", choices=("id", "en"), default="id", help="report language (default: Indonesian)")
    audit.add_argument("-o", "--output", type=Path, help="write the report here (written whole or not at all)")
    audit.add_argument("--previous", type=Path, default=None,
                       help="the JSON report of the previous audit of this unit: marks findings new, still open or resolved")
    audit.add_argument("--responses", type=Path, default=None,
                       help="a YAML file of the unit's responses (tanggapan) to the violations and the waivers granted "
                            "(format: engine/model/responses.py, example facts/examples/responses/)")
    audit.add_argument("--judge", choices=("durable", "oracle"), default="durable",
                       help="durable-rules (default) or the plain-Python oracle; both give identical findings")

    batch = commands.add_parser("batch", help="audit every facts file of a folder or glob: a report per unit and a dashboard")
    batch.add_argument("facts", nargs="+", help="a folder of facts files, a glob such as 'units/**/*.yaml', or files")
    batch.add_argument("--as-of", type=_date, default=None, help="audit date, the same for every unit (default: today)")
    batch.add_argument("--regulation", default="auto",
                       help="regulation id or short name for every unit; auto (default): the one of each unit's region")
    batch.add_argument("-o", "--output", type=Path, required=True, help="folder for reports/, summary.json, summary.csv, dashboard.html")
    batch.add_argument("--format", default="json,html",
                       help="formats of the per-unit reports, comma-separated from json, md, html (default: json,html)")
    batch.add_argument("--lang", choices=("id", "en"), default="id", help="report language (default: Indonesian)")
    batch.add_argument("--judge", choices=("durable", "oracle"), default="durable")
    batch.add_argument("--workers", type=_at_least_one, default=None, help="worker processes (default: one per core)")

    validate = commands.add_parser("validate", help="check a facts file without auditing it")
    validate.add_argument("facts", type=Path)
    validate.add_argument("--as-of", type=_date, default=None, help="dates after this are refused (default: today)")

    calendar = commands.add_parser("calendar", help="working days (hari kerja), to check a deadline by hand")
    calendar_commands = calendar.add_subparsers(dest="calendar_command", required=True, parser_class=_Parser)
    add = calendar_commands.add_parser("add-workdays", help="the N-th working day after DATE")
    add.add_argument("start", type=_date)
    add.add_argument("days", type=int)
    between = calendar_commands.add_parser("between", help="working days after A up to and including B")
    between.add_argument("first", type=_date)
    between.add_argument("last", type=_date)
    for command in (add, between):
        command.add_argument("--day-off", type=_date, action="append", default=[],
                             help="a local day off (regional holiday); may be repeated")

    rules = commands.add_parser("rules", help="read the rules")
    rule_commands = rules.add_subparsers(dest="rules_command", required=True, parser_class=_Parser)
    listing = rule_commands.add_parser("list", help="list rules")
    listing.add_argument("--regulation", help="only this regulation")
    show = rule_commands.add_parser("show", help="show one rule file")
    show.add_argument("rule_id")
    coverage = rule_commands.add_parser("coverage", help="every obligation of a regulation and what covers it")
    coverage.add_argument("regulation")
    diff = rule_commands.add_parser("diff", help="what changed between two versions of a rule set")
    diff.add_argument("regulation")
    diff.add_argument("old_version")
    diff.add_argument("new_version")

    compare = commands.add_parser("compare", help="compare regulations: the topic matrix, or the differences between two")
    compare.add_argument("regulations", nargs="*", help="regulation ids or short names (default: all); two names show their differences")
    compare.add_argument("--matrix", action="store_true", help="with two regulations, show the matrix instead of the differences")
    compare.add_argument("--as-of", type=_date, default=None, help="compare the rule sets in force on this date (default: the newest)")
    _add_output_arguments(compare)

    template = commands.add_parser("template", help="a facts file to fill in for a self-assessment under one regulation")
    template.add_argument("--regulation", required=True, help="regulation id or short name")
    template.add_argument("--lang", choices=("id", "en"), default="id", help="language of the comments (default: Indonesian)")
    template.add_argument("--as-of", type=_date, default=None, help="the rule set in force on this date (default: the newest)")
    template.add_argument("-o", "--output", type=Path, help="write here (written whole or not at all)")

    todo = commands.add_parser("todo", help="the remediation plan of an audit: what to fix first, and who must act")
    todo.add_argument("facts", type=Path, help="the unit's facts (YAML)")
    todo.add_argument("--regulation", required=True, help="regulation id or short name")
    todo.add_argument("--as-of", type=_date, default=None, help="audit date (default: today)")
    todo.add_argument("--previous", type=Path, default=None, help="the JSON report of the previous audit (time-conditional sanctions)")
    todo.add_argument("--judge", choices=("durable", "oracle"), default="durable")
    _add_output_arguments(todo)
    add_skm_parser(commands)
    from .web.commands import add_commands as add_web_commands
    add_web_commands(commands)
    return parser


def emit(text: str, output: Optional[Path]) -> None:
    """Print `text`, or write it to `output` whole or not at all (a file that cannot be written is bad input).

    Here, in the command line, because only the command line prints (the library returns what it made)."""
    from .render.writer import write_atomically

    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomically(text, output)
    except OSError as error:
        raise InputError(output, f"cannot write here: {error.strerror or error}") from None
    print(f"{output}: written", file=sys.stderr)


def _add_output_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--format", choices=("json", "md", "html"), default=None,
                         help="output format (default: from the -o file's extension, else md)")
    command.add_argument("--lang", choices=("id", "en"), default="id", help="language (default: Indonesian)")
    command.add_argument("-o", "--output", type=Path, help="write here (written whole or not at all)")


def _as_of_or_today(arguments: argparse.Namespace) -> date:
    """The audit date; one beyond the holiday data is refused before anything is read."""
    from .dates.working_days import check_audit_date

    as_of = arguments.as_of
    if as_of is None:
        as_of = date.today()
        print(f"note: auditing as of today, {as_of.isoformat()} (give --as-of for the date the facts describe)", file=sys.stderr)
    check_audit_date(as_of)
    return as_of


def _show_warnings(warnings: Sequence[str]) -> None:
    # The library returns warnings as sentences; only the command decides they go to stderr.
    for warning in dict.fromkeys(warnings):
        print(f"warning: {warning}", file=sys.stderr)


def _selected(regulation: str, as_of: date | None = None, version: str | None = None):
    """The rule set the user named (the newest version unless a date or version is given), its warnings shown."""
    from .rulesets.select import select_ruleset

    ruleset, warnings = select_ruleset(regulation, as_of=as_of, version=version)
    _show_warnings(warnings)
    return ruleset


def _command_audit(arguments: argparse.Namespace) -> int:
    from .audit.pipeline import audit_file
    from .documents.audit_report import render
    from .render.labels import words as label_words
    from .render.writer import write_atomically

    as_of = _as_of_or_today(arguments)
    report_format = output_format(arguments.format, arguments.output)
    document, report_format = _audit_document(arguments, report_format)
    if arguments.regulation.strip().lower() == "all":
        if document == "lhp":
            raise UsageError("patuh audit: the LHP reports one regulation; it cannot be used with --regulation all")
        return _command_audit_all(arguments, as_of, report_format)
    result = audit_file(arguments.facts, arguments.regulation, as_of, language=arguments.lang, judge=arguments.judge,
                        previous_report=arguments.previous, responses_file=arguments.responses)
    _show_warnings(result.warnings)
    if document == "lhp":
        from .documents.lhp import render as render_lhp

        text = render_lhp(result.report, report_format)
    else:
        text = render(result.report, report_format)
    if arguments.output:
        try:
            if isinstance(text, bytes):
                from .render.writer import write_bytes_atomically

                write_bytes_atomically(text, arguments.output)
            else:
                write_atomically(text, arguments.output)
        except OSError as error:
            raise InputError(arguments.output, f"cannot write the report here: {error.strerror or error}") from None
        counts = result.report["summary"]["counts"]
        words = label_words(arguments.lang)["statuses"]
        print(f"{arguments.output}: " + ", ".join(f"{words[status]} {count}" for status, count in counts.items()), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_VIOLATIONS if result.violations else EXIT_OK


def _audit_document(arguments: argparse.Namespace, report_format: str) -> tuple[str, str]:
    """Which document `patuh audit` writes, and in which format: a .docx is always the LHP, and
    the LHP comes as docx or html (html when neither --format nor the -o extension names one)."""
    from .render.formats import FORMAT_BY_SUFFIX

    document = arguments.document or ("lhp" if report_format == "docx" else "report")
    if document == "report" and report_format == "docx":
        raise UsageError("patuh audit: a .docx is the LHP; use --document lhp, or another format for the audit report")
    if document == "lhp":
        named = arguments.format or FORMAT_BY_SUFFIX.get(arguments.output.suffix.lower() if arguments.output else "")
        report_format = named or "html"
        if report_format not in ("docx", "html"):
            raise UsageError(f"patuh audit: the LHP is written as docx or html, not {report_format} "
                             "(e.g. -o lhp.docx, or --format html)")
    if report_format == "docx" and arguments.output is None:
        raise UsageError("patuh audit: a .docx is a file, not text to print; give -o FILE.docx")
    return document, report_format


def _command_batch(arguments: argparse.Namespace) -> int:
    from .batch.discover import BatchUsageError, facts_files
    from .batch.run import run_batch
    from .batch.unit import BatchOptions

    as_of = _as_of_or_today(arguments)
    formats = tuple(dict.fromkeys(part.strip() for part in arguments.format.split(",") if part.strip()))
    regulation = None if arguments.regulation.strip().lower() == "auto" else arguments.regulation
    try:
        files = facts_files(arguments.facts)
        result = run_batch(files, BatchOptions(as_of=as_of, output=arguments.output, regulation=regulation,
                                               formats=formats, language=arguments.lang, judge=arguments.judge),
                           workers=arguments.workers)
    except BatchUsageError as error:
        raise UsageError(f"patuh batch: {error}") from None
    _show_warnings(result.warnings)
    if result.warnings_not_kept:
        print(f"warning: and {result.warnings_not_kept} more: see {arguments.output / 'summary.json'}", file=sys.stderr)
    for failure in result.failures:
        print(f"error: {failure.errors[0]}" + (f" (and {len(failure.errors) - 1} more)" if len(failure.errors) > 1 else ""),
              file=sys.stderr)
    if result.failed > len(result.failures):
        print(f"error: and {result.failed - len(result.failures)} more files: see {arguments.output / 'summary.csv'}", file=sys.stderr)
    print(f"{arguments.output}: {result.audited} units audited ({result.with_violations} with violations), "
          f"{result.failed} could not be audited; {len(files) / result.wall_seconds:.1f} units/s; "
          f"see {arguments.output / 'dashboard.html'}", file=sys.stderr)
    return result.exit_code


def _command_audit_all(arguments: argparse.Namespace, as_of: date, report_format: str) -> int:
    """`--regulation all`: the unit under every encoded regulation, side by side (engine/side_by_side.py)."""
    from .documents.side_by_side import any_violation, audit_under_all, render_side_by_side

    if arguments.previous is not None:
        raise UsageError("patuh audit: --previous compares with one regulation's earlier report; it cannot be used with --regulation all")
    document, notes = audit_under_all(arguments.facts, as_of, language=arguments.lang, judge=arguments.judge)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    emit(render_side_by_side(document, report_format), arguments.output)
    return EXIT_VIOLATIONS if any_violation(document) else EXIT_OK


def _command_validate(arguments: argparse.Namespace) -> int:
    from .load.facts import load_facts

    facts = load_facts(arguments.facts, arguments.as_of or date.today())
    services = len(facts.service_types or [])
    print(f"{arguments.facts}: valid facts of {facts.organisation.name} ({facts.organisation.type.value}, {services} service types)")
    return EXIT_OK


def _command_rules(arguments: argparse.Namespace) -> int:
    from .load.regulation_text import citation_to_anchor
    from .rulesets.select import NotInForce, list_rule_regulations, select_ruleset

    if arguments.rules_command == "list":
        regulations = [arguments.regulation] if arguments.regulation else list_rule_regulations()
        for regulation_id in regulations:
            ruleset = _selected(regulation_id)
            print(f"# {ruleset.regulation.id} {ruleset.version} ({len(ruleset.rules)} rules)")
            for rule in ruleset.rules:
                print(f"{rule.id}\t{rule.citation}\t{rule.topic}\t{rule.title.id}")
        return EXIT_OK
    if arguments.rules_command == "show":
        for regulation_id in list_rule_regulations():
            ruleset = _selected(regulation_id)
            if arguments.rule_id in ruleset.files:
                print(ruleset.files[arguments.rule_id].read_text(encoding="utf-8"), end="")
                return EXIT_OK
        raise NotInForce(f"no rule with id {arguments.rule_id!r}; `patuh rules list` shows them")
    if arguments.rules_command == "diff":
        from .rulesets.load import diff_rulesets

        old, old_warnings = select_ruleset(arguments.regulation, version=arguments.old_version)
        new, new_warnings = select_ruleset(arguments.regulation, version=arguments.new_version)
        _show_warnings(old_warnings + new_warnings)
        lines = diff_rulesets(old, new)
        print(f"# {old.regulation.id}: {arguments.old_version} -> {arguments.new_version}")
        print("\n".join(lines) if lines else "no differences")
        return EXIT_OK
    ruleset = _selected(arguments.regulation)
    print(f"# {ruleset.regulation.id} {ruleset.version}: obligations and what covers them")
    rows = []
    order = {anchor: position for position, anchor in enumerate(ruleset.regulation.units)}
    for rule in ruleset.rules:
        rows.append((rule.citation, "covered", rule.id))
        rows.extend((citation, "covered", rule.id) for citation in rule.also_covers)
    for entry in ruleset.meta.not_auditable:
        rows.append((entry.citation, "not auditable", entry.reason.id))
    for key, clause in ruleset.meta.sanctions.items():
        rows.append((clause.citation, "sanction clause", f"{key}: for violations of {', '.join(clause.applies_to_violations_of)}"))
    for key, compensation in ruleset.meta.compensations.items():
        rows.append((compensation.citation, "compensation clause",
                     f"{key}: owed to the service user for violations of {', '.join(compensation.applies_to_violations_of)}"))
    rows.sort(key=lambda row: (order.get(citation_to_anchor(row[0]), len(order)), row[1], row[2]))
    for citation, state, detail in rows:
        print(f"{citation}\t{state}\t{detail}")
    counts = {state: sum(1 for row in rows if row[1] == state)
              for state in ("covered", "not auditable", "sanction clause", "compensation clause")}
    print(f"# {counts['covered']} provisions covered by {len(ruleset.rules)} rules, "
          f"{counts['not auditable']} not auditable from facts, {counts['sanction clause']} sanction clauses"
          + (f", {counts['compensation clause']} compensation clauses" if counts["compensation clause"] else ""))
    return EXIT_OK


def _command_calendar(arguments: argparse.Namespace) -> int:
    from .dates.working_days import WorkingCalendar

    calendar = WorkingCalendar(local_days_off=arguments.day_off)
    if arguments.calendar_command == "add-workdays":
        if arguments.days < 0:
            raise UsageError("patuh calendar add-workdays: the number of working days cannot be negative")
        result = calendar.add_working_days_detailed(arguments.start, arguments.days)
        print(f"{result.date.isoformat()} ({result.date.strftime('%A')}): working day {arguments.days} after {arguments.start.isoformat()}")
    else:
        first, last = arguments.first, arguments.last
        if last < first:
            # A count is never negative to a reader: say the order, then count from the earlier date.
            print(f"note: the dates are in reverse order ({first.isoformat()} is after {last.isoformat()}); "
                  "counted from the earlier one")
            first, last = last, first
        result = calendar.working_days_between_detailed(first, last)
        print(f"{result.working_days} working days after {first.isoformat()} up to and including {last.isoformat()}")
    for day, name in result.holidays_skipped:
        print(f"  day off {day.isoformat()}: {name}")
    note = result.estimate_note()
    if note:
        print(f"  note: {note}")
    return EXIT_OK


def _command_compare(arguments: argparse.Namespace) -> int:
    from .documents.compare import build_difference, build_matrix, resolve_rulesets
    from .documents.compare_report import render_difference, render_matrix

    report_format = output_format(arguments.format, arguments.output)
    rulesets, warnings = resolve_rulesets(arguments.regulations, arguments.as_of)
    _show_warnings(warnings)
    if len(rulesets) == 2 and not arguments.matrix:
        text = render_difference(build_difference(rulesets[0], rulesets[1], arguments.lang), report_format)
    else:
        text = render_matrix(build_matrix(rulesets, arguments.lang), report_format)
    emit(text, arguments.output)
    return EXIT_OK


# --- patuh skm: the handlers live here with the other commands; documents/skm_report builds the data and views

EXIT_OK, EXIT_FAILED, EXIT_SHORT = 0, 1, 2


def _weights(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",")] if text else None


def command_skm(arguments: argparse.Namespace) -> int:
    from .documents.skm_report import as_report, render as render_skm
    from .skm.method import compare_published, compute, krejcie_morgan
    from .skm.sheets import read_responses

    if arguments.responses == "sample-size":
        return _command_sample_size(arguments)
    if arguments.number is not None:
        raise InputError(arguments.responses, "takes no number after the responses file (did you mean "
                         "`patuh skm sample-size N`, or --population N?)")
    responses = read_responses(arguments.responses)
    try:
        result = compute(responses, _weights(arguments.weights), language=arguments.lang)
    except ValueError as error:
        raise InputError(arguments.responses, str(error), field="--weights" if arguments.weights else None) from None
    checks = (("--published", arguments.published, lambda value: compare_published(value, result.ikm)),
              ("--population", arguments.population, krejcie_morgan))
    for option, value, check in checks:
        try:
            if value is not None:
                check(value)
        except ValueError as error:
            raise InputError("patuh skm", str(error), field=option) from None
    report = as_report(result, unit=arguments.unit, service=arguments.service, population=arguments.population,
                       published=arguments.published, language=arguments.lang)
    report_format = output_format(arguments.format, arguments.output)
    emit(render_skm(report, report_format), arguments.output)
    short = "sample" in report and not report["sample"]["enough"]
    differs = "published" in report and not report["published"]["matches"]
    return EXIT_SHORT if short or differs else EXIT_OK


def _command_sample_size(arguments: argparse.Namespace) -> int:
    from .skm.method import check_sample, krejcie_morgan

    if arguments.number is None:
        raise InputError("patuh skm sample-size", "give the population: the number of service users the survey covers, e.g. `patuh skm sample-size 1200`")
    try:
        required = krejcie_morgan(arguments.number)
    except ValueError as error:
        raise InputError("patuh skm sample-size", str(error)) from None
    check = check_sample(arguments.number, arguments.respondents or 0)
    print(f"population {arguments.number}: Krejcie & Morgan sample {required} respondents "
          "(Lampiran II huruf H; X² = 3.841, P = 0.5, d = 0.05); "
          f"the least the formula allows: {check.least} (taraf kesalahan 10 %, X² = 2.706; Lampiran II huruf D)")
    if arguments.respondents is None:
        return EXIT_OK
    if check.enough:
        below_table = f", below the table's {check.required}" if check.respondents < check.required else ""
        print(f"{check.respondents} respondents: enough{below_table}")
        return EXIT_OK
    print(f"{check.respondents} respondents: {check.shortfall} short of the least allowed, {check.least}")
    return EXIT_SHORT


def add_skm_parser(commands: Any) -> None:
    """The `skm` subcommand, for cli._parser."""
    skm = commands.add_parser("skm", help="compute the IKM from a survey's raw responses (CSV or XLSX), or `skm sample-size N`")
    skm.add_argument("responses", help="the responses file (.csv or .xlsx: U1 … U9, optional jenis_kelamin, usia, pendidikan, "
                                       "pekerjaan, jenis_layanan, tanggal), or the word sample-size")
    skm.add_argument("number", nargs="?", type=int, default=None, help="with sample-size: the population N")
    skm.add_argument("--respondents", type=int, default=None, help="with sample-size: check this many respondents against N")
    skm.add_argument("--weights", default=None, help="one weight per element, comma-separated, summing to 1 (default 1/n each); 1/9 is allowed")
    skm.add_argument("--population", type=int, default=None, help="service users in the survey period: checks the sample size")
    skm.add_argument("--published", default=None, help="the IKM the unit published: checked against the recomputed one")
    skm.add_argument("--unit", default=None, help="unit name shown on the display page")
    skm.add_argument("--service", default=None, help="service name shown on the display page (NAMA PELAYANAN)")
    skm.add_argument("--format", choices=FORMATS, default=None,
                     help="output format (default: from the -o file's extension, else md)")
    skm.add_argument("--lang", choices=("id", "en"), default="id")
    skm.add_argument("-o", "--output", type=Path, help="write here (written whole or not at all)")


def _command_template(arguments: argparse.Namespace) -> int:
    from .documents.template import facts_template

    emit(facts_template(_selected(arguments.regulation, as_of=arguments.as_of), arguments.lang), arguments.output)
    return EXIT_OK


def _command_todo(arguments: argparse.Namespace) -> int:
    from .audit.pipeline import audit_file
    from .documents.remediation import build_plan, render_plan

    as_of = _as_of_or_today(arguments)
    report_format = output_format(arguments.format, arguments.output)
    result = audit_file(arguments.facts, arguments.regulation, as_of, language=arguments.lang, judge=arguments.judge,
                        previous_report=arguments.previous)
    _show_warnings(result.warnings)
    emit(render_plan(build_plan(result, arguments.lang), report_format), arguments.output)
    return EXIT_VIOLATIONS if result.violations else EXIT_OK


# One entry per subcommand of `_parser`: the name argparse stores in `command` -> its handler.
COMMANDS = {
    "audit": _command_audit,
    "batch": _command_batch,
    "validate": _command_validate,
    "calendar": _command_calendar,
    "rules": _command_rules,
    "compare": _command_compare,
    "template": _command_template,
    "todo": _command_todo,
    "skm": command_skm,
}


def _command_web(arguments: argparse.Namespace) -> int:
    # The web application's modules load only for its commands: an audit does not wait for them.
    from .web.commands import COMMANDS as WEB_COMMANDS

    return WEB_COMMANDS[arguments.command](arguments)


COMMANDS.update({name: _command_web for name in ("serve", "users", "import")})


def main(argv: Sequence[str] | None = None) -> int:
    try:
        arguments = _parser().parse_args(argv)
        return COMMANDS[arguments.command](arguments)
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    except SystemExit as exit_request:  # --help
        return int(exit_request.code or 0) and EXIT_FAILED
    except InputProblems as error:
        # A facts file, a rule set, a survey sheet, a responses file: every problem, each on its line.
        if error.heading:
            print(f"error: {error.heading}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}" if error.heading else f"error: {problem}", file=sys.stderr)
        return EXIT_FAILED
    except (InputError, CannotRun) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM: whatever was being written is not (writes are atomic), workers are stopped.
        print("error: interrupted; reports already written are complete, nothing is half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped reading: say nothing more, and do not let the
        # interpreter complain while flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())

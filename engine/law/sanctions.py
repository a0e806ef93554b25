"""The sanctions a violation exposes the unit to, exactly as the regulation lists them.

A rule names one sanction clause of its rule set (or none). Only a violation carries
sanctions; the measures keep the regulation's own combination word ("dan/atau": the
measures may be imposed alone or together). A measure the regulation makes conditional on
time (Tegal Pasal 17 ayat (3) huruf c after 3 months, huruf d after 6 months without
improvement) is listed only once the same rule has been found violated by an earlier audit
and stayed open that long without a compliant audit in between; otherwise it is shown as
withheld, with the condition. Where the regulation lists no sanction, the finding says so
and nothing is invented.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from ..model.facts import Facts
from ..model.findings import Measure, Sanction, SubjectResult, WithheldMeasure
from ..rulesets.model import Rule
from ..dates.periods import add_months, whole_months_between
from ..load.labels import words

def party_label(party: str, language: str) -> str:
    return words(language)["sanction_parties"][party]


def open_since(facts: Facts, rule_id: str, regulation_id: Optional[str] = None) -> Optional[date]:
    """The date of the earliest earlier audit in the unbroken run of audits finding this rule violated.

    Audits recorded against another regulation do not count.
    """
    since = None
    audits = [a for a in facts.earlier_audits or [] if a.regulation in (None, regulation_id) or regulation_id is None]
    for audit in sorted(audits, key=lambda a: a.dated, reverse=True):
        statuses = {finding.status for finding in audit.findings if finding.rule_id == rule_id}
        if "violation" in statuses:
            since = audit.dated
        elif statuses:
            break
    return since


def sanctions_for(rule: Rule, status: str, subjects: list[SubjectResult], ruleset, facts: Facts, as_of: date,
                  language: str) -> tuple[list[Sanction], Optional[str]]:
    if rule.sanction is None:
        return [], ruleset.meta.no_sanction_note.get(language)
    if status != "violation":
        return [], None
    clause = ruleset.meta.sanctions[rule.sanction]
    since = open_since(facts, rule.id, ruleset.regulation.id)
    measures: list[Measure] = []
    withheld: list[WithheldMeasure] = []
    for measure in clause.measures:
        text = measure.text_en if language == "en" else measure.text
        months = measure.open_more_than_months
        if months is None or (since is not None and as_of > add_months(since, months)):
            measures.append(Measure(huruf=measure.huruf, text=text))
            continue
        if since is None:
            state = ("belum ada audit sebelumnya yang menemukan pelanggaran ini" if language != "en"
                     else "no earlier audit found this violation")
        else:
            elapsed = whole_months_between(since, as_of)
            state = (f"terbuka sejak {since.isoformat()} ({elapsed} bulan)" if language != "en"
                     else f"open since {since.isoformat()} ({elapsed} months)")
        condition = (f"berlaku bila pelanggaran tetap terbuka lebih dari {months} bulan sejak ditemukan; {state}"
                     if language != "en" else
                     f"applies once the violation has stayed open more than {months} months since it was found; {state}")
        withheld.append(WithheldMeasure(huruf=measure.huruf, text=text, condition=condition))
    if clause.kind == "rujukan_peraturan_lain":
        addressed = []  # the regulation names neither measures nor their addressee
    elif clause.party == "atasan_satuan_kerja_penyelenggara":
        atasan = facts.organisation.atasan_satuan_kerja
        addressed = [", ".join(part for part in (atasan.name, atasan.position) if part)] if atasan and (atasan.name or atasan.position) else []
    else:
        addressed = [subject.label for subject in subjects if subject.status == "violation"]
    sanction = Sanction(basis=clause.citation, party=party_label(clause.party, language), kind=clause.kind,
                        combination=clause.combination, measures=measures, withheld=withheld,
                        open_since=since.isoformat() if since else None, addressed_to=addressed,
                        note=clause.note.get(language) if clause.note else None)
    return [sanction], None

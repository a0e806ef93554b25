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
from ..model.findings import Compensation, Finding, Measure, Sanction, SubjectResult, WithheldMeasure
from ..rulesets.model import Rule
from ..dates.periods import add_months, whole_months_between
from ..load.labels import words
from ..load.wording import long_date

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
                  language: Optional[str] = None) -> tuple[list[Sanction], Optional[str]]:
    """The sanctions of a violation, and the note where the regulation lists none.

    Language-free (codes, both texts of each measure) unless `language` is given; then
    worded in it, as a report shows them.
    """
    if rule.sanction is None:
        note = ruleset.meta.no_sanction_note
        return [], (note.get(language) if note and language else None)
    if status != "violation":
        return [], None
    clause = ruleset.meta.sanctions[rule.sanction]
    since = open_since(facts, rule.id, ruleset.regulation.id)
    measures: list[Measure] = []
    withheld: list[WithheldMeasure] = []
    for measure in clause.measures:
        texts = {"id": measure.text, "en": measure.text_en}
        months = measure.open_more_than_months
        if months is None or (since is not None and as_of > add_months(since, months)):
            measures.append(Measure(huruf=measure.huruf, texts=texts))
        else:
            withheld.append(WithheldMeasure(huruf=measure.huruf, texts=texts, open_more_than_months=months))
    if clause.kind == "rujukan_peraturan_lain":
        addressed = []  # the regulation names neither measures nor their addressee
    elif clause.party == "atasan_satuan_kerja_penyelenggara":
        atasan = facts.organisation.atasan_satuan_kerja
        addressed = [", ".join(part for part in (atasan.name, atasan.position) if part)] if atasan and (atasan.name or atasan.position) else []
    else:
        addressed = [subject.label for subject in subjects if subject.status == "violation"]
    sanction = Sanction(basis=clause.citation, party_code=clause.party, kind=clause.kind,
                        combination=clause.combination, measures=measures, withheld=withheld,
                        open_since=since.isoformat() if since else None, addressed_to=addressed,
                        note_texts={"id": clause.note.id, "en": clause.note.en} if clause.note else None)
    if language is not None:
        sanction = Sanction.model_validate(word_sanction(sanction.model_dump(mode="json"), language, as_of.isoformat()))
    return [sanction], None


def compensation_for(rule: Rule, status: str, subjects: list[SubjectResult], ruleset) -> Optional[Compensation]:
    """What a violation leaves the unit owing the service users it failed, where the regulation says."""
    if rule.compensation is None or status != "violation":
        return None
    clause = ruleset.meta.compensations[rule.compensation]
    return Compensation(basis=clause.citation, combination=clause.combination,
                        measures=[Measure(huruf=measure.huruf, texts={"id": measure.text, "en": measure.text_en})
                                  for measure in clause.measures],
                        owed_to=[subject.label for subject in subjects if subject.status == "violation"],
                        note_texts={"id": clause.note.id, "en": clause.note.en} if clause.note else None)


def with_sanctions(findings: list[Finding], ruleset, facts: Facts, as_of: date) -> list[Finding]:
    """The judged findings with the sanctions the regulation lists for each violation, and
    the compensation it makes the unit owe the service user.

    Its own stage after judging: whether a duty was met is one question, what the law then
    imposes (and on whom, and after how long open) another, read from ruleset.yaml alone.
    """
    sentenced = []
    for finding in findings:
        rule = ruleset.rule(finding.rule_id)
        sanctions, _ = sanctions_for(rule, finding.status, finding.subjects, ruleset, facts, as_of)
        compensation = compensation_for(rule, finding.status, finding.subjects, ruleset)
        update = {**({"sanctions": sanctions} if sanctions else {}), **({"compensation": compensation} if compensation else {})}
        sentenced.append(finding.model_copy(update=update) if update else finding)
    return sentenced


def word_compensation(compensation: Optional[dict], language: str) -> Optional[dict]:
    """A compensation (as JSON) with its words in `language`."""
    if not compensation:
        return compensation
    note_texts = compensation.get("note_texts")
    return {**compensation,
            "measures": [{**measure, "text": measure["texts"][language] if measure.get("texts") else measure["text"]}
                         for measure in compensation["measures"]],
            "note": note_texts[language] if note_texts else compensation.get("note")}


def word_sanction(sanction: dict, language: str, as_of: str) -> dict:
    """A sanction (as JSON) with its words in `language`; one without codes is kept as written."""
    if not sanction.get("party_code"):
        return sanction
    texts = words(language)["sanctions"]

    def measure_text(measure: dict) -> str:
        return measure["texts"][language] if measure.get("texts") else measure["text"]

    since = sanction.get("open_since")
    if since is None:
        state = texts["no_earlier_audit"]
    else:
        months = whole_months_between(date.fromisoformat(since), date.fromisoformat(as_of))
        state = texts["open_since"].format(since=long_date(since, language), months=months)
    withheld = [{**measure, "text": measure_text(measure),
                 "condition": texts["applies_after"].format(months=measure["open_more_than_months"], state=state)
                 if measure.get("open_more_than_months") is not None else measure["condition"]}
                for measure in sanction.get("withheld") or []]
    note_texts = sanction.get("note_texts")
    return {**sanction, "party": party_label(sanction["party_code"], language),
            "measures": [{**measure, "text": measure_text(measure)} for measure in sanction["measures"]],
            "withheld": withheld, "note": note_texts[language] if note_texts else sanction.get("note")}

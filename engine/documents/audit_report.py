"""The audit report's views: what its Markdown and HTML show of the JSON record.

The record is built by audit/record.py; this module reads only that dict, so a report read
back from a JSON file renders exactly as the one just audited.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional

from ..audit.record import in_language
from ..load.labels import words
from ..load.wording import describe_fact, long_date
from ..model.findings import STATUS_ORDER
from ..render.environment import environment, markdown_to_html, tidy
from ..render.formats import document_kind
from ..render.labels import document_language

# The regulation's own combination word; the only one whose meaning is settled (GLOSSARY).
AND_OR = "dan/atau"

@lru_cache(maxsize=None)
def labels_of(language: str) -> dict[str, Any]:
    """The report's words in `language`, read when a report in it is first rendered; the
    template reads the status words as labels.statuses."""
    return {**words(language)["audit_report"], "statuses": words(language)["statuses"]}


def _labels(report: dict) -> dict[str, Any]:
    return labels_of(document_language(report))


# A log of a thousand daily checks is evidence, but not reading matter: the evidence trail
# lists the first ones of a finding and says how many more the JSON report holds.
EVIDENCE_SHOWN = 25

def evidence_trail(finding: dict, language: Optional[str] = None) -> list[dict[str, str]]:
    """Every fact the finding rests on, by its path, once, in the order first met: the facts
    cited (each as an inspector cites it), then those not examined. The body of a report
    names facts in words; whoever re-performs the audit finds them here (Jejak bukti)."""
    language = language or ("en" if finding.get("language") == "en" else "id")
    not_examined = words(language)["kondisi"]["not_examined"]
    seen: dict[str, str] = {}
    sources = list(finding.get("evidence") or [])
    for subject in finding.get("subjects") or []:
        sources.extend(subject.get("evidence") or [])
    for evidence in sources:
        for item in evidence.get("items") or []:
            path = item.get("path") if isinstance(item, dict) else None
            if path:
                seen.setdefault(str(path), describe_fact(item.get("fact"), language, str(path)))
    for path in finding.get("missing_facts") or []:
        seen.setdefault(str(path), not_examined)
    return [{"path": path, "description": description} for path, description in seen.items()]


def response_lines(finding: dict, language: str) -> dict[str, Optional[str]]:
    """The unit's response and the waiver of a finding, each as the sentence a report prints."""
    labels = labels_of(language)
    response, waiver = finding.get("response"), finding.get("waiver")
    said = None
    if response:
        if response["stance"] == "agree":
            said = labels["response_agree"]
        elif response["stance"] == "disagree":
            said = f"{labels['response_disagree']}: {response['reason']}"
        else:
            said = labels["response_plan"].format(action=response["action"], due=long_date(response["due_on"], language),
                                                  responsible=response["responsible"])
    waived = None
    if waiver:
        if waiver.get("in_force"):
            waived = labels["waiver_in_force"].format(expires=long_date(waiver["expires_on"], language), approved_by=waiver["approved_by"],
                                                      approved_on=long_date(waiver["approved_on"], language)) + " " + waiver["justification"]
        else:
            waived = labels["waiver_lapsed"].format(expires=long_date(waiver["expires_on"], language), approved_by=waiver["approved_by"])
    return {"response": said, "waiver": waived}


def _finding_views(report: dict) -> list[dict[str, Any]]:
    """What the templates need beyond the report itself, computed once so Markdown and HTML agree."""
    explained = False
    views = []
    for finding in report["findings"]:
        evidence = evidence_trail(finding, document_language(report))
        sanctions = []
        for sanction in finding["sanctions"]:
            # "dan/atau" is explained the first time it appears; after that the word suffices.
            explain = sanction["combination"] == AND_OR and not explained
            explained = explained or explain
            sanctions.append({"sanction": sanction, "explain_combination": explain,
                              "kind": str(sanction["kind"]).replace("_", " ")})
        views.append({
            "finding": finding,
            "kondisi_lines": [line for line in finding["kondisi"].splitlines() if line.strip()],
            "evidence": evidence[:EVIDENCE_SHOWN],
            "evidence_more": max(0, len(evidence) - EVIDENCE_SHOWN),
            "sanctions": sanctions,
            **response_lines(finding, document_language(report)),
        })
    return views


def regulation_name(regulation: dict, labels: dict) -> str:
    """The regulation as it is cited in prose (Peraturan Bupati ... Nomor 63 Tahun 2023 tentang ...).

    Parts the caller does not know are left out rather than shown as blanks.
    """
    parts = [str(regulation["type"])] if regulation.get("type") else []
    if regulation.get("region"):
        # A regional head's regulation is cited by the head's title: Peraturan Bupati Tegal,
        # Peraturan Walikota Metro, not "... Kabupaten Tegal".
        region = str(regulation["region"])
        parts.append(region.removeprefix("Kabupaten ").removeprefix("Kota ") if parts else region)
    if regulation.get("number") not in (None, ""):
        parts += [labels["number"], str(regulation["number"])]
    if regulation.get("year") not in (None, ""):
        parts += [labels["year"], str(regulation["year"])]
    if regulation.get("title"):
        parts += [labels["about"], str(regulation["title"])]
    return " ".join(parts) or str(regulation.get("id") or "—")


def _period(ruleset: dict, labels: dict) -> str:
    if ruleset.get("effective_until"):
        return f"{ruleset['effective_from']} {labels['until']} {ruleset['effective_until']}"
    return f"{labels['from']} {ruleset['effective_from']}"


def _person(person: Optional[dict]) -> Optional[str]:
    if not person:
        return None
    return ", ".join(str(person[key]) for key in ("name", "position") if person.get(key)) or None


def _context(report: dict) -> dict[str, Any]:
    labels = _labels(report)
    return {
        "report": report,
        "labels": labels,
        "statuses": labels["statuses"],
        "status_order": STATUS_ORDER,
        "findings": _finding_views(report),
        "regulation_name": regulation_name(report["regulation"], labels),
        # Legal names of the kinds of provider (Tegal Pasal 2 ayat (2)); the same in both languages.
        "organisation_types": words(document_language(report))["organisation_types"],
        "ruleset_period": _period(report["ruleset"], labels),
        "atasan": _person(report["unit"].get("atasan_satuan_kerja")),
        "language": document_language(report),
    }


def _markdown(report: dict) -> str:
    return tidy(environment(autoescape=False).get_template("audit.md.j2").render(_context(report)))


def _html(report: dict) -> str:
    context = _context(report)
    # The HTML page reuses the Markdown template's macros part by part, so both views say
    # the same thing, while the page adds what Markdown cannot: sections to keep whole on
    # paper and coloured status badges.
    parts = environment(autoescape=False).get_template("audit.md.j2").make_module(context)
    html = {
        "header": markdown_to_html(parts.header()),
        "findings": [markdown_to_html(parts.finding_body(view)) for view in context["findings"]],
        "not_auditable": markdown_to_html(parts.not_auditable_section()),
        "evidence_trail": markdown_to_html(parts.evidence_trail_section()),
    }
    return environment(autoescape=True).get_template("audit.html.j2").render(
        context, html=html, language=document_language(report))


_render = document_kind("audit report", md=_markdown, html=_html)


def render(report: dict, fmt: str, language: Optional[str] = None) -> str:
    """The report as JSON, Markdown ("md") or one self-contained HTML page, worded in `language`
    (by default the one it was audited in)."""
    if language is not None and language != report.get("language"):
        report = in_language(report, language)
    return _render(report, fmt)

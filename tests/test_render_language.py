"""A report is judged in no language and worded when rendered: one JSON report reads in either."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from patuh.audit.pipeline import audit_file
from patuh.audit.record import in_language
from patuh.documents.audit_report import render
from patuh.load.data_paths import data_directory
from patuh.load.regulation_text import list_regulations, load_regulation
from patuh.rulesets.select import available_versions

EXAMPLES = sorted((data_directory("facts") / "examples").glob("*.yaml"))
AS_OF = date(2024, 12, 31)


def _regulation_of(example) -> str:
    region = yaml.safe_load(example.read_text(encoding="utf-8"))["organisation"]["region"]
    return next(regulation_id for regulation_id in list_regulations()
                if load_regulation(regulation_id).metadata.get("region") == region)


@pytest.fixture(scope="module", params=EXAMPLES, ids=[example.name for example in EXAMPLES])
def audits(request):
    regulation_id = _regulation_of(request.param)
    if not available_versions(regulation_id):
        pytest.skip(f"{regulation_id} has no rules yet")
    return {language: audit_file(request.param, regulation_id, AS_OF, language=language).report for language in ("id", "en")}


@pytest.mark.parametrize("audited, shown", [("id", "en"), ("en", "id")])
def test_a_report_rendered_in_the_other_language_reads_as_a_fresh_audit_in_it(audits, audited, shown):
    # Read back from its JSON file, as a saved report would be.
    saved = json.loads(render(audits[audited], "json"))
    assert render(saved, "md", language=shown) == render(audits[shown], "md")


@pytest.mark.parametrize("audited, shown", [("id", "en"), ("en", "id")])
def test_the_json_worded_again_is_the_json_of_a_fresh_audit(audits, audited, shown):
    assert in_language(audits[audited], shown) == audits[shown]


def test_a_report_in_its_own_language_is_rendered_unchanged(audits):
    assert render(audits["id"], "md", language="id") == render(audits["id"], "md")
    assert "# Compliance audit report" in render(audits["id"], "md", language="en")


def test_a_follow_up_with_withheld_sanctions_rewords_too(tmp_path):
    example = data_directory("facts") / "examples" / "tegal-disdukcapil.yaml"
    first = audit_file(example, "tegal-perbup-63-2023", AS_OF)
    previous = tmp_path / "previous.json"
    previous.write_text(render(first.report, "json"), encoding="utf-8")
    second = {language: audit_file(example, "tegal-perbup-63-2023", date(2025, 6, 30), language=language,
                                   previous_report=previous).report
              for language in ("id", "en")}
    assert any(sanction["withheld"] or sanction["open_since"] for finding in second["id"]["findings"]
               for sanction in finding["sanctions"])
    assert any(finding["follow_up"] for finding in second["id"]["findings"])
    assert render(second["id"], "md", language="en") == render(second["en"], "md")
    assert render(second["en"], "md", language="id") == render(second["id"], "md")


def test_an_unknown_language_is_refused(audits):
    with pytest.raises(ValueError, match="language"):
        render(audits["id"], "md", language="jv")

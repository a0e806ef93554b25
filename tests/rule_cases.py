"""Rule test cases written as data: facts in, expected finding out.

A case file `tests/cases/<regulation>/<rule-id>.yaml` reads like the regulation's own
examples:

    rule: tegal.pasal-4-ayat-6
    version: v1                      # optional; default: the newest version
    defaults:
      as_of: 2024-12-31
      facts: {organisation: {...}}   # merged under every case's facts (top-level keys)
    cases:
      - name: published on the website and on the notice board
        facts: {...}
        expect:
          status: comply
          missing_facts: [...]       # optional, exact
          due: 2025-06-03            # optional: the date a pending finding falls due
          reason: ...                # optional: the reason shown (not_applicable: the one that holds)
          measures: [a, b, c]        # optional: huruf of the sanction measures listed
          withheld: [c, d]           # optional: huruf of measures withheld for now
          compensation: [a, b, c]    # huruf of the compensation owed to the service user
                                     # (Tegal Pasal 16 ayat (2)); absent means none
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

CASES_DIRECTORY = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class RuleCase:
    file: Path
    regulation: str
    version: str | None
    rule_id: str
    name: str
    as_of: date
    facts: dict[str, Any]
    expect: dict[str, Any]

    @property
    def test_id(self) -> str:
        return f"{self.rule_id}: {self.name}"


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_cases() -> list[RuleCase]:
    cases = []
    for file in sorted(CASES_DIRECTORY.glob("*/*.yaml")):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        defaults = document.get("defaults", {})
        for case in document["cases"]:
            facts = {**defaults.get("facts", {}), **case.get("facts", {})}
            cases.append(RuleCase(
                file=file, regulation=file.parent.name, version=document.get("version"), rule_id=document["rule"],
                name=case["name"], as_of=_as_date(case.get("as_of", defaults.get("as_of"))),
                facts=facts, expect=case["expect"]))
    return cases

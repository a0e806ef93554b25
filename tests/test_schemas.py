"""The published schemas match the code that produces the data."""

from __future__ import annotations

import json

from patuh.load.data_paths import data_directory
from patuh.model.facts import Facts


def test_facts_schema_is_current():
    committed = json.loads((data_directory("facts") / "facts.schema.json").read_text(encoding="utf-8"))
    generated = Facts.model_json_schema()
    assert {k: v for k, v in committed.items() if k not in ("$schema", "$id")} == generated, \
        "facts/facts.schema.json is out of date: run python tools/write_schemas.py"


def test_facts_readme_names_every_block():
    readme = (data_directory("facts") / "README.md").read_text(encoding="utf-8")
    for block in Facts.model_fields:
        assert f"`{block}" in readme, block

"""The words a report uses for the facts' codes and fields cover the whole facts model.

A code or a field without words would reach a report as written (`tidak_ada`,
`first_response_on`); these tests name any the facts model gains without them.
"""

from __future__ import annotations

import enum
import inspect

import yaml
from pydantic import BaseModel

import patuh.model.facts as facts_model
from patuh.load.data_paths import data_directory

LABELS = data_directory("reports") / "labels"


def _load(name: str) -> dict:
    with (LABELS / name).open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _members(kind):
    return {name: obj for name, obj in vars(facts_model).items()
            if inspect.isclass(obj) and issubclass(obj, kind) and obj.__module__ == facts_model.__name__ and obj is not kind}


def test_every_code_of_every_code_list_has_words():
    codes = _load("codes.yaml")
    missing = [f"{name}.{member.value}" for name, code_list in _members(enum.Enum).items() for member in code_list
               if member.value not in codes["enums"].get(name, {})]
    assert not missing, missing
    for table in [*codes["enums"].values(), *codes["literals"].values(), {"special": codes["special"]}["special"]]:
        for code, texts in table.items():
            assert texts.get("id") and texts.get("en"), code
            assert "_" not in texts["id"] + texts["en"], f"{code}: words still read as a code"


def test_every_field_of_the_facts_model_has_words():
    fields = _load("fact_fields.yaml")
    models = _members(BaseModel)
    names = {field for model in models.values() for field in model.model_fields}
    assert not sorted(names - set(fields["fields"])), sorted(names - set(fields["fields"]))
    for name, texts in fields["fields"].items():
        assert name in names, f"{name}: not a field of the facts model"
        assert set(texts) == {"id", "en"}, name
    for parent, children in fields["in"].items():
        assert parent in names, parent
        assert set(children) <= names, (parent, set(children) - names)

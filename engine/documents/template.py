"""A facts file to fill in, for a unit assessing itself (`patuh template --regulation ID`).

The template holds every fact the rules of one regulation can use, and nothing else: the fact
paths are read from the rules' inputs (the same paths `fact_paths` checks against the fact
model), so the template can neither miss a fact a rule needs nor ask for one no rule reads.
Each field carries comments in plain Indonesian (or English): what to enter (the labels the
rules give the evidence they read), the kind of value and its allowed words (from the fact
model), an example (the first value the bundled examples in facts/examples/ give, preferring
units of the regulation's own region; a made-up one only where no example has the field),
and the articles that depend on it.

Layout. The facts file's shape is the fact model's, so topics cannot be regrouped freely:
the top-level blocks come in the order of the first comparison topic (rules/topics.yaml)
their rules serve, each under a heading naming its topics, and inside `events` and
`complaint_management` each list is headed the same way. Plain blocks (`organisation`,
`information_services`, `complaint_management`, `events`, `incidents`) are written out
field by field, every field `~` (not examined yet). A document or a list is one `~` line
with the shape of its content in comments: replacing the `~` with the content (or with
`tidak_ada` / `[]` for "looked, found none") is all the filling there is. A field left `~`
stays "not known", exactly as if it were left out, and the audit says which facts it
still needs.
"""

from __future__ import annotations

import datetime
import types
import typing
from enum import Enum
from functools import lru_cache
from typing import Any, Iterator, Literal, Optional

import yaml
from pydantic import BaseModel

from .compare import ISO_DATE, load_topics, row_of_topic
from ..load.data_paths import data_directory
from ..model.facts import Facts, NotPresent
from ..model.fact_paths import unwrap_annotation
from ..inputs import INPUT_KINDS
from ..inputs.subject import DATE_TOKENS
from ..rulesets.model import EachScope, Rule
from ..rulesets.load import RuleSet
from ..load.source_yaml import load_source
from ..render.labels import group

# Blocks that only group fields: written out field by field. Their presence is not evidence
# (no rule counts `events` itself), so a block of `~` fields reads exactly as a missing block.
CONTAINERS = ("organisation", "information_services", "complaint_management", "events", "incidents")

WORDS: dict[str, dict[str, Any]] = group("template")


# --- Which facts the rules read ---------------------------------------------------------------

class Use(typing.NamedTuple):
    rule_id: str
    citation: str
    topic: str
    label: dict[str, str]


def _strip(path: str) -> str:
    return path.replace("[]", "")


def rule_fact_paths(rule: Rule) -> Iterator[tuple[str, dict[str, str]]]:
    """Every model path (dotted, no `[]`) a rule reads, with the label of the input reading it."""
    each = _strip(rule.scope.each) if isinstance(rule.scope, EachScope) else None

    def normal(path: str) -> Optional[str]:
        if path in DATE_TOKENS:
            return None
        head, _, rest = path.partition(".")
        head = head.removesuffix("[]")
        if head == "service":
            base = "service_types"
        elif head == "item" and each:
            base = each
        else:
            return _strip(path)
        return _strip(f"{base}.{rest}") if rest else base

    if rule.period and rule.period.start:
        found = normal(rule.period.start)
        if found:
            yield found, {"id": "awal periode", "en": "start of the period"}
    for spec in rule.inputs.values():
        label = {"id": spec.label.id, "en": spec.label.en}
        for path in INPUT_KINDS[spec.kind].fact_paths(spec):
            found = normal(path)
            if found:
                yield found, label


def fact_uses(ruleset: RuleSet) -> dict[str, list[Use]]:
    uses: dict[str, list[Use]] = {}
    for rule in ruleset.rules:
        for path, label in rule_fact_paths(rule):
            entry = Use(rule.id, rule.citation, rule.topic, label)
            bucket = uses.setdefault(path, [])
            if all(existing.rule_id != rule.id for existing in bucket):
                bucket.append(entry)
    return uses


# --- Examples from the bundled facts files -----------------------------------------------------

@lru_cache(maxsize=None)
def _example_documents() -> tuple[tuple[str, Any], ...]:
    folder = data_directory("facts") / "examples"
    documents = []
    for file in sorted(folder.glob("*.yaml")):
        data = load_source(file, "facts").data
        region = str(data.get("organisation", {}).get("region", "")) if isinstance(data, dict) else ""
        documents.append((region, data))
    return tuple(documents)


def _values_at(data: Any, segments: list[str]) -> Iterator[Any]:
    if not segments:
        yield data
        return
    if isinstance(data, list):
        for item in data:
            yield from _values_at(item, segments)
    elif isinstance(data, dict) and segments[0] in data:
        yield from _values_at(data[segments[0]], segments[1:])


def example_value(path: str, region: Optional[str]) -> Any:
    """The first value the bundled examples hold at `path` (units of `region` first); None if none does."""
    documents = sorted(_example_documents(), key=lambda entry: entry[0] != region)
    for _, data in documents:
        for value in _values_at(data, path.split(".")):
            if value is not None and value != [] and value != "tidak_ada":
                return value
    return None


def _as_dates(value: Any) -> Any:
    """Dates read as text by the facts loader, back to dates (so YAML writes them unquoted)."""
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        return {key: _as_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_dates(item) for item in value]
    return value


def _flow(value: Any) -> str:
    """One line of YAML for a value (dates stay unquoted, so the line can be pasted as it is)."""
    return yaml.safe_dump(_as_dates(value), default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False).strip().removesuffix("...").strip()


# --- Describing a field ---------------------------------------------------------------------

def _union_arguments(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [argument for argument in typing.get_args(annotation) if argument is not type(None)]
    return [annotation]


def _allows_absent(annotation: Any) -> bool:
    return any(argument == NotPresent for argument in _union_arguments(annotation))


def _kind_words(annotation: Any, words: dict[str, Any]) -> str:
    inner, is_list = unwrap_annotation(annotation)
    absent = _allows_absent(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return words["list"] if is_list else (words["document"] if absent else words["block"])
    if isinstance(inner, type) and issubclass(inner, Enum):
        kind = f"{words['one_of']}: " + ", ".join(member.value for member in inner)
    elif typing.get_origin(inner) is Literal:
        kind = f"{words['one_of']}: " + ", ".join(str(value) for value in typing.get_args(inner))
    elif inner is datetime.date:
        kind = words["date_or_absent"] if absent else words["date"]
    elif inner is bool:
        kind = words["yes_no"]
    elif inner is int:
        kind = words["integer"]
    elif inner is float:
        kind = words["number"]
    else:
        kind = words["text"]
    return f"{words['list_of']} {kind}" if is_list else kind


def _synthetic_example(annotation: Any) -> Any:
    inner, is_list = unwrap_annotation(annotation)
    if isinstance(inner, type) and issubclass(inner, Enum):
        value: Any = next(iter(inner)).value
    elif typing.get_origin(inner) is Literal:
        value = typing.get_args(inner)[0]
    elif inner is datetime.date:
        value = datetime.date(2024, 3, 1)
    elif inner is bool:
        value = True
    elif inner in (int, float):
        value = 1
    else:
        value = "…"
    return [value] if is_list else value


# --- Writing the template -------------------------------------------------------------------

class _Writer:
    def __init__(self, ruleset: RuleSet, language: str):
        self.ruleset = ruleset
        self.language = language
        self.words = WORDS[language]
        self.uses = fact_uses(ruleset)
        self.region = ruleset.regulation.metadata.get("region")
        self.rows = load_topics()
        self.row_index = {row.id: index for index, row in enumerate(self.rows)}
        self.row_of = row_of_topic(self.rows)
        self.lines: list[str] = []

    def uses_under(self, path: str) -> list[Use]:
        found: list[Use] = []
        for used_path, uses in self.uses.items():
            if used_path == path or used_path.startswith(path + "."):
                found.extend(use for use in uses if use not in found)
        return found

    def citations(self, uses: list[Use]) -> str:
        order = {rule.id: index for index, rule in enumerate(self.ruleset.rules)}
        seen: list[str] = []
        for use in sorted(uses, key=lambda use: order.get(use.rule_id, 0)):
            if use.citation not in seen:
                seen.append(use.citation)
        return ", ".join(seen)

    def topic_labels(self, uses: list[Use]) -> str:
        rows = sorted({self.row_of[use.topic].id for use in uses if use.topic in self.row_of}, key=self.row_index.get)
        by_id = {row.id: row for row in self.rows}
        return "; ".join(f"{by_id[row].group_label[self.language]} — {by_id[row].label[self.language]}" for row in rows)

    def first_row(self, uses: list[Use]) -> int:
        return min((self.row_index[self.row_of[use.topic].id] for use in uses if use.topic in self.row_of), default=len(self.rows))

    def comment(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + "# " + text if text else " " * indent + "#")

    def describe(self, indent: int, path: str, annotation: Any, required: bool, uses: list[Use], note: Optional[str] = None) -> None:
        labels: list[str] = []
        for use in uses:
            if path in self.uses and use in self.uses[path] and use.label[self.language] not in labels:
                labels.append(use.label[self.language])
        what = note or self.words["blocks"].get(path) or "; ".join(labels[:3])
        kind = _kind_words(annotation, self.words) + (f" ({self.words['required']})" if required else "")
        self.comment(indent, f"{what}. {kind}" if what else kind)
        if uses:
            self.comment(indent, f"{self.words['used_by']}: {self.citations(uses)}")

    def scalar_example(self, path: str, annotation: Any) -> Any:
        found = example_value(path, self.region)
        return found if found is not None else _synthetic_example(annotation)

    def field(self, indent: int, path: str, name: str, annotation: Any, required: bool, note: Optional[str] = None) -> None:
        uses = self.uses_under(path)
        inner, is_list = unwrap_annotation(annotation)
        self.describe(indent, path, annotation, required, uses, note)
        shape: list[str] = []
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            shape = self.skeleton(path, inner, is_list)
        if shape:
            self.comment(indent, self.words["shape"] if is_list else self.words["shape_document"])
            for line in shape:
                self.comment(indent, "  " + line)
        else:
            self.comment(indent, f"{self.words['example']}: {name}: {_flow(self.scalar_example(path, annotation))}")
        self.lines.append(" " * indent + f"{name}: ~")

    def skeleton(self, path: str, model: type[BaseModel], is_list: bool) -> list[str]:
        """The shape of a list entry or a document as YAML lines (to be commented), an example per field.

        Only the fields a rule reads, and those the model requires, are shown; a block none of
        whose fields a rule reads (a document reference) is shown whole, as the example gives it.
        """
        lines: list[str] = []
        first = True
        for name, info in model.model_fields.items():
            child = f"{path}.{name}"
            uses = self.uses_under(child)
            if not uses and not info.is_required():
                continue
            inner, child_is_list = unwrap_annotation(info.annotation)
            prefix = ("- " if first else "  ") if is_list else ""
            first = False
            where = f"  # {self.citations(uses)}" if uses else f"  # {self.words['required']}"
            nested = self.skeleton(child, inner, child_is_list) if isinstance(inner, type) and issubclass(inner, BaseModel) else []
            if nested:
                lines.append(f"{prefix}{name}:{where}")
                lines.extend(" " * (len(prefix) + 2) + line for line in nested)
            else:
                kind = _kind_words(info.annotation, self.words)
                example = _flow(self.scalar_example(child, info.annotation))
                lines.append(f"{prefix}{name}: {example}{where}; {kind}")
        return lines

    def container(self, indent: int, path: str, model: type[BaseModel], always: tuple[str, ...] = ()) -> None:
        for name, info in model.model_fields.items():
            child = f"{path}.{name}" if path else name
            uses = self.uses_under(child)
            if not uses and name not in always and not info.is_required():
                continue
            if uses and path in CONTAINERS[1:]:
                self.lines.append("")
                self.comment(indent, f"— {self.topic_labels(uses)}")
            notes = {"organisation.atasan_satuan_kerja": self.words["atasan"], "organisation.local_days_off": self.words["days_off"],
                     **{f"organisation.{key}": text for key, text in self.words["organisation_notes"].items()}}
            note = notes.get(child) or (None if uses else self.words["none_used"])
            self.field(indent, child, name, info.annotation, info.is_required(), note)

    def write(self) -> str:
        metadata = self.ruleset.regulation.metadata
        name = f"{metadata.get('type', '')} {str(metadata.get('region', '')).removeprefix('Kabupaten ').removeprefix('Kota ')} " \
               f"Nomor {metadata.get('number')} Tahun {metadata.get('year')}".strip()
        for line in self.words["header"]:
            self.comment(0, line.format(regulation=name, regulation_id=self.ruleset.regulation.id, version=self.ruleset.version))
        blocks = []
        for name, info in Facts.model_fields.items():
            uses = self.uses_under(name)
            wanted = uses or name == "organisation" or (name == "earlier_audits" and self._escalates())
            if wanted:
                blocks.append((0 if name == "organisation" else self.first_row(uses), list(Facts.model_fields).index(name), name, info, uses))
        for _, _, name, info, uses in sorted(blocks, key=lambda block: block[:2]):
            self.lines.append("")
            self.comment(0, "=" * 76)
            heading = self.words["identity"] if name == "organisation" else (self.topic_labels(uses) or self.words["none_used"])
            self.comment(0, heading if name == "organisation" else f"{self.words['topics']}: {heading}")
            self.comment(0, "=" * 76)
            if name in CONTAINERS:
                self.lines.append(f"{name}:")
                always: tuple[str, ...] = ()
                if name == "organisation":
                    # `local_days_off` is asked for where a rule counts working days: those kinds read it.
                    always = ("name", "type", "region", "atasan_satuan_kerja")
                self.container(2, name, unwrap_annotation(info.annotation)[0], always)
            else:
                note = self.words["earlier"] if name == "earlier_audits" else None
                self.field(0, name, name, info.annotation, info.is_required(), note)
        return "\n".join(self.lines) + "\n"

    def _escalates(self) -> bool:
        return any(measure.open_more_than_months for clause in self.ruleset.meta.sanctions.values() for measure in clause.measures)


def facts_template(ruleset: RuleSet, language: str = "id") -> str:
    """The facts file to fill in for `ruleset`, as YAML text with comments."""
    return _Writer(ruleset, language).write()


def template_paths(text: str) -> list[tuple[str, int]]:
    """The dotted path of every `KEY: ~` line of a template, with its line index (for filling it in)."""
    stack: list[tuple[int, str]] = []
    found = []
    for index, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        key = stripped.split(":", 1)[0]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([entry[1] for entry in stack] + [key])
        if stripped.endswith(": ~"):
            found.append((path, index))
        else:
            stack.append((indent, key))
    return found


def fill_template(text: str, values: dict[str, Any]) -> str:
    """Replace the `~` of each path that `values` (a facts mapping) holds with its value, on one line."""
    lines = text.splitlines()
    for path, index in template_paths(text):
        value: Any = values
        for segment in path.split("."):
            value = value.get(segment) if isinstance(value, dict) else None
        if value is not None:
            lines[index] = lines[index][: -len("~")] + _flow(value)
    return "\n".join(lines) + "\n"

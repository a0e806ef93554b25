"""How a report names what the facts hold: dates, numbers, codes and facts, in the reader's language.

An inspector writes "10 Oktober 2022", "74,9", "SP4N-LAPOR!" and "tanggal penetapan Standar
Pelayanan"; the facts hold `2022-10-10`, `74.9`, `sp4n_lapor` and
`service_types[0].standar_pelayanan.established_on`. The words come from data files beside the
labels, so a translator edits words, not code:
- reports/labels/codes.yaml: every value of every code list (Enum, Literal) of the facts model;
- reports/labels/fact_fields.yaml: every field name of the facts model as a noun phrase, so a
  path is read from its last segment back to its first ("tanggal penetapan" of "Standar
  Pelayanan" of "jenis layanan ke-1").
A fact path itself is kept only in a report's evidence trail (Jejak bukti).
"""

from __future__ import annotations

import enum
import re
from functools import lru_cache
from typing import Any, Optional

from ..dates.wording import MONTHS, long_date as calendar_long_date
from ..model.fact_paths import FactPathError, unwrap_annotation
from ..model.facts import Facts
from .data_paths import data_directory
from .labels import words
from .source_yaml import load_data_file

INDEX = re.compile(r"\[(\d+)\]")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SNAKE = re.compile(r"[a-z]+(?:_[a-z]+)+")
# The fields that date an entry and those that name it, in the order an inspector cites them.
DATE_FIELDS = ("dated", "established_on", "published_on", "held_on", "held_to", "received_on", "submitted_on",
               "decided_on", "checked_on", "delivered_on")
NAMING_FIELDS = ("name", "item", "kind", "channel", "medium", "location", "address", "service_user", "subject",
                 "description")


def long_date(value: Any, language: str) -> str:
    """`2022-10-10` as "10 Oktober 2022" (id) or "10 October 2022" (en) — dates/wording.py, the
    one writer of dates — and any other text as it is (a fact holding a date written otherwise)."""
    try:
        return calendar_long_date(value, language)
    except ValueError:
        return str(value)


def long_month(value: str, language: str) -> str:
    """`2024-03` as "Maret 2024" / "March 2024"."""
    try:
        year, month = int(value[:4]), int(value[5:7])
        return f"{MONTHS[language][month - 1]} {year}"
    except (ValueError, IndexError):
        return str(value)


def long_period(start: Optional[str], end: Optional[str], language: str) -> str:
    """A judged period: a calendar year as "tahun 2024", other windows from date to date."""
    texts = words(language)["kondisi"]
    if not start or not end:
        return ""
    if start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]:
        return texts["year"].format(year=start[:4])
    return texts["period"].format(start=long_date(start, language), end=long_date(end, language))


def number(value: Any, language: str) -> str:
    """A count or a score as people write it: 3, 74,9 (id) / 74.9 (en)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    shown = f"{value:g}" if float(value) != int(value) else str(int(value))
    return shown.replace(".", ",") if language == "id" else shown


@lru_cache(maxsize=None)
def _codes() -> dict[str, Any]:
    return load_data_file(data_directory("reports") / "labels" / "codes.yaml")


@lru_cache(maxsize=None)
def _fact_fields() -> dict[str, Any]:
    return load_data_file(data_directory("reports") / "labels" / "fact_fields.yaml")


def _model_path(path: str) -> str:
    return INDEX.sub("[]", path)


def code_list_of(path: str) -> Optional[str]:
    """The name under which codes.yaml words the values a fact path holds (an Enum's class
    name, or `Model.field` for a Literal), None where the path holds free text."""
    return _code_list_of_model_path(_model_path(path))


# The model path, list positions folded (complaints[] for complaints[7]): a report words the
# same field of thousands of log entries, and the model answers the same for each.
@lru_cache(maxsize=None)
def _code_list_of_model_path(path: str) -> Optional[str]:
    current: Any = Facts
    owner, field_name, annotation = None, None, None
    for segment in path.split("."):
        name = segment.removesuffix("[]")
        if not (isinstance(current, type) and hasattr(current, "model_fields")) or name not in current.model_fields:
            return None
        owner, field_name = current, name
        annotation = current.model_fields[name].annotation
        current, _ = unwrap_annotation(annotation)
    if isinstance(current, type) and issubclass(current, enum.Enum):
        return current.__name__
    if owner is not None and "Literal" in str(annotation):
        return f"{owner.__name__}.{field_name}"
    return None


def code_word(value: Any, language: str, code_list: Optional[str] = None) -> str:
    """A code as the reader's words: through its code list, else the special values
    (`tidak_ada`, true, false); free text is returned as written."""
    codes = _codes()
    if isinstance(value, bool):
        return codes["special"][str(value).lower()][language]
    text = str(value)
    if code_list:
        table = codes["enums"].get(code_list) or codes["literals"].get(code_list) or {}
        if text in table:
            return table[text][language]
    if text in codes["special"]:  # tidak_ada, lainnya: the same word whatever list holds them
        return codes["special"][text][language]
    return text


def any_code_word(value: Any, language: str) -> str:
    """A code whose list is not known (a reason's value, a rule text's word): the first list
    that knows it, else as written."""
    text = str(value)
    found = [table[text][language] for group in ("enums", "literals") for table in _codes()[group].values() if text in table]
    if text in _codes()["special"] or not found:
        return code_word(value, language)
    # A code two lists share reads as the first list words it (codes.yaml is ordered for this).
    return found[0]


def fact_name(path: str, language: str, within: Optional[str] = None) -> str:
    """A concrete fact path as a noun phrase, e.g. "tanggal penetapan Standar Pelayanan".

    `within` is the path of the subject a finding line is about (`service_types[0]`): the
    phrase then stops there, since the line already names that service or entry.
    """
    if within and (path == within or path.startswith(within + ".")):
        path = path[len(within) + 1:] or path
    for root in ("service.", "item."):  # a rule's own path from the judged subject
        if path.startswith(root):
            path = path[len(root):]
    fields = _fact_fields()
    entry_word = fields["list_items"]["entry"][language]
    segments = path.split(".")
    phrases = []
    parent = None
    for segment in segments:
        match = INDEX.search(segment)
        name = INDEX.sub("", segment).removesuffix("[]")
        specific = (fields.get("in") or {}).get(parent or "", {}).get(name)
        word = (specific or fields["fields"].get(name) or {}).get(language, name.replace("_", " "))
        if match:
            word = f"{word} {entry_word.format(n=int(match.group(1)) + 1)}".strip()
        if word:  # a container the reader does not name (fact_fields.yaml gives it no words)
            phrases.append(word)
        parent = name
    if not phrases:  # a block that is only a container, itself not examined
        alone = (fields.get("alone") or {}).get(INDEX.sub("", segments[-1]).removesuffix("[]"))
        return alone[language] if alone else path
    joiner = " " if language == "id" else " of the "
    return joiner.join(reversed(phrases))


def fact_names(paths: list[str], language: str, within: Optional[str] = None) -> str:
    """Several facts in one phrase: "a, b dan c" / "a, b and c"."""
    return join_words([fact_name(path, language, within) for path in paths], language)


def join_words(items: list[str], language: str, word: Optional[str] = None) -> str:
    unique = list(dict.fromkeys(item for item in items if item))
    if len(unique) <= 1:
        return "".join(unique)
    conjunction = word or words(language)["kondisi"]["and"]
    return ", ".join(unique[:-1]) + f" {conjunction} " + unique[-1]


def describe_fact(fact: Any, language: str, path: Optional[str] = None) -> str:
    """A fact as an inspector cites it: a document by number, date and title ("Nomor 12/2024
    tanggal 4 Maret 2024 tentang Standar Pelayanan ..."); a date long; an entry by its name,
    channel or place and date; a code in words."""
    if isinstance(fact, dict):
        texts = words(language)["kondisi"]
        number_part = texts["document_number"].format(number=fact["number"]) if fact.get("number") else ""
        day = next((fact[key] for key in DATE_FIELDS if fact.get(key)), None)
        date_part = texts["dated"].format(date=long_date(day, language)) if day else ""
        if fact.get("title"):
            return " ".join(part for part in (number_part, date_part, texts["about"].format(title=fact["title"])) if part)
        name = next(((key, fact[key]) for key in NAMING_FIELDS
                     if isinstance(fact.get(key), (str, int, float)) and fact.get(key) != ""), None)
        name_part = describe_fact(name[1], language, f"{path}.{name[0]}" if path else None) if name else ""
        document = " ".join(part for part in (number_part, date_part) if part)
        return ", ".join(part for part in (name_part, document) if part) or texts["recorded"]
    if isinstance(fact, list):
        return join_words([describe_fact(entry, language, f"{path}[0]" if path else None) for entry in fact], language)
    if isinstance(fact, bool):
        return code_word(fact, language)
    if isinstance(fact, (int, float)):
        return number(fact, language)
    text = str(fact)
    if ISO_DATE.fullmatch(text):
        return long_date(text, language)
    worded = code_word(text, language, safe_code_list(path) if path else None)
    if worded == text and SNAKE.fullmatch(text):
        return text.replace("_", " ")  # a free-text field the unit filled in as a code
    return worded


FACT_LIKE = re.compile(r"^[a-z][a-z_]*(\[\d*\])?(\.[a-z][a-z_]*(\[\d*\])?)*$")


def is_fact_path(text: str) -> bool:
    """Whether a rule text's `backticked` word names a fact (every segment a field of the model)."""
    if not FACT_LIKE.match(text):
        return False
    known = _fact_fields()["fields"]
    return all(INDEX.sub("", segment).removesuffix("[]") in known for segment in text.split("."))


def word_backticked(text: str, language: str) -> Optional[str]:
    """A rule text's `backticked` word in the reader's words: a fact by its name, a code by
    its words, `field: value` as both ("Standar Pelayanan: tidak ada"); None where it is
    neither (a command, a vocabulary word quoted as the facts must write it)."""
    if ": " in text:
        key, value = text.split(": ", 1)
        named = word_backticked(key, language)
        shown = word_backticked(value.strip(), language)
        if named is None:
            return None
        if shown is None:  # a value the facts hold as free text, written as a code
            shown = value.strip().replace("_", " ") if SNAKE.fullmatch(value.strip()) else value.strip()
        return f"{named}: {shown}"
    if text in ("true", "false"):
        return code_word(text == "true", language)
    if text == "[]":
        return _codes()["special"]["empty_list"][language] if "empty_list" in _codes()["special"] else None
    worded = any_code_word(text, language)
    if worded != text:
        return worded
    if is_fact_path(text):
        return fact_name(text, language)
    return None


# A field name, path or code written into a rule's prose without backticks: snake_case, or
# dotted, or with a list marker. Plain words never match.
ENGINE_TERM = re.compile(r"(?<![\w/.`-])[a-z][a-z0-9]*(?:(?:_|\.)[a-z][a-z0-9_]*|\[\d*\])+(?:\[\d*\])?(?:\.[a-z][a-z0-9_]*(?:\[\d*\])?)*(?![\w/`-])")


def word_engine_terms(text: str, language: str) -> str:
    """Prose with the facts' field names and codes it mentions in the reader's words."""
    def replace(match: re.Match) -> str:
        term = match.group(0)
        worded = word_backticked(term, language)
        return term if worded is None else worded
    return ENGINE_TERM.sub(replace, text)


def safe_code_list(path: str) -> Optional[str]:
    try:
        return code_list_of(path)
    except FactPathError:
        return None

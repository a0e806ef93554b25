"""What an input found, as the words of a Kondisi: the part every kind's `phrase` shares.

A kind's `phrase(evidence, language, within)` says in the reader's language what its input
found for one subject — "tanggal 4 Maret 2024", "tidak ada (tercatat tidak ada pada
pemeriksaan)", "12 hari kerja (tenggat 21 Maret 2024)" — and audit/record.py puts it after
the input's label: "Tanggal penetapan Standar Pelayanan: 4 Maret 2024." It reads only the
language-free evidence of the finding (a JSON report read back words the same), names facts
by what they are (load/wording.py) and never by their path, and says what is not yet
examined instead of printing an open range.
"""

from __future__ import annotations

from typing import Optional

from ..load.labels import words
from ..load.wording import any_code_word, describe_fact, fact_names, join_words, long_date, number

# A list of matches is evidence, but a Kondisi names the first few and counts the rest.
ITEMS_NAMED = 3


def texts(language: str) -> dict[str, str]:
    return words(language)["kondisi"]


def not_examined(evidence: dict, language: str, within: Optional[str]) -> str:
    """The input could not be decided: say which facts were not examined."""
    missing = evidence.get("missing_facts") or []
    if missing:
        return texts(language)["not_examined_facts"].format(facts=fact_names(missing, language, within))
    return texts(language)["not_examined"]


def recorded_absent(evidence: dict, language: str, within: Optional[str]) -> Optional[str]:
    # The label names the fact; which document on its path was recorded `tidak_ada` is in the
    # evidence trail.
    return texts(language)["recorded_as_absent"] if (evidence.get("details") or {}).get("recorded_absent") else None


def described_items(evidence: dict, language: str) -> list[str]:
    described = []
    for item in evidence.get("items") or []:
        fact = item.get("fact") if isinstance(item, dict) else item
        if isinstance(fact, dict) and isinstance(fact.get("document"), dict):
            fact = fact["document"]  # an entry holding its document is cited by the document
        described.append(describe_fact(fact, language, item.get("path") if isinstance(item, dict) else None))
    return described


def count_phrase(evidence: dict, language: str, within: Optional[str]) -> str:
    """How many entries a count found, each cited as an inspector cites it."""
    words_of = texts(language)
    low, high = evidence.get("low"), evidence.get("high")
    if low is None:
        return not_examined(evidence, language, within)
    if high is None or high != low:
        if not low:
            return not_examined(evidence, language, within)
        return words_of["at_least"].format(n=number(low, language), rest=not_examined(evidence, language, within))
    if not low:
        return recorded_absent(evidence, language, within) or words_of["none"]
    named = described_items(evidence, language)
    if not named:
        return number(low, language)
    if len(named) > ITEMS_NAMED:
        return words_of["many"].format(n=number(low, language), first="; ".join(named[:ITEMS_NAMED]),
                                       more=number(len(named) - ITEMS_NAMED, language))
    return "; ".join(named)


def span_phrase(evidence: dict, language: str, within: Optional[str], unit: str) -> str:
    """A span of days between two dates, with the deadline it is held to."""
    words_of = texts(language)
    low = evidence.get("low")
    deadline = (evidence.get("details") or {}).get("deadline")
    deadline_words = words_of["deadline"].format(date=long_date(deadline, language)) if deadline else ""
    if low is None:
        said = recorded_absent(evidence, language, within) or not_examined(evidence, language, within)
        return f"{said} ({deadline_words})" if deadline_words else said
    dates = [item["fact"] for item in evidence.get("items") or [] if isinstance(item, dict) and isinstance(item.get("fact"), str)]
    span = words_of[unit].format(n=number(low, language))
    if len(dates) == 2:
        span += " " + words_of["from_to"].format(start=long_date(dates[0], language), end=long_date(dates[1], language))
    return f"{span} ({deadline_words})" if deadline_words else span


def gaps_phrase(evidence: dict, language: str, within: Optional[str], unit: str, shown: list[str]) -> str:
    """Days or months of a period that no entry covers."""
    words_of = texts(language)
    low, high = evidence.get("low"), evidence.get("high")
    count = (evidence.get("details") or {}).get("gap_count", low)
    if low is None:
        return not_examined(evidence, language, within)
    if not count:
        return words_of["no_gaps"] if high is not None else words_of["no_gaps_yet"]
    more = count - len(shown)
    listed = ", ".join(shown) + (words_of["and_more"].format(n=more) if more > 0 else "")
    said = words_of[unit].format(n=number(count, language)) + f": {listed}"
    if high is None or high != low:
        said += " " + words_of["still_running"]
    return said


def value_phrase(evidence: dict, language: str, within: Optional[str]) -> str:
    value, low = evidence.get("value"), evidence.get("low")
    items = evidence.get("items") or []
    path = items[0].get("path") if items and isinstance(items[0], dict) else None
    if value is None and low is None:
        return not_examined(evidence, language, within)
    if value == "tidak_ada":
        return recorded_absent(evidence, language, within) or texts(language)["recorded_as_absent"]
    if value in ("true", "false"):
        return describe_fact(value == "true", language)
    if value is None:
        return number(low, language)
    return describe_fact(value, language, path)


def lacking_phrase(evidence: dict, language: str, within: Optional[str]) -> str:
    """What a required list lacks, each entry in words (a vocabulary's, else its code list's)."""
    lacking = (evidence.get("details") or {}).get("lacking")
    if lacking is None:
        return not_examined(evidence, language, within)
    if not lacking:
        return texts(language)["none_lacking"]
    return join_words([any_code_word(entry, language) for entry in lacking], language)


def deadline_in_months_phrase(evidence: dict, language: str, within: Optional[str]) -> str:
    words_of = texts(language)
    deadline = (evidence.get("details") or {}).get("deadline")
    low = evidence.get("low")
    if deadline is None or low is None:
        said = recorded_absent(evidence, language, within) or not_examined(evidence, language, within)
        return f"{said} ({words_of['deadline'].format(date=long_date(deadline, language))})" if deadline else said
    key = "before_deadline" if low >= 0 else "after_deadline"
    return words_of[key].format(n=number(abs(low), language), date=long_date(deadline, language))


def measure_phrase(evidence: dict, language: str, within: Optional[str]) -> str:
    """A survey's recomputed measure (a number or a grade), or how many surveys cover a service."""
    if evidence.get("value") is None and evidence.get("low") is not None and evidence.get("items"):
        if evidence.get("low") == evidence.get("high") and not (evidence.get("details") or {}):
            return number(evidence["low"], language)
    return value_phrase(evidence, language, within)

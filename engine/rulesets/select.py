"""Which rule set an audit or a document uses: the one function every command chooses with.

A user names a regulation by its id or a short name (`tegal`), or names none and lets the
unit's region choose; a version is the one named, else the one in force on the audit date,
else the newest. Choosing never prints: a short name that its regulation's own text disputes
comes back as a warning sentence, for the command to show.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Optional

from ..load.regulation_text import list_regulations, load_regulation, resolve_regulation_name
from . import load as rule_files  # called through the module: one place decides where rules/ is
from .load import RULESET_FILE, RuleSet
from ..problems import CannotRun


class NotInForce(CannotRun):
    pass


def available_versions(regulation_id: str) -> list[str]:
    folder = rule_files.rules_directory() / regulation_id
    if not folder.is_dir():
        return []
    names = [p.name for p in folder.iterdir() if (p / RULESET_FILE).is_file()]
    # v2 before v10: compare the numbers in a version name, not its letters.
    return sorted(names, key=lambda name: [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)])


def list_rule_regulations() -> list[str]:
    return sorted(p.name for p in rule_files.rules_directory().iterdir() if p.is_dir() and available_versions(p.name))


def ruleset_in_force(regulation_id: str, as_of: date) -> RuleSet:
    """The rule set version whose effective period contains `as_of`."""
    loaded = [rule_files.load_ruleset(regulation_id, version) for version in _versions_or_refuse(regulation_id)]
    loaded.sort(key=lambda ruleset: ruleset.meta.effective_from)
    for position, ruleset in enumerate(loaded):
        meta = ruleset.meta
        # A version left open runs until the next one starts (the loader refuses gaps and overlaps).
        following = loaded[position + 1].meta.effective_from if position + 1 < len(loaded) else None
        still_in_force = (as_of <= meta.effective_until) if meta.effective_until is not None else (following is None or as_of < following)
        if meta.effective_from <= as_of and still_in_force:
            return ruleset
    first = min(loaded, key=lambda r: r.meta.effective_from)
    regulation = first.regulation
    if as_of < first.meta.effective_from:
        revoked = "; ".join(
            f"{r.get('type', '')} {r.get('region', '')} Nomor {r.get('number')} Tahun {r.get('year')}".strip()
            for r in regulation.metadata.get("revokes", [])
        )
        replaced = f" Before that date {revoked} applied, which patuh does not encode." if revoked else ""
        raise NotInForce(f"{regulation_id} is in force from {first.meta.effective_from.isoformat()}; "
                         f"an audit as of {as_of.isoformat()} cannot use it.{replaced}")
    raise NotInForce(f"no rule set version of {regulation_id} covers {as_of.isoformat()}")


def _versions_or_refuse(regulation_id: str) -> list[str]:
    versions = available_versions(regulation_id)
    if not versions:
        raise NotInForce(f"no rules for regulation {regulation_id!r} (known: {', '.join(list_rule_regulations()) or 'none'})")
    return versions


def same_region(first: Optional[str], second: Optional[str]) -> bool:
    """Region names as users and regulations write them: `Kabupaten Tegal` and `kabupaten tegal ` are one."""
    return str(first or "").strip().lower() == str(second or "").strip().lower()


def binds_region(ruleset: RuleSet, region: str) -> bool:
    """Whether the regulation binds a unit of `region`: a regulation without a region binds every unit."""
    regulation_region = ruleset.regulation.metadata.get("region")
    return not regulation_region or same_region(region, regulation_region)


@lru_cache(maxsize=None)
def regulations_by_region() -> dict[str, tuple[str, ...]]:
    """Each region's regulations (lower-case region name -> regulation ids), from regulations/."""
    by_region: dict[str, list[str]] = {}
    for regulation_id in list_regulations():
        region = load_regulation(regulation_id).metadata.get("region")
        if region:
            by_region.setdefault(str(region).strip().lower(), []).append(regulation_id)
    return {region: tuple(ids) for region, ids in by_region.items()}


def select_ruleset(regulation: Optional[str] = None, as_of: Optional[date] = None, version: Optional[str] = None,
                   region: Optional[str] = None) -> tuple[RuleSet, list[str]]:
    """The rule set to use, and the warnings choosing it raised (plain sentences, to show the user).

    `regulation`: an id or short name; without it, the regulation of `region` in force on
    `as_of` (the first of the region's regulations that is). `version`: that version; else
    the version in force on `as_of`; else the newest. Raises NotInForce, naming what is known,
    when nothing fits.
    """
    ruleset, warnings = _selected(regulation, as_of, version, region)
    return ruleset, list(warnings)


# A batch chooses once per unit: the answer for the same question is kept (the rule sets
# themselves are cached by load_ruleset already; this keeps the name and date look-ups).
@lru_cache(maxsize=None)
def _selected(regulation: Optional[str], as_of: Optional[date], version: Optional[str],
              region: Optional[str]) -> tuple[RuleSet, tuple[str, ...]]:
    if regulation is None:
        if region is None:
            raise ValueError("select_ruleset needs a regulation or a region")
        return _for_region(region, as_of), ()
    regulation_id, warning = resolve_regulation_name(regulation)
    warnings = (warning,) if warning else ()
    versions = _versions_or_refuse(regulation_id)
    if version is not None:
        if version not in versions:
            raise NotInForce(f"{regulation_id} has no rule-set version {version!r} (known: {', '.join(versions)})")
        return rule_files.load_ruleset(regulation_id, version), warnings
    if as_of is not None:
        return ruleset_in_force(regulation_id, as_of), warnings
    return rule_files.load_ruleset(regulation_id, versions[-1]), warnings


def _for_region(region: str, as_of: Optional[date]) -> RuleSet:
    candidates = regulations_by_region().get(region.strip().lower())
    if not candidates:
        known = ", ".join(sorted(load_regulation(ids[0]).metadata["region"] for ids in regulations_by_region().values()))
        raise NotInForce(f"no encoded regulation for the region {region!r} (regions with rules: {known}); "
                         "give --regulation to audit against another region's rules")
    refusals = []
    for regulation_id in candidates:
        try:
            return _selected(regulation_id, as_of, None, None)[0]
        except NotInForce as refusal:
            refusals.append(str(refusal))
    raise NotInForce("; ".join(refusals))


def forget_choices() -> None:
    """Drop the remembered answers (after the rules folder changed, as a test's fixture does)."""
    _selected.cache_clear()
    regulations_by_region.cache_clear()

"""The benchmark's unit generator: seeded, every region, realistic gaps, and every file valid."""

from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from patuh.load.facts import load_facts
from patuh.load.source_yaml import load_source

_spec = importlib.util.spec_from_file_location("generate_units", Path(__file__).parents[1] / "benchmarks" / "generate_units.py")
generate_units = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate_units)


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_every_generated_unit_validates(tmp_path, seed):
    files = generate_units.write_units(24, seed, tmp_path)
    for file in files:
        load_facts(file, date(2024, 12, 31))  # raises FactsError naming the problem


def test_the_same_seed_gives_the_same_files_whatever_the_count(tmp_path):
    first = generate_units.write_units(12, 5, tmp_path / "a")
    second = generate_units.write_units(20, 5, tmp_path / "b")
    other = generate_units.write_units(12, 6, tmp_path / "c")
    assert [file.read_bytes() for file in first] == [file.read_bytes() for file in second[:12]]
    assert [file.read_bytes() for file in first] != [file.read_bytes() for file in other]


def test_units_cover_all_regions_with_gaps_and_complaint_logs_up_to_500(tmp_path):
    by_region = generate_units.templates()
    units = [generate_units.generate_unit(3, index, by_region) for index in range(400)]
    assert Counter(unit["organisation"]["region"] for unit in units) == {region: 100 for region in by_region}
    logs = [len(unit["complaint_management"].get("complaints") or [])
            for unit in units if isinstance(unit.get("complaint_management"), dict)]
    assert min(logs) == 0 and 100 < max(logs) <= 500
    for region in by_region:  # every region keeps logs, also those whose examples have none
        assert any(len(unit["complaint_management"].get("complaints") or []) > 20 for unit in units
                   if unit["organisation"]["region"] == region and isinstance(unit.get("complaint_management"), dict))
    assert any(block not in unit for unit in units for block in ("publications", "events", "facilities"))
    text = "\n".join(str(unit) for unit in units)
    assert "'tidak_ada'" in text
    assert any("decided_on" not in entry and "declined_on" not in entry
               for unit in units if isinstance(unit.get("complaint_management"), dict)
               for entry in unit["complaint_management"].get("complaints") or [])
    assert len({unit["organisation"]["name"] for unit in units}) == 400

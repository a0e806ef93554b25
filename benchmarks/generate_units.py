"""Synthetic units for the batch benchmark: realistic facts files for all four regions.

    python benchmarks/generate_units.py --count 1000 --seed 7 --out /tmp/units

Each unit starts from one of the bundled example units of its region (so its facts have the
shape inspectors write) and is then varied the way real audit files vary: blocks the inspector
did not examine are left out (unknown findings), documents recorded as `tidak_ada`, missing
publications and facilities, and a complaint log of 0 to 500 entries whose dates, response
times and gaps are drawn afresh. The regions take turns, so every region gets a quarter of
the units. Regions whose examples keep no complaint log get a plain register (number, dates,
channel, service, subject).

Seeded: unit N of seed S is the same file whatever --count is, on every machine (it depends
only on S, N and the bundled examples). Every file validates as of 2024-12-31 (the examples'
audit date); tests/test_generator.py checks that for a few seeds.
"""

from __future__ import annotations

import argparse
import copy
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from patuh.load.data_paths import data_directory
from patuh.load.source_yaml import load_source

AS_OF = date(2024, 12, 31)
NOT_PRESENT = "tidak_ada"
REGION_OF_PREFIX = {"tegal": "Kabupaten Tegal", "sanggau": "Kabupaten Sanggau", "madiun": "Kabupaten Madiun", "metro": "Kota Metro"}
# Blocks an inspector may not have examined; leaving one out gives unknown findings naming it.
OPTIONAL_BLOCKS = ("publications", "maklumat", "information_services", "facilities", "complaint_management",
                   "events", "incidents", "cooperation_agreements")
DECLINE_REASONS = ("lewat_batas_waktu", "bukan_kewenangan", "tidak_lengkap", "lainnya")
COMPLAINT_SUBJECTS = ("antrean terlalu lama", "petugas tidak ramah", "berkas hilang", "layanan daring tidak dapat diakses",
                      "biaya tidak sesuai standar", "produk layanan belum terbit", "salah tulis data", "jam layanan tidak ditepati")


def templates() -> dict[str, list[dict[str, Any]]]:
    """The bundled examples by region, read with dates kept as text (as patuh reads them)."""
    by_region: dict[str, list[dict[str, Any]]] = {region: [] for region in REGION_OF_PREFIX.values()}
    for example in sorted((data_directory("facts") / "examples").glob("*.yaml")):
        data = load_source(example, "facts").data
        by_region[data["organisation"]["region"]].append(data)
    return by_region


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def _complaint_count(rng: random.Random) -> int:
    """Most units log a handful of complaints, some dozens, a few hundreds (up to 500)."""
    draw = rng.random()
    if draw < 0.15:
        return 0
    if draw < 0.60:
        return rng.randint(1, 12)
    if draw < 0.90:
        return rng.randint(13, 120)
    return rng.randint(121, 500)


def _complaint(rng: random.Random, number: str, shape: dict[str, Any], service_ids: list[str]) -> dict[str, Any]:
    """One log entry with the fields the region's registers record, and realistic delays and gaps."""
    received = date(2024, 1, 2) + timedelta(days=rng.randint(0, 360))
    entry: dict[str, Any] = {"number": number, "received_on": received.isoformat()}
    if "channel" in shape:
        entry["channel"] = shape["channel"]
    if "service_type" in shape and service_ids:
        entry["service_type"] = rng.choice(service_ids)
    entry["subject"] = rng.choice(COMPLAINT_SUBJECTS)
    if "service_received_on" in shape:
        entry["service_received_on"] = (received - timedelta(days=rng.randint(0, 10))).isoformat()
    start = received
    if "file_complete_on" in shape:
        start = received + timedelta(days=rng.choice((0, 0, 1, 2, 5)))
        entry["file_complete_on"] = min(start, AS_OF).isoformat()

    def by_as_of(day: date) -> str:
        return day.isoformat() if day <= AS_OF else NOT_PRESENT

    if rng.random() < 0.03:
        entry["declined_on"] = by_as_of(received + timedelta(days=rng.randint(0, 6)))
        entry["declined_reason"] = rng.choice(DECLINE_REASONS)
    else:
        entry["first_response_on"] = by_as_of(received + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 4, 6, 12))))
        decided = start + timedelta(days=int(rng.triangular(1, 150, 20)))
        entry["decided_on"] = by_as_of(decided)
        delivered = decided + timedelta(days=rng.choice((0, 0, 1, 3, 7, 15, 30)))
        entry["delivered_on"] = by_as_of(delivered) if entry["decided_on"] != NOT_PRESENT else NOT_PRESENT
    for optional in ("fee_charged", "compensation_claimed", "status"):
        if optional in shape:
            entry[optional] = shape[optional]
    # A partly kept register: a date column left blank is a fact not recorded (unknown), not "not yet".
    for column in ("first_response_on", "decided_on", "delivered_on"):
        if column in entry and rng.random() < 0.05:
            del entry[column]
    return entry


def _vary_documents(rng: random.Random, data: dict[str, Any]) -> None:
    for service in data.get("service_types") or []:
        if "sop" in service and rng.random() < 0.12:
            if rng.random() < 0.6:
                service["sop"] = NOT_PRESENT  # the inspector asked and there is none
            else:
                del service["sop"]  # not examined
        standard = service.get("standar_pelayanan")
        if isinstance(standard, dict) and "drafting_forum" in standard and rng.random() < 0.10:
            standard["drafting_forum"] = NOT_PRESENT
    management = data.get("complaint_management")
    if isinstance(management, dict):
        for name in ("sop", "tracking", "archive", "mechanism", "officer_appointment"):
            if name in management and rng.random() < 0.08:
                management[name] = NOT_PRESENT
    if isinstance(data.get("maklumat"), dict) and rng.random() < 0.06:
        data["maklumat"] = NOT_PRESENT
    for survey in (data.get("events") or {}).get("skm") or []:
        if isinstance(survey, dict) and "report" in survey and rng.random() < 0.10:
            survey["report"] = NOT_PRESENT


def generate_unit(seed: int, index: int, by_region: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    rng = random.Random(f"patuh-units/{seed}/{index}")
    regions = sorted(by_region)
    region = regions[index % len(regions)]
    template = rng.choice(by_region[region])
    data = copy.deepcopy(template)
    organisation = data["organisation"]
    organisation["name"] = f"{organisation['name']} (unit sintetis {index:05d})"
    for block in OPTIONAL_BLOCKS:
        if block in data and rng.random() < 0.07:
            del data[block]
    for listing in ("publications", "facilities"):
        if isinstance(data.get(listing), list):
            data[listing] = [entry for entry in data[listing] if rng.random() >= 0.12]
    _vary_documents(rng, data)
    management = data.get("complaint_management")
    if isinstance(management, dict):
        shapes = [entry for example in by_region[region] for entry in
                  ((example.get("complaint_management") or {}).get("complaints") or [])]
        if not shapes:
            # The region's examples keep no log (Tegal, Metro): the plain register of any unit,
            # through the unit's own channels.
            shapes = [{"channel": channel["kind"], "service_type": None}
                      for channel in management.get("channels") or [] if isinstance(channel, dict)] or [{}]
        service_ids = [service["id"] for service in data.get("service_types") or []]
        if shapes:
            management["complaints"] = [
                _complaint(rng, f"ADU/{index:05d}/{number:03d}", rng.choice(shapes), service_ids)
                for number in range(1, _complaint_count(rng) + 1)]
    # Earlier audit findings name rules of the regulation; a unit without them is just as common.
    if "earlier_audits" in data and rng.random() < 0.5:
        del data["earlier_audits"]
    return data


def write_units(count: int, seed: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    by_region = templates()
    # Sheets the examples name beside themselves (SKM responses) go along, under the same name.
    for sheet in sorted((data_directory("facts") / "examples").iterdir()):
        if sheet.is_file() and sheet.suffix.lower() not in (".yaml", ".yml"):
            shutil.copyfile(sheet, folder / sheet.name)
    files = []
    for index in range(count):
        data = generate_unit(seed, index, by_region)
        prefix = next(short for short, region in REGION_OF_PREFIX.items() if region == data["organisation"]["region"])
        file = folder / f"{prefix}-{index:05d}.yaml"
        text = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                         allow_unicode=True, default_flow_style=None, width=120)
        file.write_text(f"# synthetic unit {index} of seed {seed} (benchmarks/generate_units.py)\n{text}", encoding="utf-8")
        files.append(file)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args(argv)
    files = write_units(arguments.count, arguments.seed, arguments.out)
    print(f"{len(files)} units written to {arguments.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

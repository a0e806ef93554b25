"""What the pages say for the engine's codes: statuses, follow-up states, kinds of unit, roles.

A page a person reads shows words, never a code such as `perangkat_daerah` or `tidak_ada`.
"""

from __future__ import annotations

from typing import Optional

from . import engine_calls as engine

STATUS_LABELS = engine.STATUS_LABELS["id"]
FOLLOW_UP_LABELS = {"baru": "Baru", "masih_terbuka": "Masih terbuka", "selesai": "Selesai",
                    "belum_dapat_dipastikan": "Belum dapat dipastikan selesai", "tanpa_pelanggaran": "Tanpa pelanggaran",
                    "tidak_dinilai_sebelumnya": "Tidak dinilai sebelumnya"}
ROLE_LABELS = {"admin": "Pengelola akun", "inspektorat": "Inspektorat", "unit": "Unit pelayanan"}
SOURCE_LABELS = {"upload": "Unggahan inspektorat", "asesmen": "Asesmen mandiri unit", "impor": "Impor berkas"}


def organisation_type_label(code: Optional[str]) -> str:
    return engine.ORGANISATION_TYPE_LABELS.get(code or "", "—") if code else "—"


def regulation_short_name(regulation_id: str) -> str:
    """`Perbup Tegal 63/2023` for `tegal-perbup-63-2023`: the name every report gives it."""
    try:
        return engine.short_title(engine.load_regulation(regulation_id).metadata)
    except Exception:  # an imported report may name a regulation this installation no longer has
        return regulation_id


def unit_status(audit) -> tuple[str, str]:
    """(css class, words) for a unit's latest audit."""
    if audit is None:
        return "none", "Belum pernah diaudit"
    if audit.violation_count:
        return "violation", f"{audit.violation_count} pelanggaran"
    if audit.unknown_count:
        return "unknown", f"Tanpa pelanggaran; {audit.unknown_count} belum diketahui"
    return "comply", "Tanpa pelanggaran"

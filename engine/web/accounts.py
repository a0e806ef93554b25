"""Accounts and what each role may see.

- admin: manages accounts; sees no unit's facts.
- inspektorat: every unit of its own region.
- unit: its own unit only.
A unit another account may not see is answered as "not found", never "forbidden", so that
ids cannot be probed for which units exist.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .database import ROLES, Account, Audit, Draft, Unit, find_unit, same_region

HASHER = PasswordHasher()
# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_ABSENT_HASH = HASHER.hash("tidak ada akun dengan nama ini")
MINIMUM_PASSWORD = 10
NAME_PATTERN = re.compile(r"^[A-Za-z0-9._@-]{2,100}$")


class AccountError(ValueError):
    """A request to make an account that cannot be met, in words for the person asking."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in account, as the routes need it (no password hash carried around)."""

    id: int
    name: str
    role: str
    region: Optional[str]
    unit_id: Optional[int]

    def may_see(self, unit: Unit) -> bool:
        if self.role == "inspektorat":
            return same_region(self.region, unit.region)
        if self.role == "unit":
            return self.unit_id == unit.id
        return False


def viewer_of(account: Account) -> Viewer:
    return Viewer(account.id, account.name, account.role, account.region, account.unit_id)


def create_account(session: Session, name: str, password: str, role: str, region: Optional[str] = None,
                   unit_name: Optional[str] = None, unit_type: Optional[str] = None) -> Account:
    if not NAME_PATTERN.match(name or ""):
        raise AccountError("nama akun: 2 sampai 100 huruf, angka, titik, garis bawah, @ atau tanda hubung, tanpa spasi")
    if role not in ROLES:
        raise AccountError(f"peran harus salah satu dari: {', '.join(ROLES)}")
    check_password(password)
    if session.scalar(select(Account).where(Account.name == name)) is not None:
        raise AccountError(f"akun {name!r} sudah ada")
    region = (region or "").strip() or None
    unit = None
    if role in ("inspektorat", "unit") and not region:
        raise AccountError("akun inspektorat dan akun unit memerlukan wilayah (--region), misalnya \"Kabupaten Tegal\"")
    if role == "unit":
        if not (unit_name or "").strip():
            raise AccountError("akun unit memerlukan nama unit (--unit), persis seperti organisation.name di berkas faktanya")
        unit = find_unit(session, unit_name, region)
        if unit is None:
            unit = Unit(name=" ".join(unit_name.split()), region=region, type=unit_type)
            session.add(unit)
            session.flush()
    elif unit_name:
        raise AccountError("hanya akun unit yang terikat pada satu unit (--unit)")
    account = Account(name=name, password_hash=HASHER.hash(password), role=role, region=region,
                      unit_id=unit.id if unit else None)
    session.add(account)
    session.flush()
    return account


def check_password(password: str) -> None:
    if len(password or "") < MINIMUM_PASSWORD:
        raise AccountError(f"kata sandi paling sedikit {MINIMUM_PASSWORD} karakter")


def session_key(account: Account) -> str:
    """Kept in the session cookie: a new password changes it, which ends the sessions signed in before."""
    return hashlib.sha256(account.password_hash.encode("utf-8")).hexdigest()[:24]


def reset_password(session: Session, account: Account, password: str, repeated: str) -> None:
    check_password(password)
    if password != repeated:
        raise AccountError("kedua kata sandi tidak sama; ketik kata sandi baru dua kali persis sama")
    account.password_hash = HASHER.hash(password)


def delete_account(session: Session, account: Account, by: "Viewer") -> None:
    """Remove an account; the audits it ran keep its name, and its units and their audits stay."""
    if account.id == by.id:
        raise AccountError("akun yang sedang dipakai tidak dapat dihapus sendiri; minta pengelola akun lain")
    session.execute(update(Audit).where(Audit.created_by == account.id)
                    .values(created_by=None, created_by_name=account.name))
    session.execute(update(Draft).where(Draft.updated_by == account.id).values(updated_by=None))
    session.delete(account)
    session.flush()


def authenticate(session: Session, name: str, password: str) -> Optional[Account]:
    account = session.scalar(select(Account).where(Account.name == (name or "").strip()))
    try:
        HASHER.verify(account.password_hash if account else _ABSENT_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if account is None:
        return None
    if HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = HASHER.hash(password)
    return account


def visible_units(session: Session, viewer: Viewer) -> list[Unit]:
    units = session.scalars(select(Unit).order_by(Unit.name)).all()
    return [unit for unit in units if viewer.may_see(unit)]

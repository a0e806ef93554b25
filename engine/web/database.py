"""The database: units, accounts, audits (kept, never overwritten) and drafts (versioned).

SQLite by default (one file, ./patuh.db); PostgreSQL where a region runs one. The schema is
made by the Alembic migrations in migrations/ (`upgrade`), never by `create_all`, so that a
database made today is upgraded by the same steps as one made a year ago.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import (Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, create_engine,
                        event, select)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ROLES = ("admin", "inspektorat", "unit")


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Base(DeclarativeBase):
    pass


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("region", "name", name="units_region_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(200))
    type: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    audits: Mapped[list["Audit"]] = relationship(back_populates="unit", order_by="Audit.as_of, Audit.id")


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    region: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    unit: Mapped[Optional[Unit]] = relationship()


class Audit(Base):
    """One audit as it was run: the facts text, the date, the rule set and the JSON report."""

    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    # The account that ran it; None once that account is deleted (its name stays in created_by_name).
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    created_by_name: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    # upload (an inspector), asesmen (a unit's self-assessment), impor (`patuh import`)
    source: Mapped[str] = mapped_column(String(20))
    facts_filename: Mapped[str] = mapped_column(String(300))
    # None only for a report imported without its facts file.
    facts_yaml: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    facts_sha256: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[date] = mapped_column(Date)
    regulation_id: Mapped[str] = mapped_column(String(100))
    ruleset_version: Mapped[str] = mapped_column(String(50))
    ruleset_sha256: Mapped[str] = mapped_column(String(64))
    report_json: Mapped[str] = mapped_column(Text)
    report_sha256: Mapped[str] = mapped_column(String(64))
    violation_count: Mapped[int] = mapped_column(Integer)
    unknown_count: Mapped[int] = mapped_column(Integer)
    pending_count: Mapped[int] = mapped_column(Integer)
    comply_count: Mapped[int] = mapped_column(Integer)
    not_applicable_count: Mapped[int] = mapped_column(Integer)
    previous_audit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("audits.id"), nullable=True)

    unit: Mapped[Unit] = relationship(back_populates="audits")
    sheets: Mapped[list["AuditSheet"]] = relationship(order_by="AuditSheet.id")

    def counts(self) -> dict[str, int]:
        return {"violation": self.violation_count, "unknown": self.unknown_count, "pending": self.pending_count,
                "comply": self.comply_count, "not_applicable": self.not_applicable_count}


class AuditSheet(Base):
    """An SKM answer sheet (.csv/.xlsx) uploaded beside the facts file an audit read it from."""

    __tablename__ = "audit_sheets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))


class Draft(Base):
    """A unit's self-assessment in progress: the facts answered so far, as JSON, with a version.

    A save names the version it was based on; a save based on an older one is refused.
    """

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("unit_id", "regulation_id", name="drafts_unit_regulation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    regulation_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    facts_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_by: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)


class Setting(Base):
    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def normal_url(url: str) -> str:
    """`sqlite:///patuh.db` as written; a bare path is taken as a SQLite file."""
    return url if "://" in url else f"sqlite:///{url}"


def make_engine(url: str) -> Engine:
    url = normal_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_settings(connection, _record) -> None:
            cursor = connection.cursor()
            # Foreign keys are off in SQLite unless asked; WAL keeps a reader from blocking a save,
            # and a crash mid-write leaves the last committed state.
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
        return engine
    return create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest migration (a new file is made whole)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Database:
    def __init__(self, url: str, migrate: bool = True):
        self.url = normal_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            upgrade(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed whole at the end, or rolled back whole on any error."""
        with self.sessions() as session:
            with session.begin():
                yield session

    def secret_key(self) -> str:
        """The key that signs session cookies: made once per database, so a restart keeps sessions."""
        with self.transaction() as session:
            found = session.get(Setting, "session_secret")
            if found is None:
                found = Setting(name="session_secret", value=secrets.token_urlsafe(48))
                session.add(found)
            return found.value

    def dispose(self) -> None:
        self.engine.dispose()


def find_unit(session: Session, name: str, region: str) -> Optional[Unit]:
    wanted_region = region.strip().casefold()
    wanted_name = " ".join(name.split()).casefold()
    for unit in session.scalars(select(Unit)):
        if unit.region.strip().casefold() == wanted_region and " ".join(unit.name.split()).casefold() == wanted_name:
            return unit
    return None


def same_region(first: Optional[str], second: Optional[str]) -> bool:
    return bool(first and second) and first.strip().casefold() == second.strip().casefold()

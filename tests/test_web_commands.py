"""`patuh users add`, `patuh import`, `patuh serve` (through web/commands.py, as cli.py will
register them), and the migrations making exactly the schema the models describe."""

from __future__ import annotations

import argparse
import io
import os
import pwd
import tempfile
from pathlib import Path
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from sqlalchemy import create_engine

from patuh.web import commands
from patuh.web.accounts import authenticate, create_account
from patuh.web.database import Audit, Base, Database, Unit

from web_support import DISDUKCAPIL, EXAMPLES, KLINIK, PASSWORD, ROOT, Browser


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="patuh")
    subparsers = parser.add_subparsers(dest="command", required=True)
    commands.add_commands(subparsers)
    return parser.parse_args(argv)


def _run(monkeypatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    arguments = _parse(*argv)
    return commands.COMMANDS[arguments.command](arguments)


def test_users_add_makes_accounts_with_hashed_passwords(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'web.db'}"
    assert _run(monkeypatch, "users", "add", "inspektur", "--role", "inspektorat", "--region", "Kabupaten Tegal",
                "--password-stdin", "--database", url, stdin="sandi-inspektur-1\n") == 0
    assert _run(monkeypatch, "users", "add", "staf", "--role", "unit", "--region", "Kabupaten Tegal", "--unit", DISDUKCAPIL,
                "--password-stdin", "--database", url, stdin="sandi-staf-12345\n") == 0
    assert _run(monkeypatch, "users", "add", "staf", "--role", "unit", "--region", "Kabupaten Tegal", "--unit", DISDUKCAPIL,
                "--password-stdin", "--database", url, stdin="sandi-staf-12345\n") == 1
    assert "sudah ada" in capsys.readouterr().err
    assert _run(monkeypatch, "users", "add", "tanpa-wilayah", "--role", "inspektorat", "--password-stdin", "--database", url,
                stdin="sandi-panjang-sekali\n") == 1
    assert "wilayah" in capsys.readouterr().err
    database = Database(url)
    with database.transaction() as session:
        account = authenticate(session, "staf", "sandi-staf-12345")
        assert account is not None and account.unit.name == DISDUKCAPIL
        assert account.password_hash.startswith("$argon2") and "sandi-staf" not in account.password_hash
        assert authenticate(session, "staf", "salah") is None
    database.dispose()


def test_import_loads_facts_and_reports_as_audits_once(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "berkas"
    folder.mkdir()
    shutil.copy(EXAMPLES / "tegal-disdukcapil.yaml", folder / "dukcapil.yaml")
    shutil.copy(EXAMPLES / "tegal-klinik-swasta.yaml", folder / "klinik.yaml")
    for facts_file, report_file in (("dukcapil.yaml", "dukcapil-2024.json"), ("klinik.yaml", "klinik-2024.json")):
        done = subprocess.run([sys.executable, "-m", "patuh.cli", "audit", str(folder / facts_file), "--regulation", "tegal",
                               "--as-of", "2024-12-31", "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
        (folder / report_file).write_text(done.stdout)
    # The clinic's report stands alone (its facts file has changed since); the clinic's facts
    # file is then audited as of --as-of, with that report as the follow-up base.
    klinik_report = json.loads((folder / "klinik-2024.json").read_text())
    klinik_report["facts"]["sha256"] = "0" * 64
    (folder / "klinik-2024.json").write_text(json.dumps(klinik_report))
    (folder / "rusak.yaml").write_text("organisation: [\n")
    url = f"sqlite:///{tmp_path / 'web.db'}"
    assert _run(monkeypatch, "import", str(folder), "--as-of", "2025-03-31", "--database", url) == 1, "a file was skipped"
    out = capsys.readouterr()
    assert "rusak.yaml: dilewati" in out.out and "3 audits added, 1 files skipped" in out.err
    database = Database(url)
    with database.transaction() as session:
        audits = session.query(Audit).order_by(Audit.as_of, Audit.id).all()
        shown = [(session.get(Unit, audit.unit_id).name, audit.as_of.isoformat(), audit.facts_yaml is not None) for audit in audits]
        assert shown == [(DISDUKCAPIL, "2024-12-31", True), (KLINIK, "2024-12-31", False), (KLINIK, "2025-03-31", True)]
        assert audits[2].previous_audit_id == audits[1].id, "the follow-up base is the imported earlier report"
        assert audits[0].facts_yaml == (EXAMPLES / "tegal-disdukcapil.yaml").read_text()
    (folder / "rusak.yaml").unlink()
    assert _run(monkeypatch, "import", str(folder), "--as-of", "2025-03-31", "--database", url) == 0
    assert capsys.readouterr().out.count("sudah ada") == 3
    with database.transaction() as session:
        assert session.query(Audit).count() == 3, "a second import adds nothing"
    database.dispose()
    assert _run(monkeypatch, "import", str(tmp_path / "tidak-ada"), "--database", url) == 1


def test_the_migrations_make_the_schema_the_models_describe(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    database = Database(f"sqlite:///{tmp_path / 'skema.db'}")
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], differences
    database.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_upgrades_the_database_and_answers_on_127_0_0_1(tmp_path):
    port = _free_port()
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    script = ("import sys; from patuh.web import commands; import argparse;"
              "p = argparse.ArgumentParser(); s = p.add_subparsers(dest='command'); commands.add_commands(s);"
              "a = p.parse_args(sys.argv[1:]); sys.exit(commands.COMMANDS[a.command](a))")
    server = subprocess.Popen([sys.executable, "-c", script, "serve", "--port", str(port), "--database", url],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk", timeout=2) as response:
                    body = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the server did not answer: " + server.stderr.read().decode() if server.poll() is not None else "timeout")
                time.sleep(0.2)
        assert "Masuk ke patuh" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
    tables = create_engine(url).connect().exec_driver_sql("select name from sqlite_master where type='table'").scalars().all()
    assert {"units", "accounts", "audits", "drafts", "alembic_version"} <= set(tables)


def _postgres_binaries() -> bool:
    return all(shutil.which(name) for name in ("initdb", "pg_ctl"))


def test_the_schema_also_migrates_on_postgresql():
    pytest.importorskip("psycopg", reason="psycopg is the optional [postgres] extra")
    if not _postgres_binaries():
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) on this machine")
    # PostgreSQL refuses to run as root: as root, the throwaway cluster runs as `nobody`,
    # in a folder of its own outside pytest's (root-only) temporary folder.
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="patuh-pg-"))
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: PostgreSQL cannot be started")
        os.chown(folder, pwd.getpwnam("nobody").pw_uid, -1)
        as_user = ["runuser", "-u", "nobody", "--"]
    data = folder / "data"
    port = _free_port()
    try:
        subprocess.run(as_user + ["initdb", "-D", str(data), "-U", "patuh", "--auth=trust"], check=True, capture_output=True)
        subprocess.run(as_user + ["pg_ctl", "-D", str(data), "-w", "-l", str(folder / "log"),
                                  "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                       check=True, capture_output=True)
        try:
            database = Database(f"postgresql+psycopg://patuh@127.0.0.1:{port}/postgres")
            with database.transaction() as session:
                create_account(session, "inspektur", PASSWORD, "inspektorat", "Kabupaten Tegal")
            browser = Browser(database, "inspektur")
            response = browser.upload((EXAMPLES / "tegal-disdukcapil.yaml").read_bytes())
            assert response.status_code == 303, response.text[:1000]
            assert DISDUKCAPIL in browser.get("/unit").text
            database.dispose()
        finally:
            subprocess.run(as_user + ["pg_ctl", "-D", str(data), "-m", "fast", "stop"], capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_database_made_by_the_first_migration_is_upgraded_and_keeps_its_audits(tmp_path):
    """0002 adds the answer sheets and an audit's author name to a database already in use."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from patuh.web.database import MIGRATIONS, make_engine

    url = f"sqlite:///{tmp_path / 'alt.db'}"
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text("INSERT INTO units (id, name, region, created_at) VALUES (1, 'Dinas X', 'Kabupaten Tegal', '2024-01-01')"))
        connection.execute(text("INSERT INTO accounts (id, name, password_hash, role, region, created_at) "
                                "VALUES (1, 'inspektur-lama', 'x', 'inspektorat', 'Kabupaten Tegal', '2024-01-01')"))
        connection.execute(text(
            "INSERT INTO audits (id, unit_id, created_at, created_by, source, facts_filename, facts_sha256, as_of, regulation_id, "
            "ruleset_version, ruleset_sha256, report_json, report_sha256, violation_count, unknown_count, pending_count, "
            "comply_count, not_applicable_count) VALUES (1, 1, '2024-01-01', 1, 'upload', 'x.yaml', 'a', '2024-12-31', "
            "'tegal-perbup-63-2023', 'v1', 'b', '{}', 'c', 1, 0, 0, 0, 0)"))
    engine.dispose()
    database = Database(url)
    with database.transaction() as session:
        audit = session.get(Audit, 1)
        assert audit.created_by_name == "inspektur-lama" and audit.violation_count == 1 and audit.sheets == []
    database.dispose()

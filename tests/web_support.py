"""Shared set-up of the web tests: a fresh database with one account of each kind, and a
signed-in test client."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from patuh.web.accounts import create_account
from patuh.web.app import create_app
from patuh.web.database import Database

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "facts" / "examples"
PASSWORD = "sandi-yang-panjang"
DISDUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Tegal"
KLINIK = "Klinik Pratama Bhakti Husada Slawi"
ENTIKONG = "UPT Puskesmas Entikong"


def make_database(folder: Path) -> Database:
    database = Database(f"sqlite:///{folder / 'patuh.db'}")
    with database.transaction() as session:
        create_account(session, "admin", PASSWORD, "admin")
        create_account(session, "inspektur-tegal", PASSWORD, "inspektorat", "Kabupaten Tegal")
        create_account(session, "inspektur-madiun", PASSWORD, "inspektorat", "Kabupaten Madiun")
        create_account(session, "staf-dukcapil", PASSWORD, "unit", "Kabupaten Tegal", DISDUKCAPIL)
        create_account(session, "staf-klinik", PASSWORD, "unit", "Kabupaten Tegal", KLINIK)
        create_account(session, "staf-entikong", PASSWORD, "unit", "Kabupaten Sanggau", ENTIKONG)
    return database


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class _FormFields(HTMLParser):
    """The fields a browser would send from one form of a page, as shown (checked boxes, selected options)."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self.textarea: list | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "form":
            self.inside = attributes.get("action") == self.action
        if not self.inside or not attributes.get("name") and tag != "option":
            return
        if tag == "input" and attributes.get("type") not in ("file", "submit"):
            if attributes.get("type") not in ("radio", "checkbox") or "checked" in attributes:
                self.fields.append((attributes["name"], attributes.get("value") or ""))
        elif tag == "textarea":
            self.textarea = [attributes["name"], ""]
        elif tag == "select":
            self.select = attributes["name"]
        elif tag == "option" and self.select and "selected" in attributes:
            self.fields.append((self.select, attributes.get("value") or ""))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str, action: str) -> dict[str, list[str]]:
    """What submitting the form posting to `action` would send unchanged (without its CSRF token)."""
    parser = _FormFields(action)
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        if name != "csrf":
            fields.setdefault(name, []).append(value)
    return fields


class Browser:
    """A test client signed in as one account, that fills the CSRF token into every form."""

    def __init__(self, database: Database, name: str | None = None):
        self.client = TestClient(create_app(database=database))
        if name:
            self.sign_in(name)

    def sign_in(self, name: str, password: str = PASSWORD):
        token = csrf_of(self.client.get("/masuk").text)
        return self.client.post("/masuk", data={"csrf": token, "nama": name, "sandi": password}, follow_redirects=False)

    def token(self) -> str:
        return csrf_of(self.client.get("/masuk").text)

    def get(self, path: str, **options):
        return self.client.get(path, **options)

    def post(self, path: str, data: dict | None = None, files=None, csrf: bool = True, **options):
        data = dict(data or {})
        if csrf:
            data["csrf"] = self.token()
        return self.client.post(path, data=data, files=files, **options)

    def upload(self, content: bytes, name: str = "fakta.yaml", as_of: str = "2024-12-31", unit: int | None = None):
        data = {"tanggal": as_of}
        if unit is not None:
            data["unit"] = str(unit)
        return self.post("/audit/baru", data, files={"fakta": (name, content, "application/yaml")}, follow_redirects=False)


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


@pytest.fixture()
def database(tmp_path):
    """A fresh database with one account of each kind (imported by each web test module)."""
    database = make_database(tmp_path)
    yield database
    database.dispose()

"""The web application: routes, sign-in, CSRF, pages.

Every page is rendered on the server from templates/ with HTML autoescaping, so a
`<script>` or a `{{7*7}}` in a fact is shown as written. A session is a signed cookie
(itsdangerous, via Starlette's SessionMiddleware) holding the account id and the CSRF
token; every POST handler reads its form through `checked_form`, which refuses a form
without that token.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import date
from pathlib import Path
from typing import Any, Optional

import anyio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import engine_calls as engine
from . import interview
from .accounts import (AccountError, Viewer, authenticate, create_account, delete_account, reset_password, session_key,
                       viewer_of, visible_units)
from .audits import (MAX_FORM_WORDS, MAX_SHEETS, MAX_UPLOAD_BYTES, MAX_UPLOAD_WORDS, AuditRefused, Problem, audit_text,
                     check_upload, follow_up_counts, plan_html, report_of)
from .database import ROLES, Account, Audit, AuditSheet, Database, Unit
from .sheets import check_sheet
from .words import (FOLLOW_UP_LABELS, ROLE_LABELS, SOURCE_LABELS, STATUS_LABELS, organisation_type_label,
                    regulation_short_name, unit_status)

HERE = Path(__file__).resolve().parent
# A form's body holds at most a facts file, MAX_SHEETS answer sheets and its fields; anything
# larger is refused before it is read whole (each file's own limit is MAX_UPLOAD_BYTES).
MAX_BODY_BYTES = (1 + MAX_SHEETS) * MAX_UPLOAD_BYTES + 256 * 1024

_templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                         trim_blocks=True, lstrip_blocks=True)
_templates.globals.update(status_labels=STATUS_LABELS, follow_up_labels=FOLLOW_UP_LABELS, role_labels=ROLE_LABELS,
                          source_labels=SOURCE_LABELS, regulation_short_name=regulation_short_name,
                          organisation_type_label=organisation_type_label, unit_status=unit_status,
                          upload_limit=MAX_UPLOAD_WORDS, form_limit=MAX_FORM_WORDS, sheet_count=MAX_SHEETS)


class CsrfRefused(Exception):
    pass


def database_of(request: Request) -> Database:
    return request.app.state.database


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token is the session's (else CsrfRefused: nothing is done)."""
    form = await request.form(max_files=20, max_fields=5000, max_part_size=MAX_UPLOAD_BYTES + 1024)
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise CsrfRefused()
    return form


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("viewer", getattr(request.state, "viewer", None))
    html = _templates.get_template(template).render(request=request, csrf=csrf_token(request), **context)
    return HTMLResponse(html, status_code=status_code)


def viewer_from_session(request: Request) -> Optional[Viewer]:
    account_id = request.session.get("account_id")
    if not isinstance(account_id, int):
        return None
    with database_of(request).transaction() as session:
        account = session.get(Account, account_id)
        if account is None or not hmac.compare_digest(str(request.session.get("key", "")), session_key(account)):
            return None  # deleted, or its password was reset since this session signed in
        return viewer_of(account)


def signed_in(*roles: str):
    """The route only for a signed-in account of one of `roles`; others go to the sign-in page."""
    def wrap(handler):
        async def guarded(request: Request) -> Response:
            viewer = viewer_from_session(request)
            if viewer is None:
                return RedirectResponse(f"/masuk?lanjut={request.url.path}", status_code=303)
            request.state.viewer = viewer
            if roles and viewer.role not in roles:
                raise HTTPException(404)
            return await handler(request, viewer)
        guarded.__name__ = handler.__name__
        return guarded
    return wrap


def visible_unit(request: Request, viewer: Viewer, unit_id: int) -> Unit:
    with database_of(request).transaction() as session:
        unit = session.get(Unit, unit_id)
        if unit is None or not viewer.may_see(unit):
            raise HTTPException(404)
        return unit


def visible_audit(request: Request, viewer: Viewer) -> tuple[Audit, Unit]:
    audit_id = request.path_params["audit_id"]
    with database_of(request).transaction() as session:
        audit = session.get(Audit, audit_id)
        unit = session.get(Unit, audit.unit_id) if audit else None
        if audit is None or unit is None or not viewer.may_see(unit):
            raise HTTPException(404)
        return audit, unit


def home_of(viewer: Viewer) -> str:
    if viewer.role == "admin":
        return "/akun"
    if viewer.role == "unit":
        return f"/unit/{viewer.unit_id}"
    return "/unit"


def _local_path(target: Optional[str]) -> Optional[str]:
    # Only a path on this site: "//elsewhere" or "https://..." would send the user away after sign-in.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


# --- Signing in ---------------------------------------------------------------------------------

async def home(request: Request) -> Response:
    viewer = viewer_from_session(request)
    return RedirectResponse(home_of(viewer) if viewer else "/masuk", status_code=303)


async def sign_in(request: Request) -> Response:
    if request.method == "GET":
        return page(request, "masuk.html", lanjut=request.query_params.get("lanjut", ""))
    form = await checked_form(request)
    name, password = str(form.get("nama", "")), str(form.get("sandi", ""))
    with database_of(request).transaction() as session:
        account = authenticate(session, name, password)
        viewer = viewer_of(account) if account else None
        key = session_key(account) if account else None
    if viewer is None:
        return page(request, "masuk.html", status_code=400, error="Nama akun atau kata sandi salah.", nama=name,
                    lanjut=str(form.get("lanjut", "")))
    request.session.clear()
    request.session["account_id"] = viewer.id
    request.session["key"] = key
    request.session["csrf"] = secrets.token_urlsafe(32)
    return RedirectResponse(_local_path(str(form.get("lanjut", ""))) or home_of(viewer), status_code=303)


async def sign_out(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/masuk", status_code=303)


# --- Units and audits -------------------------------------------------------------------------

def _latest(unit: Unit) -> Optional[Audit]:
    return unit.audits[-1] if unit.audits else None


@signed_in("inspektorat")
async def units(request: Request, viewer: Viewer) -> Response:
    with database_of(request).transaction() as session:
        rows = [(unit, _latest(unit), len(unit.audits)) for unit in visible_units(session, viewer)]
    return page(request, "units.html", rows=rows)


@signed_in("inspektorat", "unit")
async def unit_page(request: Request, viewer: Viewer) -> Response:
    unit = visible_unit(request, viewer, request.path_params["unit_id"])
    with database_of(request).transaction() as session:
        unit = session.get(Unit, unit.id)
        history = list(reversed(unit.audits))
        follow_ups = {audit.id: follow_up_counts(report_of(audit)) for audit in history}
    return page(request, "unit.html", unit=unit, history=history, follow_ups=follow_ups, today=date.today().isoformat())


def _as_of(text: str) -> Optional[date]:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@signed_in("inspektorat")
async def new_audit(request: Request, viewer: Viewer) -> Response:
    unit = None
    unit_text = request.query_params.get("unit") or ""
    if request.method == "GET":
        if unit_text.isdigit():
            unit = visible_unit(request, viewer, int(unit_text))
        return page(request, "upload.html", unit=unit, as_of=date.today().isoformat())
    form = await checked_form(request)
    unit_text = str(form.get("unit") or "")
    unit = visible_unit(request, viewer, int(unit_text)) if unit_text.isdigit() else None
    upload = form.get("fakta")
    as_of_text = str(form.get("tanggal") or "")
    as_of = _as_of(as_of_text)
    problems: list[Problem] = []
    if as_of is None:
        problems.append(Problem("isi tanggal audit (keadaan per tanggal berapa fakta ini dicatat)", field="tanggal"))
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems.append(Problem("pilih berkas fakta (YAML) yang akan diaudit", field="fakta"))
    sheet_uploads = [sheet for sheet in form.getlist("lembar") if isinstance(sheet, UploadFile) and sheet.filename]
    if len(sheet_uploads) > MAX_SHEETS:
        problems.append(Problem(f"paling banyak {MAX_SHEETS} lembar jawaban SKM sekali unggah", field="lembar"))
    if not problems:
        content = await upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            text = check_upload(upload.filename, content)
            sheets: dict[str, bytes] = {}
            for sheet in sheet_uploads:
                sheet_content = await sheet.read(MAX_UPLOAD_BYTES + 1)
                sheets[check_sheet(sheet.filename, sheet_content)] = sheet_content
            run = audit_text(database_of(request), text, upload.filename, as_of, viewer, "upload",
                             unit_id=unit.id if unit else None, sheets=sheets)
        except AuditRefused as refusal:
            problems = refusal.problems
        else:
            request.session["notes"] = run.warnings
            return RedirectResponse(f"/audit/{run.audit_id}", status_code=303)
    return page(request, "upload.html", status_code=400, unit=unit, as_of=as_of_text, problems=problems,
                filename=upload.filename if isinstance(upload, UploadFile) else None)


@signed_in("inspektorat", "unit")
async def audit_page(request: Request, viewer: Viewer) -> Response:
    audit, unit = visible_audit(request, viewer)
    report = report_of(audit)
    with database_of(request).transaction() as session:
        previous = session.get(Audit, audit.previous_audit_id) if audit.previous_audit_id else None
        sheets = [(sheet.id, sheet.filename) for sheet in
                  session.scalars(select(AuditSheet).where(AuditSheet.audit_id == audit.id).order_by(AuditSheet.id))]
    notes = request.session.pop("notes", None) or []
    return page(request, "audit.html", audit=audit, unit=unit, report=report, previous=previous,
                follow_up=follow_up_counts(report), notes=notes, sheets=sheets)


@signed_in("inspektorat", "unit")
async def audit_report(request: Request, viewer: Viewer) -> Response:
    audit, _ = visible_audit(request, viewer)
    html = engine.render(report_of(audit), "html")
    # The report is the engine's own page, the same file `patuh audit` writes; the web only adds a way back.
    back = (f'<body>\n<nav style="margin:0 0 1em;font-size:.95em"><a href="/audit/{audit.id}">← Kembali ke hasil audit '
            f'di patuh</a></nav>')
    return HTMLResponse(html.replace("<body>", back, 1))


@signed_in("inspektorat", "unit")
async def audit_report_json(request: Request, viewer: Viewer) -> Response:
    audit, _ = visible_audit(request, viewer)
    return Response(audit.report_json, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="audit-{audit.id}.json"'})


@signed_in("inspektorat", "unit")
async def audit_plan(request: Request, viewer: Viewer) -> Response:
    audit, _ = visible_audit(request, viewer)
    try:
        return HTMLResponse(plan_html(audit))
    except (engine.NotInForce, engine.RuleLoadError, FileNotFoundError, KeyError):
        return page(request, "message.html", status_code=404, title="Rencana perbaikan tidak tersedia",
                    message=f"Aturan versi {audit.ruleset_version} yang dipakai audit ini tidak lagi terpasang.")


@signed_in("inspektorat", "unit")
async def audit_facts(request: Request, viewer: Viewer) -> Response:
    audit, _ = visible_audit(request, viewer)
    if audit.facts_yaml is None:
        return page(request, "message.html", status_code=404, title="Berkas fakta tidak tersimpan",
                    message="Audit ini diimpor dari laporan JSON tanpa berkas faktanya.")
    return Response(audit.facts_yaml, media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{audit.facts_filename}"'})


@signed_in("inspektorat", "unit")
async def audit_sheet(request: Request, viewer: Viewer) -> Response:
    audit, _ = visible_audit(request, viewer)
    with database_of(request).transaction() as session:
        sheet = session.get(AuditSheet, request.path_params["sheet_id"])
        if sheet is None or sheet.audit_id != audit.id:
            raise HTTPException(404)
        media = "text/csv; charset=utf-8" if sheet.filename.lower().endswith(".csv") else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(sheet.content, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{sheet.filename}"'})


# --- Accounts (admin) -------------------------------------------------------------------------

@signed_in("admin")
async def accounts(request: Request, viewer: Viewer) -> Response:
    error = None
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await checked_form(request)
        values = {key: str(form.get(key) or "") for key in ("nama", "peran", "wilayah", "unit")}
        try:
            with database_of(request).transaction() as session:
                create_account(session, values["nama"], str(form.get("sandi") or ""), values["peran"],
                               values["wilayah"], values["unit"] or None)
        except AccountError as refusal:
            error, status = str(refusal), 400
        else:
            return RedirectResponse("/akun", status_code=303)
    with database_of(request).transaction() as session:
        listed = session.scalars(select(Account).order_by(Account.role, Account.name)).all()
        rows = [(account, account.unit.name if account.unit else None) for account in listed]
    return page(request, "accounts.html", status_code=status, rows=rows, roles=ROLES, error=error, values=values,
                done=request.session.pop("done", None))


def _account_of(request: Request) -> Account:
    with database_of(request).transaction() as session:
        account = session.get(Account, request.path_params["account_id"])
        if account is None:
            raise HTTPException(404)
        return account


@signed_in("admin")
async def account_delete(request: Request, viewer: Viewer) -> Response:
    """GET asks to confirm; POST (with the form's token) deletes."""
    account = _account_of(request)
    error = None
    if request.method == "POST":
        await checked_form(request)
        try:
            with database_of(request).transaction() as session:
                delete_account(session, session.get(Account, account.id), viewer)
        except AccountError as refusal:
            error = str(refusal)
        else:
            request.session["done"] = f"Akun {account.name} dihapus."
            return RedirectResponse("/akun", status_code=303)
    return page(request, "account_change.html", status_code=400 if error else 200, account=account, action="hapus",
                error=error, own=account.id == viewer.id)


@signed_in("admin")
async def account_password(request: Request, viewer: Viewer) -> Response:
    account = _account_of(request)
    error = None
    if request.method == "POST":
        form = await checked_form(request)
        try:
            with database_of(request).transaction() as session:
                reset_password(session, session.get(Account, account.id), str(form.get("sandi") or ""),
                               str(form.get("ulang") or ""))
        except AccountError as refusal:
            error = str(refusal)
        else:
            if account.id == viewer.id:  # the admin's own session stays signed in with the new password
                with database_of(request).transaction() as session:
                    request.session["key"] = session_key(session.get(Account, account.id))
            request.session["done"] = f"Kata sandi akun {account.name} diganti; sesi yang masuk dengan sandi lama berakhir."
            return RedirectResponse("/akun", status_code=303)
    return page(request, "account_change.html", status_code=400 if error else 200, account=account, action="sandi",
                error=error, own=account.id == viewer.id)


# --- Errors --------------------------------------------------------------------------------------

async def not_found(request: Request, error: Exception) -> Response:
    return page(request, "message.html", status_code=404, title="Tidak ditemukan",
                message="Halaman atau data ini tidak ada, atau tidak dapat dibuka dengan akun Anda.")


async def csrf_refused(request: Request, error: Exception) -> Response:
    return page(request, "message.html", status_code=403, title="Formulir kedaluwarsa",
                message="Formulir ini tidak dapat diterima (sesi sudah berganti). Muat ulang halaman lalu kirim lagi.")


async def too_large(request: Request, error: Exception) -> Response:
    return page(request, "message.html", status_code=413, title="Berkas terlalu besar",
                message=f"Setiap berkas yang diunggah paling besar {MAX_UPLOAD_WORDS}, dan satu kiriman formulir "
                        f"paling besar {MAX_FORM_WORDS}. Tidak ada yang disimpan.")


async def server_error(request: Request, error: Exception) -> Response:
    return page(request, "message.html", status_code=500, title="Terjadi kesalahan",
                message="Permintaan ini tidak dapat diselesaikan; tidak ada yang tersimpan setengah jalan. Coba lagi, "
                        "atau hubungi pengelola aplikasi.")


async def http_error(request: Request, error: HTTPException) -> Response:
    if error.status_code == 404:
        return await not_found(request, error)
    if error.status_code == 413:
        return await too_large(request, error)
    return page(request, "message.html", status_code=error.status_code, title="Permintaan tidak dapat diproses",
                message="Periksa alamat atau formulir, lalu coba lagi.")


class BodyLimit:
    """Refuse a request body over MAX_BODY_BYTES with the page that states the limits.

    Starlette's own limit answers a bare "Content Too Large": its error page's response listens
    for the client's disconnect on the same receive that raised. A declared length over the limit
    is answered before anything is read; a body that grows past it while read raises 413 once,
    after which receive only waits, so the page is sent whole.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            response = await too_large(Request(scope, receive), HTTPException(413))
            return await response(scope, receive, send)
        received, exceeded = 0, False

        async def limited():
            nonlocal received, exceeded
            if exceeded:
                await anyio.sleep_forever()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    exceeded = True
                    raise HTTPException(413)
            return message
        await self.app(scope, limited, send)


class SecurityHeaders:
    """Headers that keep a page from being framed, sniffed or made to run scripts from elsewhere."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"SAMEORIGIN"),
                            (b"referrer-policy", b"same-origin"),
                            (b"content-security-policy",
                             b"default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; "
                             b"img-src 'self' data:; frame-ancestors 'self'; form-action 'self'")]
                message["headers"] = headers
            await send(message)
        await self.app(scope, receive, with_headers)


def create_app(database_url: str = "sqlite:///patuh.db", database: Optional[Database] = None) -> Starlette:
    """The application over `database_url` (migrated to the newest schema first)."""
    database = database or Database(database_url)
    routes = [
        Route("/", home),
        Route("/masuk", sign_in, methods=["GET", "POST"]),
        Route("/keluar", sign_out, methods=["POST"]),
        Route("/unit", units),
        Route("/unit/{unit_id:int}", unit_page),
        Route("/audit/baru", new_audit, methods=["GET", "POST"]),
        Route("/audit/{audit_id:int}", audit_page),
        Route("/audit/{audit_id:int}/laporan", audit_report),
        Route("/audit/{audit_id:int}/laporan.json", audit_report_json),
        Route("/audit/{audit_id:int}/rencana", audit_plan),
        Route("/audit/{audit_id:int}/fakta.yaml", audit_facts),
        Route("/audit/{audit_id:int}/lembar/{sheet_id:int}", audit_sheet),
        Route("/akun", accounts, methods=["GET", "POST"]),
        Route("/akun/{account_id:int}/hapus", account_delete, methods=["GET", "POST"]),
        Route("/akun/{account_id:int}/sandi", account_password, methods=["GET", "POST"]),
        *interview.routes(signed_in, checked_form, page, visible_unit, database_of),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders),
                  Middleware(SessionMiddleware, secret_key=database.secret_key(), session_cookie="patuh_sesi",
                             same_site="lax", max_age=12 * 3600),
                  Middleware(BodyLimit)]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: http_error, CsrfRefused: csrf_refused, 500: server_error})
    app.state.database = database
    return app

"""`patuh serve`, `patuh users add`, `patuh import`: the web layer's commands.

cli.py registers them with two lines:
    from .web.commands import COMMANDS as WEB_COMMANDS, add_commands
    add_commands(commands); COMMANDS.update(WEB_COMMANDS)
Each `run_*` takes the parsed arguments and returns the exit code (0 done, 1 could not);
problems are told in one line each, never as a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from ..dates.typed import typed_date

DEFAULT_DATABASE = "sqlite:///patuh.db"
EXIT_OK, EXIT_FAILED = 0, 1


def _database_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("--database", default=DEFAULT_DATABASE,
                         help=f"database URL (default: {DEFAULT_DATABASE}, a file in the current folder); "
                              "postgresql+psycopg://... with the [postgres] extra")


def _date(text: str) -> date:
    try:
        return typed_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_commands(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="run the web application (upgrades the database first)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    _database_argument(serve)

    users = subparsers.add_parser("users", help="accounts of the web application")
    user_commands = users.add_subparsers(dest="users_command", required=True, parser_class=type(users))
    add = user_commands.add_parser("add", help="create an account (the password is asked, or read with --password-stdin)")
    add.add_argument("name", help="the account's name, used to sign in")
    add.add_argument("--role", required=True, choices=("admin", "inspektorat", "unit"))
    add.add_argument("--region", help="inspektorat and unit: the region, e.g. \"Kabupaten Tegal\"")
    add.add_argument("--unit", help="unit: the unit's name, as organisation.name in its facts")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of standard input")
    _database_argument(add)

    imported = subparsers.add_parser("import", help="load a folder of facts files and JSON reports into the database as audits")
    imported.add_argument("folder", type=Path)
    imported.add_argument("--as-of", type=_date, default=None,
                          help="audit date for facts files that have no report beside them (default: today)")
    _database_argument(imported)


def _open(url: str):
    from .database import Database

    return Database(url)


def run_serve(arguments: argparse.Namespace) -> int:
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from .app import create_app

    try:
        app = create_app(database=_open(arguments.database))
    except SQLAlchemyError as error:
        print(f"error: the database {arguments.database} cannot be opened: {error.__class__.__name__}: {error.args[0] if error.args else ''}",
              file=sys.stderr)
        return EXIT_FAILED
    print(f"patuh: serving on http://{arguments.host}:{arguments.port}/ (database {arguments.database})", file=sys.stderr)
    uvicorn.run(app, host=arguments.host, port=arguments.port, log_level="warning")
    return EXIT_OK


def _password(arguments: argparse.Namespace) -> str | None:
    if arguments.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Kata sandi: ")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        print("error: the two passwords differ; nothing was created", file=sys.stderr)
        return None
    return first


def run_users(arguments: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from .accounts import AccountError, create_account

    password = _password(arguments)
    if password is None:
        return EXIT_FAILED
    try:
        database = _open(arguments.database)
        with database.transaction() as session:
            account = create_account(session, arguments.name, password, arguments.role, arguments.region, arguments.unit)
            where = f", {account.region}" if account.region else ""
            unit = f", unit {account.unit.name}" if account.unit else ""
        database.dispose()
    except AccountError as error:
        print(f"error: {error}; nothing was created", file=sys.stderr)
        return EXIT_FAILED
    except SQLAlchemyError as error:
        print(f"error: the database {arguments.database} cannot be written: {error.__class__.__name__}", file=sys.stderr)
        return EXIT_FAILED
    print(f"account {arguments.name} created: {arguments.role}{where}{unit}", file=sys.stderr)
    return EXIT_OK


def run_import(arguments: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from .audits import import_directory, imported_counts

    if not arguments.folder.is_dir():
        print(f"error: {arguments.folder}: no such folder", file=sys.stderr)
        return EXIT_FAILED
    as_of = arguments.as_of
    if as_of is None:
        as_of = date.today()
        print(f"note: facts files without a report are audited as of today, {as_of.isoformat()} (give --as-of)", file=sys.stderr)
    try:
        database = _open(arguments.database)
        lines = import_directory(database, arguments.folder, as_of)
        database.dispose()
    except SQLAlchemyError as error:
        print(f"error: the database {arguments.database} cannot be written: {error.__class__.__name__}", file=sys.stderr)
        return EXIT_FAILED
    for line in lines:
        print(line)
    added, skipped = imported_counts(lines)
    print(f"{arguments.folder}: {added} audits added, {skipped} files skipped", file=sys.stderr)
    # Like `patuh batch`: a file that could not be loaded makes the run a failure, after the rest is in.
    return EXIT_FAILED if skipped else EXIT_OK


COMMANDS = {"serve": run_serve, "users": run_users, "import": run_import}

"""What is kept between runs, so a command does not redo it: validated rule sets, the report
templates' compiled code, the years the holiday data covers.

Loading a rule set parses its YAML files and its regulation text, validates every rule and
resolves every citation and quote: about a tenth of a second a rule set, paid again by every
`patuh audit`, every batch worker and every web worker start. The result depends only on the
files read and on the code reading them, so it is stored under the sha256 of both (every file
under rules/, regulations/ and facts/vocabulary/, and every source file of the engine): editing any of them
makes the next run load and check afresh. Nothing is trusted that this user did not write.

Where: $PATUH_CACHE_DIR, else $XDG_CACHE_HOME/patuh, else ~/.cache/patuh;
PATUH_CACHE_DIR=off turns it off. A cache that cannot be read or written is skipped without a
word (it is only a shortcut); an entry is written whole or not at all.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

Loaded = TypeVar("Loaded")

ENGINE_SOURCES = Path(__file__).resolve().parent


def cache_directory() -> Path | None:
    """Where entries are kept; None when the user turned the cache off."""
    chosen = os.environ.get("PATUH_CACHE_DIR")
    if chosen:
        return None if chosen.strip().lower() == "off" else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "patuh"


def _add_tree(digest: "hashlib._Hash", folder: Path, pattern: str) -> None:
    digest.update(str(folder).encode() + b"\0")
    for file in sorted(folder.rglob(pattern)):
        if file.is_file():
            digest.update(str(file.relative_to(folder)).encode() + b"\0" + file.read_bytes() + b"\0")


@lru_cache(maxsize=None)
def _engine_digest() -> str:
    # The code that builds the objects, and the libraries whose classes they are made of.
    import pydantic

    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    _add_tree(digest, ENGINE_SOURCES, "*.py")
    return digest.hexdigest()


def private_folder(name: str) -> Path | None:
    """A folder of the cache for another kind of entry (the templates' compiled code), created
    for this user alone; None when the cache is off or the folder is not this user's alone."""
    directory = cache_directory()
    if directory is None:
        return None
    folder = directory / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if _trusted(directory, stat.S_ISDIR) and _trusted(folder, stat.S_ISDIR) else None


def content_key(what: str, folders: tuple[Path, ...]) -> str:
    """The key of an entry built from `folders` (every file in them) by this engine."""
    digest = hashlib.sha256(f"{what}\0{_engine_digest()}\0".encode())
    for folder in folders:
        if folder.is_dir():
            _add_tree(digest, folder, "*")
    return digest.hexdigest()


def _trusted(path: Path, kind: Callable[[int], bool]) -> bool:
    # An entry is code-equivalent (pickle): only one written by this user, in a folder and a file
    # no one else can write, is read.
    try:
        status = path.stat()
    except OSError:
        return False
    return (kind(status.st_mode) and status.st_uid == os.getuid()
            and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _read(path: Path) -> object | None:
    if not _trusted(path.parent, stat.S_ISDIR) or not _trusted(path, stat.S_ISREG):
        return None
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except Exception:  # a stale or damaged entry is only a missed shortcut
        return None


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        _forget_older(path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass


def _forget_older(path: Path) -> None:
    # One entry per rule set: those built from earlier files would never be read again.
    what = path.name[: -len(".pickle") - 65]
    for other in path.parent.glob(f"{what}-*.pickle"):
        key = other.name[len(what) + 1: -len(".pickle")]
        if other != path and len(key) == 64 and all(c in "0123456789abcdef" for c in key):
            try:
                other.unlink()
            except OSError:
                pass


def cached(what: str, folders: tuple[Path, ...], load: Callable[[], Loaded], files: tuple[Path, ...] = ()) -> Loaded:
    """`load()`'s result, from the cache when the files in `folders` (and the single `files`)
    and the engine are unchanged.

    Errors raised by `load` are not cached: a rule set that does not load is told every time."""
    directory = cache_directory()
    if directory is None:
        return load()
    key = content_key(what, folders)
    if files:
        digest = hashlib.sha256(key.encode())
        for file in files:
            digest.update(str(file).encode() + b"\0" + file.read_bytes() + b"\0")
        key = digest.hexdigest()
    path = directory / f"{what}-{key}.pickle"
    value = _read(path)
    if value is None:
        value = load()
        _write(path, value)
    return value  # type: ignore[return-value]

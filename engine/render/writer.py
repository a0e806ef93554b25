"""The one way a report reaches a file: whole or not at all.

A report half-written (disk full, interrupted run) would look like a real one, so the text
goes to a temporary file beside the destination (same file system, so the rename is
atomic) and replaces it only once it is safely on disk. Text produced piece by piece (the
batch summary, too large to hold at once) takes the same path as text held whole.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable



def write_streamed(pieces: Iterable[str], destination: Path) -> None:
    """Write the concatenated `pieces` to `destination` whole or not at all."""
    destination = Path(destination)
    handle, temporary_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp",
                                              dir=str(destination.parent))
    temporary = Path(temporary_name)
    try:
        # newline="": the text is written as composed, "\n" on every platform.
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            for piece in pieces:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); a report gets the mode an ordinary new
        # file would, or keeps the one the replaced report had.
        os.chmod(temporary, file_mode(destination))
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_directory(destination.parent)


def write_atomically(text: str, destination: Path) -> None:
    """Write `text` to `destination` whole or not at all."""
    write_streamed((text,), destination)


def file_mode(destination: Path) -> int:
    try:
        return destination.stat().st_mode & 0o7777
    except FileNotFoundError:
        # The umask can only be read by setting it; it is put back at once.
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def sync_directory(folder: Path) -> None:
    """Make the rename itself durable where the platform allows; the report is already in place."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_bytes_atomically(content: bytes, destination: Path) -> None:
    """Write `content` (a .docx) to `destination` whole or not at all, as write_streamed does text.

    Its own function because text goes through an encoding and a newline policy and bytes
    through neither."""
    destination = Path(destination)
    handle, temporary_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp",
                                              dir=str(destination.parent))
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, file_mode(destination))
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_directory(destination.parent)

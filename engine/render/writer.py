"""The one way a report reaches a file: whole or not at all, and only onto a report file.

A report half-written (disk full, interrupted run) would look like a real one, so the text
goes to a temporary file beside the destination (same file system, so the rename is
atomic) and replaces it only once it is safely on disk. Text produced piece by piece (the
batch summary, too large to hold at once) takes the same path as text held whole; bytes
(the LHP's .docx) too.

The rename replaces whatever stands at the destination, so the destination is checked first:
a new path, or an existing regular file, is written; a directory, a device (`-o /dev/full`), a
FIFO or a socket is refused with a message, never replaced by a file. A symbolic link is
followed when it points at a regular file or a new path in an existing folder (the file it
names is replaced, the link stays), and refused otherwise. A failure while writing (disk
full, no permission) is one message naming the file, and the earlier file stays as it was.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Union

from ..problems import InputError


class OutputRefused(InputError):
    """A destination that is not a report file, or a write that failed: nothing was replaced."""


def checked_destination(destination: Path) -> Path:
    """The path to write: `destination`, or the file a symbolic link there names; refused when not a report file."""
    destination = Path(destination)
    target = destination
    if destination.is_symlink():
        target = Path(os.path.realpath(destination))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise OutputRefused(destination, f"cannot be written ({error.strerror})") from None
    if mode is not None and not stat.S_ISREG(mode):
        what = ("a directory" if stat.S_ISDIR(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        through = f" (the symbolic link points at {target})" if target != destination else ""
        raise OutputRefused(destination, f"is {what}{through}: a report is written only to a new file or over a report file")
    if not target.parent.is_dir():
        raise OutputRefused(destination, f"the folder {target.parent} does not exist")
    return target


def _write(destination: Path, write: Callable[[IO[Any]], Any], binary: bool) -> None:
    target = checked_destination(destination)
    try:
        handle, temporary_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))
    except OSError as error:
        raise OutputRefused(destination, f"cannot be written ({error.strerror})") from None
    temporary = Path(temporary_name)
    try:
        # newline="": text is written as composed, "\n" on every platform.
        with (os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8", newline="")) as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); a report gets the mode an ordinary new
        # file would, or keeps the one the replaced report had.
        os.chmod(temporary, file_mode(target))
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputRefused(destination, f"could not be written ({error.strerror or error}); "
                                         "nothing was replaced") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_directory(target.parent)


def write_streamed(pieces: Iterable[str], destination: Path) -> None:
    """Write the concatenated `pieces` to `destination` whole or not at all."""
    def write(stream) -> None:
        for piece in pieces:
            stream.write(piece)
    _write(Path(destination), write, binary=False)


def write_atomically(text: Union[str, bytes], destination: Path) -> None:
    """Write `text` (or the bytes of a .docx) to `destination` whole or not at all."""
    _write(Path(destination), lambda stream: stream.write(text), binary=isinstance(text, bytes))


def write_bytes_atomically(content: bytes, destination: Path) -> None:
    """Write `content` (a .docx) to `destination` whole or not at all."""
    write_atomically(content, destination)


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

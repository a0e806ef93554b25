"""What engine/batch/ still imports from here, until it takes them from their new homes.

Another change is splitting the batch; it will import render.writer, render.environment,
render.formats and documents.audit_report directly, and this module then goes. Nothing
else may import it.
"""

from __future__ import annotations

from .environment import environment as _environment
from .writer import file_mode as _file_mode, sync_directory as _sync_directory, write_atomically

__all__ = ["_environment", "_file_mode", "_sync_directory", "render", "write_atomically"]


def render(report: dict, fmt: str) -> str:
    # Imported here, not at the top: the documents stage comes after rendering, and only the
    # batch (itself after both) calls this.
    from ..documents.audit_report import render as render_audit_report

    return render_audit_report(report, fmt)

"""Where the data folders (regulations, rules, facts, reports) are, installed or not.

The folders sit at the top of the repository so the data flow stays visible; an install
maps them into the package (`patuh/data/regulations`, ...; under `data/` so that a
folder never shadows a module of the same name, such as `rules.py`). One lookup serves both layouts, so
no module hard-codes either.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # engine/, the `patuh` package


def data_directory(name: str) -> Path:
    """The folder `name`: inside the installed package if it is there, else in the checkout.

    Editable installs and plain checkouts have no copy inside the package folder, so they fall
    through to the repository's top-level folder. Nothing is created or checked beyond that:
    callers report a missing file by its full path, which says more than a missing folder.
    """
    installed = PACKAGE / "data" / name
    if installed.is_dir():
        return installed
    return PACKAGE.parent / name

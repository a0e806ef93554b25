"""A date as a person types it on the command line: YYYY-MM-DD and nothing else.

Python reads "20241231" and "2024-W52-2" as dates too; the facts files and every report write
2024-12-31, so a command that took the other forms would accept at one place what it refuses
at another ("2024-1-1" is refused everywhere).
"""

from __future__ import annotations

import re
from datetime import date

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def typed_date(text: str) -> date:
    """The date `text` names, or ValueError saying what is expected."""
    if ISO_DATE.fullmatch(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a real date written YYYY-MM-DD (e.g. 2024-12-31), got {text!r}")

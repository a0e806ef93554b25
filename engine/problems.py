"""The problems every stage reports: each names the file, the line and the field, so a user can fix it.

Imported by every stage and importing none: a problem found while reading a sheet, a facts
file or a rule file is told the same way.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A problem in a file a user wrote, told the way the user can fix it."""

    def __init__(self, file: Path | str, message: str, line: int | None = None, field: str | None = None):
        self.file = str(file)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        field = f" field `{self.field}`:" if self.field else ""
        return f"{where}:{field} {self.message}"


class CannotRun(Exception):
    """A reason a command cannot run at all, told in one sentence (a regulation not in force on the
    date, a citation that does not resolve, a year beyond the holiday data…).

    Every stage's such error derives from it, so the command line tells them without importing
    the stages that raise them: `patuh --version` does not wait for the rule engine."""


class InputProblems(Exception):
    """All the problems found in one input (a facts file, a rule set, a responses sheet), told together."""

    # A line said before the problems (each then indented), where they need one to be understood.
    heading: str | None = None

    def __init__(self, problems: list[InputError]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

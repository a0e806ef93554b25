"""Which facts files a batch audits, and the name each one's report gets."""

from __future__ import annotations

import glob
from collections import Counter
from pathlib import Path
from typing import Iterable

FACTS_SUFFIXES = (".yaml", ".yml")


class BatchUsageError(ValueError):
    """The batch cannot start (no facts files, an unknown regulation)."""


def facts_files(targets: Iterable[str]) -> list[Path]:
    """Facts files named by folders (their *.yaml / *.yml), glob patterns or file names."""
    found: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found.extend(sorted(child for child in path.iterdir() if child.suffix.lower() in FACTS_SUFFIXES and child.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            matches = sorted(Path(name) for name in glob.glob(target, recursive=True))
            found.extend(match for match in matches if match.is_file() and match.suffix.lower() in FACTS_SUFFIXES)
    unique = list(dict.fromkeys(found))
    if not unique:
        raise BatchUsageError(f"no facts files (*.yaml, *.yml) in {', '.join(targets)}")
    return unique


def report_names(files: list[Path]) -> list[str]:
    """One report name per facts file; the same file name in two folders gets the folder too."""
    stems = Counter(file.stem for file in files)
    names: list[str] = []
    taken: set[str] = set()
    for file in files:
        name = file.stem if stems[file.stem] == 1 else f"{file.parent.name}-{file.stem}"
        base, number = name, 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        names.append(name)
    return names

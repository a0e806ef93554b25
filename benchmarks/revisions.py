"""Another revision of patuh, checked out beside this one, to measure old and new in one run.

    tree = code_tree("21aedbc", work)     # a path to put on PYTHONPATH

The revision is checked out once into `work` (a git worktree of this repository) with a
folder `.dev/` holding `patuh -> ../engine`, so `import patuh` finds that revision's engine,
and its data folders (rules/, regulations/...) beside it, ahead of the installed package.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def code_tree(revision: str, work: Path) -> Path:
    commit = subprocess.run(["git", "-C", str(REPOSITORY), "rev-parse", "--short", revision], check=True,
                            capture_output=True, text=True).stdout.strip()
    checkout = work / f"patuh-{commit}"
    if not (checkout / "engine").is_dir():
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "-C", str(REPOSITORY), "worktree", "add", "--detach", "--force", str(checkout), commit],
                       check=True, capture_output=True)
    dev = checkout / ".dev"
    dev.mkdir(exist_ok=True)
    if not (dev / "patuh").exists():
        os.symlink("../engine", dev / "patuh")
    return dev


def environment(tree: Path | None, **extra: str) -> dict[str, str]:
    """The environment a measured command runs in: `tree` first on the path (None: this checkout)."""
    env = {**os.environ, **extra}
    if tree is not None:
        env["PYTHONPATH"] = str(tree) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env

"""How long a user waits for one command: `patuh --version` and one audit of a bundled example.

    python benchmarks/startup_benchmark.py                     # this checkout
    python benchmarks/startup_benchmark.py --against 21aedbc   # and an older revision, in the same run

Each command runs in a fresh interpreter, as a user starts it; the figure is the median wall
time of --runs runs (interleaved between revisions, so both see the same machine load).
"Cold" runs with an empty rule-set cache (engine/cache.py), as the first command
after an install or an edit of the rules does; "warm" with the cache filled, as every later
one does. A revision without the cache is cold every time.

Targets (issue 15): `patuh --version` at most 0.15 s; one audit at most 0.3 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from revisions import REPOSITORY, code_tree, environment

EXAMPLE = REPOSITORY / "facts" / "examples" / "tegal-disdukcapil.yaml"
COMMANDS = {
    "patuh --version": ["--version"],
    "patuh audit (tegal example, Markdown)": ["audit", str(EXAMPLE), "--regulation", "tegal", "--as-of", "2024-12-31",
                                             "-o", "{out}/report.md"],
}


def _run(tree: Path | None, arguments: list[str], cache: Path, out: Path) -> float:
    command = [sys.executable, "-m", "patuh.cli", *[part.format(out=out) for part in arguments]]
    started = time.perf_counter()
    finished = subprocess.run(command, env=environment(tree, PATUH_CACHE_DIR=str(cache)), capture_output=True)
    elapsed = time.perf_counter() - started
    if finished.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(command)} failed: {finished.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", help="an older revision to measure in the same run (e.g. 21aedbc)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "patuh-benchmark")
    arguments = parser.parse_args()
    trees: dict[str, Path | None] = {"this checkout": None}
    if arguments.against:
        trees[arguments.against] = code_tree(arguments.against, arguments.work)
    out = Path(tempfile.mkdtemp(prefix="startup-"))
    print(f"# startup benchmark: median of {arguments.runs} fresh interpreters, Python {sys.version.split()[0]}")
    print("# command: python benchmarks/startup_benchmark.py" + (f" --against {arguments.against}" if arguments.against else "")
          + f" --runs {arguments.runs}")
    print()
    print("| command | revision | cold cache s | warm cache s |")
    print("|---|---|---:|---:|")
    for name, command in COMMANDS.items():
        times: dict[str, dict[str, list[float]]] = {label: {"cold": [], "warm": []} for label in trees}
        for _ in range(arguments.runs):
            for label, tree in trees.items():
                cache = out / "cache"
                shutil.rmtree(cache, ignore_errors=True)
                times[label]["cold"].append(_run(tree, command, cache, out))
                times[label]["warm"].append(_run(tree, command, cache, out))
        for label in trees:
            cold, warm = (statistics.median(times[label][kind]) for kind in ("cold", "warm"))
            print(f"| `{name}` | {label} | {cold:.2f} | {warm:.2f} |", flush=True)
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()

"""How fast one audit runs, with durable-rules and with the plain-Python oracle.

    python benchmarks/audit_speed.py [--repeat 200]

Prints audits per second and peak memory for each bundled example, under its region's rules. Targets live here, not
in timed tests: a laptop or CI machine under load must not fail the test suite.
Target for issue 2: one audit of a Tegal unit in well under a second (the batch issue sets
the throughput target).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from datetime import date

from patuh.load.data_paths import data_directory
from patuh.judge.evaluate import run_audit
from patuh.load.facts import load_facts
from patuh.load.regulation_text import list_regulations, load_regulation
from patuh.rulesets.load import load_ruleset
from patuh.rulesets.select import available_versions

AS_OF = date(2024, 12, 31)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    arguments = parser.parse_args()
    by_region = {load_regulation(r).metadata.get("region"): r for r in list_regulations()}
    for example in sorted((data_directory("facts") / "examples").glob("*.yaml")):
        facts = load_facts(example, AS_OF)
        regulation = by_region[facts.organisation.region]
        ruleset = load_ruleset(regulation, available_versions(regulation)[-1])
        for judge in ("durable", "oracle"):
            run_audit(facts, ruleset, AS_OF, judge=judge)  # warm: compile and register once
            started = time.perf_counter()
            for _ in range(arguments.repeat):
                run_audit(facts, ruleset, AS_OF, judge=judge)
            elapsed = time.perf_counter() - started
            # Memory is traced in a separate, shorter run: tracing slows Python several times.
            tracemalloc.start()
            for _ in range(max(1, arguments.repeat // 10)):
                run_audit(facts, ruleset, AS_OF, judge=judge)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"{example.name:40} {judge:8} {arguments.repeat / elapsed:8.1f} audits/s "
                  f"{1000 * elapsed / arguments.repeat:7.2f} ms/audit  peak {peak / 1e6:6.1f} MB "
                  f"({len(ruleset.rules)} rules)")


if __name__ == "__main__":
    main()

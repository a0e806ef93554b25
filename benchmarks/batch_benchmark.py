"""How fast `patuh batch` audits many units, and what durable-rules costs over the plain-Python floor.

    python benchmarks/batch_benchmark.py                       # 1,000 and 10,000 units, seed 7
    python benchmarks/batch_benchmark.py --sizes 1000 --seed 7 --workers 2

For each size: generates the units (benchmarks/generate_units.py, cached in --work by seed and
count), then runs the batch in a fresh process exactly as `patuh batch DIR --as-of 2024-12-31
--format json -o OUT` does, and reports units per second end to end (interpreter start to the
last summary file), the peak memory of the process tree (the batch process plus its workers,
sampled from /proc every 20 ms), and how the workers' time splits between loading (reading
and parsing YAML), validating (the pydantic model and cross-checks), evaluating (queries,
judging, the report dict) and rendering (JSON text, written atomically).

Then, on one rule set at a time and the same compiled rules, it judges the same subject facts
with durable-rules and with the plain-Python oracle in one run, interleaved, and reports the
ratio: for the judging alone, and for whole evaluations (queries included). Every fact's
outcomes must be the same from both, and a fact on which nothing fired must be judged unknown:
the benchmark stops if either fails.

Targets (issue 7) live here, not in timed tests: 10,000 units in under 20 s with JSON output
on a 2-core machine; peak memory flat in the number of units; durable-rules no more than 3x
the plain-Python floor.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from revisions import code_tree, environment

HERE = Path(__file__).resolve().parent
AS_OF = date(2024, 12, 31)


def _rss_of_tree(root: int) -> tuple[int, int, int]:
    """Resident memory (bytes) of a process and all its descendants, from /proc:
    the total, the process itself, and its largest descendant."""
    total, own, largest, pending = 0, 0, 0, [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        resident = int(line.split()[1]) * 1024
                        total += resident
                        if pid == root:
                            own = resident
                        else:
                            largest = max(largest, resident)
                        break
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total, own, largest


def _units(count: int, seed: int, work: Path) -> Path:
    folder = work / f"units-seed{seed}-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        sys.path.insert(0, str(HERE))
        from generate_units import write_units

        started = time.perf_counter()
        write_units(count, seed, folder)
        marker.write_text("ok")
        print(f"  generated {count} units in {time.perf_counter() - started:.1f} s -> {folder}", file=sys.stderr)
    return folder


def _child(arguments: argparse.Namespace) -> None:
    """The batch itself, as `patuh batch` runs it, plus the per-stage seconds for the parent."""
    from patuh.batch.discover import facts_files
    from patuh.batch.run import run_batch
    from patuh.batch.unit import BatchOptions

    files = facts_files([str(arguments.child_units)])
    result = run_batch(files, BatchOptions(as_of=AS_OF, output=arguments.child_output, formats=("json",),
                                           judge=arguments.judge), workers=arguments.workers, progress=False)
    json.dump({"seconds": result.seconds, "audited": result.audited, "failed": result.failed,
               "batch_wall": result.wall_seconds}, sys.stdout)


def run_size(count: int, seed: int, workers: int, work: Path, judge: str, keep: bool = False,
             tree: Path | None = None) -> dict:
    """One batch in a fresh process; `tree`: another revision's code (revisions.py), None for this checkout.
    The rule-set cache starts empty, as after an install."""
    units = _units(count, seed, work)
    output = Path(tempfile.mkdtemp(prefix=f"batch-{count}-", dir=work))
    command = [sys.executable, str(Path(__file__).resolve()), "--child-units", str(units), "--child-output", str(output),
               "--workers", str(workers), "--judge", judge]
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=work))
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=environment(tree, CI="1", PATUH_CACHE_DIR=str(cache)))
    peak = peak_parent = peak_worker = 0
    while process.poll() is None:
        total, own, largest = _rss_of_tree(process.pid)
        peak, peak_parent, peak_worker = max(peak, total), max(peak_parent, own), max(peak_worker, largest)
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    stdout = process.stdout.read() if process.stdout else b""
    if process.returncode != 0:
        raise SystemExit(f"the batch of {count} units failed (exit {process.returncode})")
    child = json.loads(stdout)
    if child["failed"]:
        raise SystemExit(f"{child['failed']} generated units could not be audited: see {output}/summary.json")
    spent = sum(child["seconds"].values())
    report_bytes = [path.stat().st_size for path in (output / "reports").glob("*.json")]
    shutil.rmtree(cache, ignore_errors=True)
    if not keep:  # the reports of 10,000 units take gigabytes
        shutil.rmtree(output / "reports", ignore_errors=True)
    return {"units": count, "seconds": elapsed, "units_per_second": count / elapsed, "peak_rss_mb": peak / 1e6, "peak_parent_mb": peak_parent / 1e6,
            "peak_worker_mb": peak_worker / 1e6,
            "stage_seconds": child["seconds"], "stage_share": {stage: value / spent for stage, value in child["seconds"].items()},
            "output": str(output), "report_mb_mean": sum(report_bytes) / max(1, len(report_bytes)) / 1e6,
            "report_mb_largest": max(report_bytes, default=0) / 1e6}


def _log_lengths(file: Path) -> tuple[int, int]:
    """(complaints, other log entries) of a facts file: the complaint log, and every other
    list of the complaint-management block and of events (daily channel checks, publications...)."""
    import yaml

    data = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    management = data.get("complaint_management") or {}
    complaints = len(management.get("complaints") or []) if isinstance(management, dict) else 0
    others = 0
    for block in (management, data.get("events") or {}):
        if isinstance(block, dict):
            others += sum(len(value) for key, value in block.items() if isinstance(value, list) and key != "complaints")
    others += len(data.get("publications") or []) if isinstance(data.get("publications"), list) else 0
    return complaints, others


def _least_squares(rows: list[tuple[float, ...]], targets: list[float]) -> list[float]:
    """Coefficients of targets ~ rows (intercepts as columns of 1 and 0), by the normal equations."""
    size = len(rows[0])
    matrix = [[sum(row[i] * row[j] for row in rows) for j in range(size)] + [sum(row[i] * y for row, y in zip(rows, targets))]
              for i in range(size)]
    for column in range(size):  # Gauss-Jordan with partial pivoting
        pivot = max(range(column, size), key=lambda r: abs(matrix[r][column]))
        matrix[column], matrix[pivot] = matrix[pivot], matrix[column]
        for r in range(size):
            if r != column and matrix[column][column]:
                factor = matrix[r][column] / matrix[column][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[column])]
    return [matrix[i][size] / matrix[i][i] if matrix[i][i] else 0.0 for i in range(size)]


def per_entry_cost(units: Path, sample: int) -> list[dict]:
    """What one more log entry costs a unit's audit (one process, this checkout), per region
    (each region's rules judge its logs differently): a unit's seconds fitted by least squares
    to its number of complaints and of other log entries."""
    from patuh.batch.unit import BatchOptions, audit_unit

    files = sorted(units.glob("*.yaml"))
    files = files[::max(1, len(files) // sample)][:sample]
    output = Path(tempfile.mkdtemp(prefix="entries-", dir=units.parent))
    (output / "reports").mkdir()
    options = BatchOptions(as_of=AS_OF, output=output, formats=("json",))
    audit_unit(files[0], "warm", options)
    measured: dict[str, list[tuple[int, int, float]]] = {}
    for file in files:
        complaints, others = _log_lengths(file)
        started = time.perf_counter()
        outcome = audit_unit(file, file.stem, options)
        measured.setdefault(file.name.split("-")[0], []).append((complaints, others, time.perf_counter() - started))
        if outcome.errors:
            raise SystemExit(outcome.errors[0])
    shutil.rmtree(output, ignore_errors=True)
    results = []
    for region, points in sorted(measured.items()):
        rows = [(1.0, complaints, others) for complaints, others, _ in points]
        seconds = [spent for _, _, spent in points]
        base, per_complaint, per_other = _least_squares(rows, seconds)
        fitted = [base + per_complaint * row[1] + per_other * row[2] for row in rows]
        mean = sum(seconds) / len(seconds)
        total = sum((y - mean) ** 2 for y in seconds)
        residual = sum((y - f) ** 2 for y, f in zip(seconds, fitted))
        results.append({"region": region, "units": len(points), "ms_base": 1000 * base, "ms_per_complaint": 1000 * per_complaint,
                        "ms_per_other_entry": 1000 * per_other, "r_squared": 1 - residual / total if total else 1.0,
                        "max_complaints": max(row[1] for row in rows), "ms_per_unit": 1000 * mean})
    return results


def judge_ratio(units: Path, sample: int, rounds: int) -> list[dict]:
    """durable-rules against the oracle on the same compiled rules and the same subject facts."""
    import patuh.judge.evaluate as evaluate
    from patuh.rulesets.select import select_ruleset
    from patuh.judge.compile import judge_with_oracle
    from patuh.load.facts import load_facts

    files = sorted(units.glob("*.yaml"))
    files = files[::max(1, len(files) // sample)][:sample]  # spread over the regions, which take turns
    by_ruleset: dict = {}
    for file in files:
        facts = load_facts(file, AS_OF)
        ruleset, _ = select_ruleset(region=facts.organisation.region, as_of=AS_OF)
        by_ruleset.setdefault(ruleset, []).append(facts)
    results = []
    for ruleset, facts_list in by_ruleset.items():
        durable = evaluate.durable_judge(ruleset)
        # The subject facts the audits judge, captured once from real evaluations.
        captured: list = []
        original = evaluate.judge_with_oracle

        def capture(rule, fact):
            captured.append((rule, fact))
            return original(rule, fact)

        evaluate.judge_with_oracle = capture
        try:
            for facts in facts_list:
                evaluate.run_audit(facts, ruleset, AS_OF, judge="oracle")
        finally:
            evaluate.judge_with_oracle = original
        nothing_fired = 0
        for rule, fact in captured:
            from_durable, from_oracle = durable.judge(fact), judge_with_oracle(rule, fact)
            if from_durable != from_oracle:
                raise SystemExit(f"{rule.rule.id}: durable-rules {from_durable} but the oracle {from_oracle} on {fact}")
            if not from_durable:
                nothing_fired += 1
        durable_seconds = oracle_seconds = audit_durable = audit_oracle = 0.0
        for _ in range(rounds):  # interleaved, so both see the same machine load
            started = time.perf_counter()
            for rule, fact in captured:
                durable.judge(fact)
            durable_seconds += time.perf_counter() - started
            started = time.perf_counter()
            for rule, fact in captured:
                judge_with_oracle(rule, fact)
            oracle_seconds += time.perf_counter() - started
            started = time.perf_counter()
            for facts in facts_list:
                evaluate.run_audit(facts, ruleset, AS_OF, judge="durable")
            audit_durable += time.perf_counter() - started
            started = time.perf_counter()
            for facts in facts_list:
                evaluate.run_audit(facts, ruleset, AS_OF, judge="oracle")
            audit_oracle += time.perf_counter() - started
        # A subject on which no outcome rule fired must come out unknown (or pending, when its
        # period is still running), never comply: checked on the durable-judged findings of every unit.
        for facts in facts_list:
            unit_facts: list = []
            evaluate.judge_with_oracle = lambda rule, fact: (unit_facts.append(fact), original(rule, fact))[1]
            try:
                evaluate.run_audit(facts, ruleset, AS_OF, judge="oracle")
            finally:
                evaluate.judge_with_oracle = original
            silent_subjects = {(fact["rule"], fact["subject"]) for fact in unit_facts if not durable.judge(fact)}
            for finding in evaluate.run_audit(facts, ruleset, AS_OF, judge="durable"):
                for subject in finding.subjects:
                    if (finding.rule_id, subject.key) in silent_subjects and subject.status not in ("unknown", "pending"):
                        raise SystemExit(f"{finding.rule_id} {subject.key}: nothing fired, yet the subject is {subject.status}")
        judged = len(captured) * rounds
        results.append({
            "ruleset": f"{ruleset.regulation.id} {ruleset.version}", "rules": len(ruleset.rules), "units": len(facts_list),
            "facts": len(captured), "nothing_fired": nothing_fired,
            "durable_us_per_fact": 1e6 * durable_seconds / judged, "oracle_us_per_fact": 1e6 * oracle_seconds / judged,
            "judge_ratio": durable_seconds / oracle_seconds, "evaluation_ratio": audit_durable / audit_oracle,
            "evaluation_ms_durable": 1000 * audit_durable / (rounds * len(facts_list)),
            "evaluation_ms_oracle": 1000 * audit_oracle / (rounds * len(facts_list)),
        })
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="patuh batch benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--judge", choices=("durable", "oracle"), default="durable")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "patuh-benchmark")
    parser.add_argument("--keep", action="store_true", help="keep the per-unit reports (deleted after measuring)")
    parser.add_argument("--ratio-sample", type=int, default=200, help="units judged both ways for the ratio")
    parser.add_argument("--ratio-rounds", type=int, default=3)
    parser.add_argument("--against", help="an older revision whose batch is measured in the same run, beside this one")
    parser.add_argument("--entries-sample", type=int, default=300, help="units timed one by one for the cost per complaint entry")
    parser.add_argument("--child-units", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-output", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child_units:
        _child(arguments)
        return
    arguments.work.mkdir(parents=True, exist_ok=True)
    print(f"# patuh batch benchmark: seed {arguments.seed}, {arguments.workers} workers, judge {arguments.judge}, "
          f"Python {platform.python_version()}, {os.cpu_count()} cores")
    print(f"# command: python benchmarks/batch_benchmark.py --sizes {' '.join(map(str, arguments.sizes))} "
          f"--seed {arguments.seed} --workers {arguments.workers}")
    print()
    trees: dict[str, Path | None] = {"this checkout": None}
    if arguments.against:
        trees[arguments.against] = code_tree(arguments.against, arguments.work)
    print("| units | revision | seconds | units/s | peak memory MB: all processes | batch process | largest worker "
          "| loading | validating | evaluating | rendering | report MB: mean | largest |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count in arguments.sizes:
        for label, tree in trees.items():
            row = run_size(count, arguments.seed, arguments.workers, arguments.work, arguments.judge, arguments.keep, tree)
            share = row["stage_share"]
            print(f"| {count:,} | {label} | {row['seconds']:.1f} | {row['units_per_second']:.0f} | {row['peak_rss_mb']:.0f} | "
                  f"{row['peak_parent_mb']:.0f} | {row['peak_worker_mb']:.0f} | "
                  + " | ".join(f"{100 * share.get(stage, 0):.0f}%" for stage in ("loading", "validating", "evaluating", "rendering"))
                  + f" | {row['report_mb_mean']:.2f} | {row['report_mb_largest']:.1f} |", flush=True)
    print()
    print(f"Cost per log entry, one process, this checkout, {arguments.entries_sample} units timed one by one; "
          "least squares per region of a unit's time on its complaints and its other log entries (daily channel "
          "checks, publications...):")
    print()
    print("| region | units | ms a unit without entries | ms per complaint | ms per other entry | R² | most complaints | ms a unit, mean |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in per_entry_cost(_units(min(arguments.sizes), arguments.seed, arguments.work), arguments.entries_sample):
        print(f"| {row['region']} | {row['units']} | {row['ms_base']:.1f} | {row['ms_per_complaint']:.3f} | "
              f"{row['ms_per_other_entry']:.3f} | {row['r_squared']:.2f} | {row['max_complaints']:.0f} | {row['ms_per_unit']:.1f} |")
    print()
    units = _units(min(arguments.sizes), arguments.seed, arguments.work)
    print(f"durable-rules against the plain-Python oracle, same compiled rules, {arguments.ratio_sample} units "
          f"spread over the {min(arguments.sizes):,}, "
          f"{arguments.ratio_rounds} interleaved rounds:")
    print()
    print("| rule set | units | subject facts | nothing fired | durable µs/fact | oracle µs/fact | judging ratio | "
          "evaluation ms/unit durable | oracle | evaluation ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in judge_ratio(units, arguments.ratio_sample, arguments.ratio_rounds):
        print(f"| {row['ruleset']} | {row['units']} | {row['facts']:,} | {row['nothing_fired']:,} | "
              f"{row['durable_us_per_fact']:.1f} | {row['oracle_us_per_fact']:.1f} | {row['judge_ratio']:.1f}× | "
              f"{row['evaluation_ms_durable']:.1f} | {row['evaluation_ms_oracle']:.1f} | {row['evaluation_ratio']:.2f}× |", flush=True)


if __name__ == "__main__":
    main()

"""Dataset measurements: 100k-row import speed, peak memory of a 1,000,000-row import, and
scorer agreement on BIG-Bench Hard.

    .venv/bin/python benchmarks/bench_datasets.py [--rows N] [--rss-rows N] [--bbh DIR]

Prints three tables. Peak memory is each phase's maximum resident set size (VmHWM), measured
in a fresh subprocess (so nothing else this script did counts); --rss-rows 0 skips it. The BBH
part runs only when ../shared/data/bbh exists.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from debop_desktop.core.datasets.importer import commit_import, plan_import
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.datasets.tables import read_table
from debop_desktop.core.datasets.worked_examples import parse_worked_examples
from debop_desktop.core.scoring import get_scorer, score_output
from debop_desktop.core.store import Store

DEFAULT_BBH = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbh"


def write_csv(path: Path, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Ticket", "Urgency"])
        for i in range(rows):
            w.writerow([f"Ticket {i}: the printer on floor {i % 9} shows error {i % 97}",
                        ("low", "medium", "high")[i % 3]])
    return path


def bench_import(rows: int) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "big.csv", rows)
        size_mb = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        read_table(path)
        t1 = time.perf_counter()
        plan = plan_import(path)
        t2 = time.perf_counter()
        store = Store(Path(tmp) / "db.sqlite3")
        commit_import(DatasetRepository(store), plan)
        t3 = time.perf_counter()
        store.close()
    return [("rows", f"{rows:,}"), ("file", f"{size_mb:.1f} MB CSV (BOM, ';')"),
            ("read + parse", f"{t1 - t0:.2f} s"),
            ("plan (read, map, suggest scorer, validate)", f"{t2 - t1:.2f} s"),
            ("commit (splits + one transaction)", f"{t3 - t2:.2f} s"),
            ("plan + commit", f"{t3 - t1:.2f} s ({rows / (t3 - t1):,.0f} rows/s)")]


def _peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not getrusage: on Linux a child's
    ru_maxrss starts from its parent's peak, which would hide a child smaller than its parent."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: an upper bound


def _child(phase: str, path: Path, db: Path) -> None:
    """Run one phase of an import in this (fresh) process and print its peak RSS in MB."""
    if phase == "baseline":  # the code loaded and a store open, nothing read
        Store(db).close()
    else:
        plan = plan_import(path)
        if phase == "import":
            store = Store(db)
            commit_import(DatasetRepository(store), plan)
            store.close()
    print(f"{_peak_rss_mb():.0f}")


def bench_peak_memory(rows: int) -> list[tuple[str, str]]:
    """Peak RSS of a dry run (read, map, validate) and of a whole import, each in a subprocess."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "big.csv", rows)
        out.append(("rows", f"{rows:,} ({path.stat().st_size / 1e6:.1f} MB CSV)"))
        for phase, label in (("baseline", "baseline: the code loaded, a store open"),
                             ("plan", "dry run (read, map, validate)"), ("import", "import (plan + commit)")):
            t0 = time.perf_counter()
            child = subprocess.run([sys.executable, __file__, "--child", phase, str(path), str(Path(tmp) / phase)],
                                   capture_output=True, text=True)
            if child.returncode:
                raise SystemExit(child.stderr)
            took = "" if phase == "baseline" else f" ({time.perf_counter() - t0:.1f} s)"
            out.append((f"peak RSS, {label}", f"{float(child.stdout.split()[-1]):.0f} MB{took}"))
    return out


def bench_bbh(folder: Path) -> list[list[str]]:
    rows = []
    for task_file in sorted((folder / "tasks").glob("*.json")):
        task = task_file.stem
        plan = plan_import(task_file)
        scorer = get_scorer(plan.suggestion.scorer)
        worked = parse_worked_examples((folder / "cot-prompts" / f"{task}.txt").read_text())
        stated = [w.reasoning.rsplit("So the answer is ", 1)[1].strip().rstrip(".") for w in worked]
        agree = sum(score_output(w.reasoning, s, scorer, w.question).correct
                    for w, s in zip(worked, stated, strict=True))
        examples = json.loads(task_file.read_text())["examples"]
        self_ok = sum(score_output(e["target"], e["target"], scorer, e["input"]).correct for e in examples)
        rows.append([task, plan.suggestion.answer_type, f"{agree}/{len(worked)}",
                     f"{self_ok}/{len(examples)}"])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--rss-rows", type=int, default=1_000_000, help="rows for the peak-memory import (0: skip)")
    ap.add_argument("--bbh", type=Path, default=DEFAULT_BBH)
    ap.add_argument("--child", nargs=3, metavar=("PHASE", "CSV", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    print("Import")
    for k, v in bench_import(args.rows):
        print(f"  {k:<45} {v}")
    if args.rss_rows:
        print("\nPeak memory (each phase in a fresh subprocess)")
        for k, v in bench_peak_memory(args.rss_rows):
            print(f"  {k:<45} {v}")
    if not (args.bbh / "tasks").is_dir():
        print(f"BIG-Bench Hard not found at {args.bbh}; skipped")
        return 0
    print("\nBIG-Bench Hard: suggested type, exemplar answers extracted, targets scored against themselves")
    rows = bench_bbh(args.bbh)
    print(f"  {'task':<34} {'type':<11} {'exemplars':<10} targets")
    for r in rows:
        print(f"  {r[0]:<34} {r[1]:<11} {r[2]:<10} {r[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dataset measurements: 100k-row import speed, and scorer agreement on BIG-Bench Hard.

    .venv/bin/python benchmarks/bench_datasets.py [--rows N] [--bbh DIR]

Prints two tables. The BBH part runs only when ../shared/data/bbh exists.
"""

from __future__ import annotations

import argparse
import csv
import json
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


def bench_import(rows: int) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow(["Ticket", "Urgency"])
            for i in range(rows):
                w.writerow([f"Ticket {i}: the printer on floor {i % 9} shows error {i % 97}",
                            ("low", "medium", "high")[i % 3]])
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
    ap.add_argument("--bbh", type=Path, default=DEFAULT_BBH)
    args = ap.parse_args()
    print("Import")
    for k, v in bench_import(args.rows):
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

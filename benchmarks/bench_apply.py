"""Answering a file with a run's shipped behavior (issue 23): speed, memory, and the same answers.

1. Speed, on SmolLM2-135M-Instruct in the app's worker process: the same file answered one row
   at a time (one question per request, one sequence) and batched (the batched backend call,
   `--parallel` sequences), rows per second and the ratio (goal: at least 2x).
2. The same answers: the batched job's outputs (and a pick's confidence) against the one-row
   job's, and against `debop ask`'s (`TunedBehavior.answer`, one question at a time) for the
   first `--same` rows, with the model loaded for one sequence and as the batched job loads it.
3. Memory: the process's peak (max RSS) and the peak Python allocation (tracemalloc) of
   answering and writing a 1,000-row and a 100,000-row file with an instant fake model, each in
   its own process (goal: flat, the big file's process peak at most 1.2x the small one's).

The run is recorded with a simulated model and then pointed at SmolLM2, so what ships is a
real behavior of the app (printed), answered by the real model: `--task sums` (a numeric task;
the run ships a prompt, or `--behavior`), `--task even` (yes/no; the run ships the calibrated
pick, scored several rows per request). On a shared machine use `--threads 1` (llama.cpp's
threads wait for each other by spinning). Everything is nice'd by the caller:

    nice -n 10 .venv/bin/python benchmarks/bench_apply.py [--rows 1000] [--parallel 4] [--threads 2]
        [--task sums|even] [--behavior NAME] [--same 20] [--memory-rows 100000] [--skip-speed] [--skip-memory]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "core")]

from debop_desktop.core.cpu import SAFE_CPU_ENV  # noqa: E402


def question(task: str, i: int) -> str:
    return f"Is {i * 7 + 3} even?" if task == "even" else f"What is {i % 97} + {(i * 7) % 89}?"


def write_questions(path: Path, n: int, task: str = "sums") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "question"])
        w.writerows([i, question(task, i)] for i in range(n))
    return path


def recorded_run(home: Path, model: Path | None, behavior: str = "", task: str = "sums") -> int:
    """A finished run on the sums task (simulated model), or on the yes/no task 'is N even?'
    (a scripted model that collapses onto 'no', so the run ships the calibrated pick), pointed
    at `model` when given, and shipping `behavior` instead of what it chose when given."""
    from run_helpers import drain
    from simulated_env import simulated_backend
    from test_calibrated import even_task, leaning_model
    from test_optimizer_run import CFG, SPEED, make_dataset

    from debop_desktop.core.library import ModelLibrary
    from debop_desktop.core.optimizer.run import run_optimization
    from debop_desktop.core.store import open_store

    store = open_store(home)
    record = ModelLibrary(store).add(model).record if model else None
    if task == "even":
        d, truth = even_task(store)
        backend, config = leaning_model(truth), CFG.with_overrides(test_limit=30)
    else:
        d, answers = make_dataset(store)
        backend, config = simulated_backend(answers)[0], CFG
    _, result = drain(run_optimization(store, backend, d.id, config, tokens_per_second=SPEED,
                                       model_id=record.id if record else None))
    if record is not None:
        store.execute("UPDATE runs SET model_sha256 = ? WHERE id = ?", (record.sha256, result.run_id))
    if behavior:
        row = store.execute("SELECT summary_json FROM runs WHERE id = ?", (result.run_id,)).fetchone()
        summary = json.loads(row[0])
        summary.setdefault("shipped", {})["method"] = behavior
        store.execute("UPDATE runs SET summary_json = ? WHERE id = ?", (json.dumps(summary), result.run_id))
    store.conn.commit()
    store.close()
    return result.run_id


def timed_job(home: Path, run_id: int, source: Path, output: Path, **kw) -> tuple[float, int]:
    """Seconds from the first event after the model loaded to the file written, and rows."""
    from debop_desktop.core.apply import ApplyFinished, ApplyStarted, apply_job

    started = finished = 0.0
    rows = 0
    for event in apply_job(home / "debop.sqlite3", run_id, source, output=output, **kw):
        if isinstance(event, ApplyStarted):
            started = time.perf_counter()
        elif isinstance(event, ApplyFinished):
            finished, rows = time.perf_counter(), event.done
    return finished - started, rows


def answers(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [r["answer"] for r in csv.DictReader(fh)]


def outputs(path: Path) -> list[str]:
    """Each row's model output (with its confidence, for a pick by probability)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [r["model output"] + (f" {r['confidence']}" if "confidence" in r else "") for r in csv.DictReader(fh)]


def speed(args: argparse.Namespace) -> dict:
    from fetch_test_models import smollm2_path

    from debop_desktop.core.apply.job import check_run_model
    from debop_desktop.core.behaviors.gateways import answer
    from debop_desktop.core.optimizer.export import load_tuned
    from debop_desktop.core.runtime import open_model
    from debop_desktop.core.settings import Settings
    from debop_desktop.core.store import open_store

    home = Path(tempfile.mkdtemp(prefix="bench-apply-"))
    run_id = recorded_run(home, smollm2_path(), args.behavior, args.task)
    source = write_questions(home / "rows.csv", args.rows, args.task)
    one_s, n = timed_job(home, run_id, source, home / "one.csv", threads=args.threads, parallel=1, batch_size=1)
    print(f"one at a time: {n} rows in {one_s:.1f} s", file=sys.stderr, flush=True)
    many_s, _ = timed_job(home, run_id, source, home / "many.csv", threads=args.threads, parallel=args.parallel)
    print(f"batched: {n} rows in {many_s:.1f} s", file=sys.stderr, flush=True)
    store = open_store(home)
    tuned = load_tuned(store, run_id)
    record, same = check_run_model(store, run_id), min(args.same, n)
    asked = {}
    for parallel in (1, args.parallel):  # `debop ask --parallel 1`, and ask as the batched job's engine is loaded
        opened = open_model(record, Settings(store), user="bench", threads=args.threads, parallel=parallel)
        try:  # what `debop ask` answers (TunedBehavior.answer), one question at a time
            asked[parallel] = [_as_in_file(answer(tuned.behavior, opened.backend, question(args.task, i)))
                               for i in range(same)]
        finally:
            opened.release()
    batched, single = outputs(home / "many.csv"), outputs(home / "one.csv")

    def agree(a: list[str], b: list[str]) -> str:
        return f"{sum(x == y for x, y in zip(a, b, strict=False))}/{min(len(a), len(b))}"

    return {"behavior": tuned.method, "token_limit": tuned.generation_params().max_tokens, "rows": n,
            "one_at_a_time_rows_per_s": n / one_s, "batched_rows_per_s": n / many_s, "ratio": one_s / many_s,
            "parallel": args.parallel, "threads": args.threads,
            "batched_equals_one_at_a_time": agree(batched, single),
            "batched_same_answer_as_one_at_a_time": agree(answers(home / "many.csv"), answers(home / "one.csv")),
            "one_at_a_time_same_as_ask_parallel_1": agree(asked[1], single),
            f"batched_same_as_ask_parallel_{args.parallel}": agree(asked[args.parallel], batched),
            "batched_same_as_ask_parallel_1": agree(asked[1], batched),
            "differing_rows": [i for i, (x, y) in enumerate(zip(batched, single, strict=True)) if x != y][:40]}


def _as_in_file(reply) -> str:
    """A reply as the answers file writes it: the model output, and a pick's confidence."""
    text = reply.completion.text if reply.completion else ""
    return text + (f" {round(reply.confidence, 3)}" if reply.confidence is not None else "")


class InstantBackend:
    """A model that answers at once and keeps nothing (for the memory of the pipeline alone)."""

    fingerprint, context_length, parallel = "bench:instant", 4096, 4

    def chat(self, messages, params, cancel=None, on_text=None):
        from debop_desktop.core.llm.base import Completion

        return Completion("Step by step: the answer is 42.", "stop", 10, 8, 0.0, 0)

    def chat_many(self, requests, cancel=None):
        return [self.chat(r.messages, r.params) for r in requests]


def memory_child(rows: int) -> None:
    import tracemalloc

    from debop_desktop.core.apply import answer_file, plan_apply
    from debop_desktop.core.store import open_store

    home = Path(tempfile.mkdtemp(prefix="bench-apply-mem-"))
    run_id = recorded_run(home, None)
    source = write_questions(home / "rows.csv", rows)
    store = open_store(home)
    tracemalloc.start()
    started = time.perf_counter()
    plan = plan_apply(store, run_id, source)
    for _ in answer_file(store, plan, InstantBackend()):
        pass
    _, peak = tracemalloc.get_traced_memory()
    import resource

    print(json.dumps({"rows": rows, "peak_bytes": peak, "seconds": time.perf_counter() - started,
                      "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "output_bytes": plan.output.stat().st_size}))


def memory(args: argparse.Namespace) -> dict:
    results = {}
    for rows in (1000, args.memory_rows):
        done = subprocess.run([sys.executable, __file__, "--memory-child", str(rows)], capture_output=True,
                              text=True, check=True, env={**__import__("os").environ, SAFE_CPU_ENV: "1"})
        results[rows] = json.loads(done.stdout.strip().splitlines()[-1])
    small, big = results[1000], results[args.memory_rows]
    return {"process_peak_1000_rows_MB": small["max_rss_kb"] / 1e3,
            f"process_peak_{args.memory_rows}_rows_MB": big["max_rss_kb"] / 1e3,
            "process_ratio": big["max_rss_kb"] / small["max_rss_kb"],
            "python_alloc_peak_1000_rows_MB": small["peak_bytes"] / 1e6,
            f"python_alloc_peak_{args.memory_rows}_rows_MB": big["peak_bytes"] / 1e6,
            "python_alloc_ratio": big["peak_bytes"] / small["peak_bytes"],
            "seconds_big": big["seconds"]}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1000)
    p.add_argument("--parallel", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--same", type=int, default=20)
    p.add_argument("--behavior", default="", help="ship this behavior instead of the run's choice (e.g. direct)")
    p.add_argument("--task", choices=("sums", "even"), default="sums",
                   help="sums: a numeric task (the run ships a prompt); even: a yes/no task whose run ships the "
                        "calibrated pick (a pick by probability, scored several rows per batch)")
    p.add_argument("--memory-rows", type=int, default=100_000)
    p.add_argument("--skip-speed", action="store_true")
    p.add_argument("--skip-memory", action="store_true")
    p.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    report = {}
    if not args.skip_memory:
        report["memory"] = memory(args)
        print(json.dumps(report["memory"], indent=2), flush=True)
    if not args.skip_speed:
        report["speed"] = speed(args)
        print(json.dumps(report["speed"], indent=2), flush=True)


if __name__ == "__main__":
    main()

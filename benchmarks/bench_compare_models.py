"""Which model to use (issue 24): `debop compare` on real classification tasks.

SmolLM2-135M-Instruct, Gemma 3 270M (a base model: no chat template, the plain transcript) and
a requantized Gemma (llama.cpp's `llama_model_quantize`, a smaller file of the same family),
on tasks from ../shared/data/real/ (skipped when that folder is absent), each task in its own
data folder, through the CLI as a person would run it. Prints one markdown table: per task and
model the final-exam accuracy of direct prompting and of the behavior that ships (and which it
is), answers per second, memory, file size, and the recommendation.

With `--save`, each model's row is written to the JSON file the moment its run finishes (the
comparison's data folder is read every `--poll` seconds while `debop compare` works), so a long
measurement that is stopped keeps every row it finished. With `--work DIR` the data folders
(and the requantized copy) are kept there, and the same command run again resumes each
task's comparison where it stopped (`debop compare --resume`) instead of starting over.

Gemma is fetched with `python tests/fetch_test_models.py --gemma`. Every model loads in the
app's worker process with the safe processor settings (DEBOP_SAFE_CPU=1).

    .venv/bin/python benchmarks/bench_compare_models.py [--tasks a,b] [--models smollm2,gemma,gemma-q3]
        [--first-look] [--preset quick] [--target 80] [--dev-limit N] [--test-limit N] [--threads N]
        [--save FILE.json] [--work DIR] [--poll SECONDS]
    .venv/bin/python benchmarks/bench_compare_models.py --report FILE.json   # the table again
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import gemma3_path, smollm2_path  # noqa: E402

from debop_desktop.core.compare.cells import view_json  # noqa: E402
from debop_desktop.core.compare.records import ComparisonStore  # noqa: E402
from debop_desktop.core.compare.table import comparison_view  # noqa: E402
from debop_desktop.core.cpu import SAFE_CPU_ENV  # noqa: E402
from debop_desktop.core.paths import database_path  # noqa: E402
from debop_desktop.core.store import Store  # noqa: E402

DEBOP = str(Path(sys.executable).parent / "debop")
REAL = Path(os.environ.get("DEBOP_REAL_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "real"))
# name -> (file, import options): the columns a person would pick in the import wizard
TASKS = {
    "film_review_sentiment": ("film_review_sentiment.csv", ["--input", "Review", "--answer", "Sentiment"]),
    "news_headline_topic": ("news_headline_topic.csv", ["--input", "Headline", "--input", "Summary",
                                                         "--answer", "Topic"]),
    "question_kind": ("question_kind.csv", ["--input", "Question", "--answer", "Kind of answer"]),
}
REQUANTIZED = "Q3_K_S"  # a smaller Gemma: the token embeddings (262k x 640) dominate its size


def model_files(names: list[str], folder: Path) -> list[Path]:
    files = []
    for name in names:
        if name == "smollm2":
            files.append(smollm2_path())
        elif name == "gemma":
            files.append(gemma3_path())
        elif name == "gemma-q3":
            files.append(requantized(gemma3_path(), folder / f"gemma-3-270m-{REQUANTIZED.lower()}.gguf"))
        else:
            raise SystemExit(f"unknown model {name!r}: smollm2, gemma or gemma-q3")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise SystemExit(f"missing model files {missing}: run `python tests/fetch_test_models.py --gemma`")
    return files


def requantized(source: Path, target: Path) -> Path:
    if not target.is_file():
        from debop_desktop.core.tiny_model import write_quantized_copy

        write_quantized_copy(source, target, REQUANTIZED)
    return target


def debop(home: str, *args: str) -> str:
    done = subprocess.run([DEBOP, "--home", home, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"debop {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def run_task(task: str, models: list[Path], options: list[str], home: Path, poll: float,
             on_change: Callable[[dict], None]) -> dict:
    """Compare `models` on `task` in the data folder `home` (resuming the comparison found there);
    `on_change` gets the comparison so far each time a model's row is done."""
    file, columns = TASKS[task]
    seen, clock = -1, home / "wall_s.txt"  # minutes spent before a resume count too
    started = time.perf_counter() - (float(clock.read_text()) if clock.is_file() else 0.0)
    if _comparison(home) is None:
        shutil.rmtree(home, ignore_errors=True)  # a setup stopped half way: start it again
        home.mkdir(parents=True)
        for model in models:
            debop(str(home), "models", "add", str(model))
        debop(str(home), "datasets", "import", str(REAL / file), "--name", task, *columns, "--seed", "1")
        ids = ",".join(str(i) for i in range(1, len(models) + 1))
        command = ["compare", "--dataset", "1", "--models", ids, *options]
    else:
        command = ["compare", "--resume", "1", "--threads", options[options.index("--threads") + 1]]
    with open(home / "compare.log", "a") as log:
        worker = subprocess.Popen([DEBOP, "--home", str(home), *command], stdout=log, stderr=log)
        while True:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=poll)
            clock.write_text(str(time.perf_counter() - started))
            shown = _comparison(home)
            done = sum(m["state"] in ("done", "skipped") for m in shown["models"]) if shown else 0
            if shown and (done != seen or worker.returncode is not None):
                seen = done
                shown["wall_s"], shown["task"] = time.perf_counter() - started, task
                on_change(shown)
            if worker.returncode is not None:
                break
    if worker.returncode in (130, 143):
        raise SystemExit(f"stopped during {task}: the same command with --work {home.parent} resumes it")
    if worker.returncode != 0:
        raise RuntimeError(f"debop compare on {task} failed ({worker.returncode}): see {home / 'compare.log'}")
    return shown


def _comparison(home: Path) -> dict | None:
    """Comparison 1 of the data folder `home` as `debop --json compare --show 1` prints it, or None."""
    if not database_path(home).is_file():
        return None
    store = Store(database_path(home), migrate=False)
    try:
        if not ComparisonStore(store).list():
            return None
        return view_json(comparison_view(store, 1))
    finally:
        store.close()


def table(results: list[dict]) -> str:
    lines = ["| task | model | file | memory | direct | ships | shipped | answers/s | recommended |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for m in r["models"]:
            if m["state"] != "done":
                continue
            direct = f"{m['direct_accuracy']:.0%}" if m["direct_accuracy"] is not None else "—"
            ships = f"{m['accuracy']:.0%} ({m['low']:.0%}–{m['high']:.0%})" if m["accuracy"] is not None else "—"
            speed = f"{m['answers_per_second']:.1f}" if m["answers_per_second"] else "—"
            lines.append(f"| {r['task']} | {m['model']} | {m['file_bytes'] / 2**20:.0f} MB | "
                         f"{(m['memory_bytes'] or 0) / 2**20:.0f} MB | {direct} | {ships} | {m['shipped'] or '—'} | "
                         f"{speed} | {'★' if m['recommended'] else ''} |")
    lines.append("")
    for r in results:
        unfinished = "" if r["status"] == "finished" else f", comparison {r['status']}: models not done are left out"
        lines.append(f"- **{r['task']}** ({r['wall_s'] / 60:.1f} min{unfinished}): {r['recommendation']}")
        lines.extend(f"  - {w}" for w in r["warnings"])
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", default=",".join(TASKS))
    ap.add_argument("--models", default="smollm2,gemma,gemma-q3")
    ap.add_argument("--preset", default="quick")
    ap.add_argument("--first-look", action="store_true", help="simple prompts only (no search)")
    ap.add_argument("--target", default="80")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--dev-limit", default=None)
    ap.add_argument("--test-limit", default=None)
    ap.add_argument("--threads", default="2")
    ap.add_argument("--save", help="write the results as JSON")
    ap.add_argument("--report", help="print the table from a saved JSON file and stop")
    ap.add_argument("--work", help="keep the data folders here; run again to resume (default: a temporary folder)")
    ap.add_argument("--poll", type=float, default=30.0, help="seconds between looks for finished rows")
    args = ap.parse_args()
    if args.report:
        print(table(json.loads(Path(args.report).read_text())))
        return
    if not REAL.is_dir():
        print(f"skipped: no real tasks at {REAL}")
        return
    os.environ.setdefault(SAFE_CPU_ENV, "1")  # this process's children load the models
    options = ["--preset", args.preset, "--target", args.target, "--seed", args.seed, "--threads", args.threads]
    options += ["--first-look"] if args.first_look else []
    options += ["--dev-limit", args.dev_limit] if args.dev_limit else []
    options += ["--test-limit", args.test_limit] if args.test_limit else []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(args.work) if args.work else Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        models = model_files(args.models.split(","), work)
        results: list[dict] = []

        def keep(shown: dict) -> None:  # replace this task's entry and write the file at once
            done = [m for m in shown["models"] if m["state"] == "done"]
            print(f"{shown['task']}: {len(done)} of {len(shown['models'])} models done, "
                  f"{shown['wall_s'] / 60:.1f} min", file=sys.stderr)
            results[:] = [r for r in results if r["task"] != shown["task"]] + [shown]
            if args.save:
                Path(args.save).write_text(json.dumps(results, indent=1))

        for task in args.tasks.split(","):
            run_task(task, models, options, work / task, args.poll, keep)
    print(table(results))


if __name__ == "__main__":
    main()

"""Dev-set evaluation throughput on SmolLM2: the engine's evaluation path (prompt rendering,
scoring, one SQLite commit per result) vs a bare llama-cpp-python loop over the same prompt
tokens, and prompt tokens actually processed vs submitted.

    .venv/bin/python benchmarks/bench_eval_throughput.py [--questions 30] [--repeats 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample  # noqa: E402
from debop_desktop.core.llm.llama_engine import LlamaEngine  # noqa: E402
from debop_desktop.core.optimizer.config import OptimizerConfig  # noqa: E402
from debop_desktop.core.optimizer.demos import Demonstration  # noqa: E402
from debop_desktop.core.optimizer.evaluate import RunContext, evaluate  # noqa: E402
from debop_desktop.core.optimizer.prompts import execution_messages  # noqa: E402
from debop_desktop.core.optimizer.recorder import RunRecorder  # noqa: E402
from debop_desktop.core.samples import SAMPLE_TASKS  # noqa: E402
from debop_desktop.core.scoring import get_scorer  # noqa: E402
from debop_desktop.core.store import Store  # noqa: E402

DEMO = Demonstration("What is 3 + 4?", (("Read the numbers", "3 and 4"), ("Add them", "3 + 4 = 7"),
                                        ("Answer", "7")), "7")
MAX_TOKENS = 64


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=30)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    task = SAMPLE_TASKS["arithmetic"]
    pairs = task.generate(args.questions, seed=11, difficulty=1)
    engine = LlamaEngine()
    engine.load(smollm2_path(), n_ctx=2048)
    messages = [execution_messages(task.instruction, q, DEMO.plan, DEMO) for q, _ in pairs]
    prompts = [engine.render_prompt(m)[0] for m in messages]
    ours, bare, counters = [], [], None
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.sqlite3")
        d = DatasetRepository(store).create(name="t", examples=[NewExample(q, a, "dev") for q, a in pairs],
                                           instruction=task.instruction, scorer="number")
        examples = DatasetRepository(store).examples(d.id)
        config = OptimizerConfig(max_tokens=MAX_TOKENS, racing=False)
        for _ in range(args.repeats):
            rec = RunRecorder.create(store, model_id=None, dataset_id=d.id, config=config, preset="bench",
                                     backend="llama.cpp", endpoint=None, model_sha256=None, dataset_sha256=None)
            ctx = RunContext(rec.run_id, engine, rec, get_scorer("number"), config, task.instruction, 60.0,
                             len(examples))
            engine.reset_counters()
            t = time.perf_counter()
            gen = evaluate(ctx, "node:bench", examples, lambda e: execution_messages(task.instruction, e.input,
                                                                                     DEMO.plan, DEMO))
            for _ in gen:
                pass
            ours.append(time.perf_counter() - t)
            counters = engine.counters()
            t = time.perf_counter()
            for p in prompts:
                engine._llm.create_completion(prompt=p, max_tokens=MAX_TOKENS, temperature=0.0)
            bare.append(time.perf_counter() - t)
        store.close()
    engine.unload()
    rows = [("questions (one demonstration, greedy, max 64 tokens)", str(args.questions)),
            ("bare llama-cpp-python loop (median)", f"{statistics.median(bare):.2f} s"),
            ("engine evaluation path (median)", f"{statistics.median(ours):.2f} s"),
            ("throughput ratio bare/engine (goal >= 0.9)", f"{statistics.median(bare) / statistics.median(ours):.2f}"),
            ("prompt tokens submitted / processed", f"{counters.prompt_tokens_submitted} / "
                                                    f"{counters.prompt_tokens_processed}"),
            ("prompt tokens skipped thanks to the shared demonstration",
             f"{1 - counters.prompt_tokens_processed / counters.prompt_tokens_submitted:.0%}")]
    for k, v in rows:
        print(f"{k:<58} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dev-set evaluation throughput on SmolLM2: the evaluation path (prompt rendering, scoring,
one SQLite commit per result) with the model in this process and in the inference worker
process (what the app uses), vs a bare llama-cpp-python loop over the same prompt tokens;
and prompt tokens actually processed vs submitted. The three are interleaved in each repeat,
so the ratios compare runs made under the same load.

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
from debop_desktop.core.llm.worker_client import WorkerEngine  # noqa: E402
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
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    task = SAMPLE_TASKS["arithmetic"]
    pairs = task.generate(args.questions, seed=11, difficulty=1)
    engine = LlamaEngine(n_threads=args.threads)
    engine.load(smollm2_path(), n_ctx=2048)
    worker = WorkerEngine(n_threads=args.threads)
    worker.load(smollm2_path(), n_ctx=2048)
    messages = [execution_messages(task.instruction, q, DEMO.plan, DEMO) for q, _ in pairs]
    prompts = [engine.render_prompt(m)[0] for m in messages]
    times: dict[str, list[float]] = {"bare": [], "in-process": [], "worker": []}
    tokens: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.sqlite3")
        d = DatasetRepository(store).create(name="t", examples=[NewExample(q, a, "dev") for q, a in pairs],
                                           instruction=task.instruction, scorer="number")
        examples = DatasetRepository(store).examples(d.id)
        config = OptimizerConfig(max_tokens=MAX_TOKENS, racing=False)
        for _ in range(args.repeats):
            for name, backend in (("in-process", engine), ("worker", worker)):
                rec = RunRecorder.create(store, model_id=None, dataset_id=d.id, config=config, preset="bench",
                                         backend="llama.cpp", endpoint=None, model_sha256=None, dataset_sha256=None)
                ctx = RunContext(rec.run_id, backend, rec, get_scorer("number"), config, task.instruction, 60.0,
                                 len(examples))
                backend.reset_counters()
                t = time.perf_counter()
                for _ in evaluate(ctx, "node:bench", examples,
                                  lambda e: execution_messages(task.instruction, e.input, DEMO.plan, DEMO)):
                    pass
                times[name].append(time.perf_counter() - t)
                tokens[name] = backend.counters().completion_tokens
                counters = backend.counters()
            t = time.perf_counter()
            bare_tokens = 0
            for p in prompts:
                out = engine._llm.create_completion(prompt=p, max_tokens=MAX_TOKENS, temperature=0.0)
                bare_tokens += out["usage"]["completion_tokens"]
            times["bare"].append(time.perf_counter() - t)
            tokens["bare"] = bare_tokens
        store.close()
    engine.unload()
    worker.unload()
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{'path':<34} {'median s':>9} {'tokens':>7} {'tokens/s':>9} {'vs bare':>8}")
    for name in ("bare", "in-process", "worker"):
        print(f"{name:<34} {med[name]:>9.2f} {tokens[name]:>7} {tokens[name] / med[name]:>9.1f} "
              f"{(tokens[name] / med[name]) / (tokens['bare'] / med['bare']):>8.2f}")
    print(f"worker / in-process throughput (goal >= 0.95): "
          f"{(tokens['worker'] / med['worker']) / (tokens['in-process'] / med['in-process']):.3f}")
    rows = [("questions (one demonstration, greedy, max 64 tokens)", str(args.questions)),
            ("threads", str(args.threads)),
            ("worker: prompt tokens submitted / processed", f"{counters.prompt_tokens_submitted} / "
                                                            f"{counters.prompt_tokens_processed}"),
            ("prompt tokens skipped thanks to the shared demonstration",
             f"{1 - counters.prompt_tokens_processed / counters.prompt_tokens_submitted:.0%}")]
    for k, v in rows:
        print(f"{k:<58} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

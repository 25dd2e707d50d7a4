"""Dev-set evaluation throughput on SmolLM2: a bare llama-cpp-python loop over the same
prompts, the engine one sequence at a time, and the engine decoding 4, 8 and 16 sequences
together (core/llm/batched.py), each on 1 and 2 threads. The engine paths are the app's own:
the inference worker process, `evaluate()` with prompt rendering, the run's grammar (as a
Quick run uses), scoring and one SQLite transaction per batch. Paths are interleaved in each
repeat, so ratios compare runs made under the same load. Also: the share of batched outputs
identical to the one-at-a-time outputs (batch shapes change float rounding).

    .venv/bin/python benchmarks/bench_eval_throughput.py [--questions 32] [--repeats 2] [--threads 1,2]
"""

from __future__ import annotations

import argparse
import contextlib
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
from debop_desktop.core.optimizer.evaluate import RunContext  # noqa: E402
from debop_desktop.core.optimizer.prompts import execution_messages  # noqa: E402
from debop_desktop.core.optimizer.recorder import RunRecorder  # noqa: E402
from debop_desktop.core.optimizer.score_loop import evaluate  # noqa: E402
from debop_desktop.core.samples import SAMPLE_TASKS  # noqa: E402
from debop_desktop.core.scoring import get_scorer  # noqa: E402
from debop_desktop.core.store import Store  # noqa: E402

DEMO = Demonstration("What is 3 + 4?", (("Read the numbers", "3 and 4"), ("Add them", "3 + 4 = 7"),
                                        ("Answer", "7")), "7")
PARALLEL = (4, 8, 16)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--max-tokens", type=int, default=160, help="as the Quick preset")
    args = ap.parse_args()
    task = SAMPLE_TASKS["arithmetic"]
    pairs = task.generate(args.questions, seed=11, difficulty=1)
    config = OptimizerConfig(max_tokens=args.max_tokens, racing=False)
    rows = []
    agreement: dict[int, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.sqlite3")
        d = DatasetRepository(store).create(name="t", examples=[NewExample(q, a, "dev") for q, a in pairs],
                                           instruction=task.instruction, scorer="number")
        examples = DatasetRepository(store).examples(d.id)
        for threads in [int(t) for t in args.threads.split(",")]:
            rows += measure(store, d.id, examples, task.instruction, config, threads, args.repeats, agreement)
        store.close()
    print(f"\n{'path':<30} {'threads':>7} {'median s':>9} {'answers/s':>9} {'tokens/s':>9} {'vs bare':>8} "
          f"{'right':>6} {'same':>6}")
    for r in rows:
        print(f"{r['path']:<30} {r['threads']:>7} {r['seconds']:>9.2f} {r['qps']:>9.2f} {r['tps']:>9.1f} "
              f"{r['vs_bare']:>8.2f} {r['right']:>6} {r['same']:>6}")
    print("\nvs bare: generated tokens per second relative to the bare loop on the same threads.")
    print("same: outputs identical to the engine's one-at-a-time outputs (greedy, same prompts).")
    return 0


def measure(store: Store, dataset_id: int, examples: list, instruction: str, config: OptimizerConfig, threads: int,
            repeats: int, agreement: dict) -> list[dict]:
    engines: dict[str, WorkerEngine] = {}
    for n in (1, *PARALLEL):
        engines[f"engine, {n} at a time" if n > 1 else "engine, one at a time"] = w = WorkerEngine(n_threads=threads)
        w.load(smollm2_path(), n_ctx=2048, n_parallel=n)
    bare = LlamaEngine(n_threads=threads)  # only its tokenizer and chat template
    bare.load(smollm2_path(), n_ctx=512)
    from llama_cpp import Llama

    from debop_desktop.core.cpu import extra_bufts_default, model_params_without_extra_bufts

    # the app's safe processor settings here too: stock llama.cpp crashes on some AMX processors
    with contextlib.nullcontext() if extra_bufts_default() else model_params_without_extra_bufts():
        plain = Llama(model_path=str(smollm2_path()), n_ctx=2048, n_threads=threads, n_threads_batch=threads,
                      verbose=False)

    def messages_for(e):
        return execution_messages(instruction, e.input, DEMO.plan, DEMO)

    prompts = [bare.render_prompt(messages_for(e))[0] for e in examples]
    times: dict[str, list[float]] = {k: [] for k in ("bare loop", *engines)}
    tokens: dict[str, int] = {}
    outputs: dict[str, list[str]] = {}
    right: dict[str, int] = {}
    for _ in range(repeats):
        for name, engine in engines.items():
            rec = RunRecorder.create(store, model_id=None, dataset_id=dataset_id, config=config, preset="bench",
                                     backend="llama.cpp", endpoint=None, model_sha256=None, dataset_sha256=None)
            ctx = RunContext(rec.run_id, engine, rec, get_scorer("number"), config, instruction, 60.0, len(examples))
            params = ctx.execution_params(DEMO.plan)  # the grammar a run's dev scoring uses
            engine.reset_counters()
            t = time.perf_counter()
            for _event in evaluate(ctx, "node:bench", examples, messages_for, params=params):
                pass
            times[name].append(time.perf_counter() - t)
            tokens[name] = engine.counters().completion_tokens
            evaluated = rec.evaluations("node:bench")
            outputs[name] = [e["output"] for e in evaluated]
            right[name] = sum(e["correct"] for e in evaluated)
        t = time.perf_counter()
        bare_tokens = 0
        from llama_cpp import LlamaGrammar

        grammar = LlamaGrammar.from_string(params.grammar, verbose=False) if params.grammar else None
        for p in prompts:
            out = plain.create_completion(prompt=p, max_tokens=config.max_tokens, temperature=0.0, grammar=grammar)
            bare_tokens += out["usage"]["completion_tokens"]
        times["bare loop"].append(time.perf_counter() - t)
        tokens["bare loop"] = bare_tokens
        print(f"threads {threads}: repeat done", {k: round(v[-1], 1) for k, v in times.items()}, flush=True)
    for engine in engines.values():
        engine.unload()
    bare.unload()
    plain.close()
    base = tokens["bare loop"] / statistics.median(times["bare loop"])
    reference = outputs["engine, one at a time"]
    rows = []
    for name, ts in times.items():
        sec = statistics.median(ts)
        same = sum(a == b for a, b in zip(outputs.get(name, []), reference, strict=False))
        rows.append({"path": name, "threads": threads, "seconds": sec, "qps": len(examples) / sec,
                     "tps": tokens[name] / sec, "vs_bare": tokens[name] / sec / base,
                     "right": f"{right[name]}/{len(examples)}" if name in right else "-",
                     "same": f"{same}/{len(reference)}" if name in outputs else "-"})
    return rows


if __name__ == "__main__":
    sys.exit(main())

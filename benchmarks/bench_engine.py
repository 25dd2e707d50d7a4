"""Engine measurements on SmolLM2-135M-Instruct: load time, speed, prefix reuse, overhead.

    .venv/bin/python benchmarks/bench_engine.py [--model PATH] [--threads N] [--repeats N]

Prints one table. Ratios compare runs made in the same process, one after another, because
these machines are shared and absolute numbers drift.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core.llm.base import ChatMessage, GenerationParams  # noqa: E402
from debop_desktop.core.llm.llama_engine import LlamaEngine, default_threads  # noqa: E402

PREFIX = ("You are a careful assistant. Solve each question by following the plan's steps and "
          "finish with the final answer in JSON. ") * 60  # about 1,500 tokens
PAIRS = [(3, 4), (2, 7), (5, 1), (8, 6), (9, 2), (4, 4), (1, 6), (7, 3)]
QUESTIONS = [f"What is {a} + {b}?" for a, b in PAIRS]


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t


def bench_load(path: Path, threads: int, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        engine = LlamaEngine(threads)
        _, s = timed(lambda e=engine: e.load(path, n_ctx=4096))
        times.append(s)
        engine.unload()
    return statistics.median(times)


def bench_generation(engine: LlamaEngine) -> tuple[float, float]:
    """(prompt tokens/s from scratch, generated tokens/s on a long reply)."""
    engine._llm.reset()  # benchmark only: force a full prompt evaluation
    long_prompt = [ChatMessage("system", PREFIX), ChatMessage("user", "Say OK.")]
    out = engine.chat(long_prompt, GenerationParams(max_tokens=1))
    prompt_speed = out.prompt_tokens_processed / out.seconds
    story = [ChatMessage("user", "Write a long story about a lighthouse keeper and a storm.")]
    out = engine.chat(story, GenerationParams(max_tokens=256))
    gen_speed = out.completion_tokens / out.seconds
    return prompt_speed, gen_speed


def bench_prefix(engine: LlamaEngine, reuse: bool) -> tuple[float, int, int]:
    """Mean seconds per request over QUESTIONS sharing PREFIX; with or without reuse."""
    system = ChatMessage("system", PREFIX)
    engine.chat([system, ChatMessage("user", "warm up")], GenerationParams(max_tokens=1))
    engine.reset_counters()
    times = []
    for q in QUESTIONS:
        if not reuse:
            engine._llm.reset()  # benchmark only: what a naive engine does on every call
        out = engine.chat([system, ChatMessage("user", q)], GenerationParams(max_tokens=8))
        times.append(out.seconds)
    c = engine.counters()
    return statistics.mean(times), c.prompt_tokens_submitted, c.prompt_tokens_processed


def bench_overhead(engine: LlamaEngine, repeats: int) -> tuple[float, float]:
    """Same prompts, same tokens: engine.chat vs a bare llama-cpp-python completion loop."""
    convs = [[ChatMessage("system", "Answer with a number."), ChatMessage("user", q)] for q in QUESTIONS]
    prompts = [engine.render_prompt(c)[0] for c in convs]
    params = GenerationParams(max_tokens=24)
    llm = engine._llm
    bare, ours = [], []
    for _ in range(repeats):
        _, s = timed(lambda: [llm.create_completion(prompt=p, max_tokens=24, temperature=0.0)
                              for p in prompts])
        bare.append(s)
        _, s = timed(lambda: [engine.chat(c, params) for c in convs])
        ours.append(s)
    return statistics.median(bare), statistics.median(ours)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=smollm2_path())
    ap.add_argument("--threads", type=int, default=default_threads())
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if not args.model.is_file():
        print(f"model not found: {args.model} (run `make test-models`)")
        return 1
    load_s = bench_load(args.model, args.threads, args.repeats)
    engine = LlamaEngine(args.threads)
    engine.load(args.model, n_ctx=4096)
    prompt_tps, gen_tps = bench_generation(engine)
    reuse = bench_prefix(engine, reuse=True)
    fresh = bench_prefix(engine, reuse=False)
    bare_s, ours_s = bench_overhead(engine, args.repeats)
    rows = [
        ("model", args.model.name),
        ("threads", args.threads),
        ("load time (median)", f"{load_s:.3f} s"),
        ("prompt processing", f"{prompt_tps:.0f} tokens/s"),
        ("generation", f"{gen_tps:.0f} tokens/s"),
        ("shared ~1.5k-token prefix, per request, reuse", f"{reuse[0]:.3f} s"),
        ("same, context reset before each request", f"{fresh[0]:.3f} s"),
        ("prefix reuse speed-up", f"{fresh[0] / reuse[0]:.1f}x"),
        ("prompt tokens submitted / processed (reuse)", f"{reuse[1]} / {reuse[2]}"),
        ("prompt tokens submitted / processed (reset)", f"{fresh[1]} / {fresh[2]}"),
        ("8 chats: bare llama-cpp-python loop", f"{bare_s:.3f} s"),
        ("8 chats: engine.chat", f"{ours_s:.3f} s"),
        ("engine throughput vs bare (goal >= 0.9)", f"{bare_s / ours_s:.2f}"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure'.ljust(width)}  value")
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}")
    engine.unload()
    return 0


if __name__ == "__main__":
    sys.exit(main())

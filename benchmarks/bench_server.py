"""The same Quick run on SmolLM2: in-process vs through llama-cpp-python's OpenAI-compatible
server on 127.0.0.1 with concurrency 1 and 4. Wall time and model calls.

    .venv/bin/python benchmarks/bench_server.py [--task compare_numbers] [--n 100]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample  # noqa: E402
from debop_desktop.core.llm.llama_engine import LlamaEngine  # noqa: E402
from debop_desktop.core.llm.server import ServerBackend, ServerConfig  # noqa: E402
from debop_desktop.core.optimizer.config import PRESETS  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.core.samples import SAMPLE_TASKS  # noqa: E402
from debop_desktop.core.store import Store  # noqa: E402

PORT = 18093


def task(store: Store, name: str, n: int) -> int:
    t = SAMPLE_TASKS[name]
    pairs = t.generate(n, seed=1, difficulty=1)
    split = ["train"] * 3 + ["dev", "test"]
    ex = [NewExample(q, a, split[i % 5]) for i, (q, a) in enumerate(pairs)]
    return DatasetRepository(store).create(name=name, examples=ex, instruction=t.instruction, scorer=t.scorer).id


def timed_run(backend, name: str, n: int) -> tuple[float, int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.sqlite3")
        d = task(store, name, n)
        started = time.perf_counter()
        gen = run_optimization(store, backend, d, PRESETS["quick"], tokens_per_second=60.0)
        try:
            while True:
                next(gen)
        except StopIteration as stop:
            result = stop.value
        store.close()
    return time.perf_counter() - started, result.model_calls, result.status


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", default="compare_numbers")
    ap.add_argument("--n", type=int, default=100)
    args = ap.parse_args()
    rows = []
    engine = LlamaEngine()
    engine.load(smollm2_path(), n_ctx=4096)
    rows.append(("in-process llama.cpp (1 thread)", *timed_run(engine, args.task, args.n)))
    engine.unload()
    # `debop llama-server`: llama-cpp-python's server with the app's safe processor settings (AMX)
    server = subprocess.Popen([sys.executable, "-m", "debop_desktop.cli", "llama-server",
                               "--model", str(smollm2_path()),
                               "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(PORT),
                               "--n_ctx", "4096", "--n_threads", "1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{PORT}"
        for _ in range(200):
            try:
                ServerBackend(ServerConfig(url, "smollm2", retries=0, timeout=2)).list_models()
                break
            except Exception:
                time.sleep(0.2)
        for c in (1, 4):
            b = ServerBackend(ServerConfig(url, "smollm2", max_concurrency=c))
            rows.append((f"server on 127.0.0.1, concurrency {c}", *timed_run(b, args.task, args.n)))
    finally:
        server.kill()
    print(f"Quick preset, SmolLM2-135M-Instruct, {args.task} level 1, n={args.n}")
    print(f"{'backend':<36} {'wall time':>10} {'model calls':>12}  status")
    for label, wall, calls, status in rows:
        print(f"{label:<36} {wall:>9.1f}s {calls:>12}  {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

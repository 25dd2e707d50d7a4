"""Is the UI responsive during a run? A 5 ms timer on the UI thread records the gaps between
event-loop ticks while the Optimize page runs a real optimization on SmolLM2 (work on a
worker thread, events applied at most 10 times a second). Also: the tree redrawn at 2,000 nodes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui_responsiveness.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample, WorkedExample  # noqa: E402
from debop_desktop.core.library import ModelLibrary  # noqa: E402
from debop_desktop.core.samples import SAMPLE_TASKS  # noqa: E402
from debop_desktop.core.store import Store  # noqa: E402
from debop_desktop.ui.optimize_page import OptimizePage  # noqa: E402
from debop_desktop.ui.search_tree import SearchTreeView  # noqa: E402


def main() -> int:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.sqlite3")
        ModelLibrary(store).add(smollm2_path())
        task = SAMPLE_TASKS["compare_numbers"]
        pairs = task.generate(60, seed=1)
        DatasetRepository(store).create(
            name="compare", instruction=task.instruction, scorer="number",
            worked_examples=[WorkedExample(*w) for w in task.worked(3, 1, 1, {q for q, _ in pairs})],
            examples=[NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(pairs)])
        page = OptimizePage(store)
        page.resize(1200, 700)
        page.show()
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.nsecsElapsed()]

        def tick() -> None:
            now = clock.nsecsElapsed()
            gaps.append((now - last[0]) / 1e6)
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        timer.start()
        page.start()
        started = time.perf_counter()
        while page.controller.state != "idle" or page.run_id is None:
            app.processEvents()
            time.sleep(0.001)
        wall = time.perf_counter() - started
        timer.stop()
        nodes = len(page.tree.nodes)
        store.close()
    tree = SearchTreeView()
    tree.resize(800, 600)
    tree.show()
    for i in range(1999):
        tree.add_node(i, None if i < 3 else (i - 3) // 3, "prune")
        tree.nodes[i].reward = (i % 100) / 50
    t = time.perf_counter()
    tree.rebuild()
    app.processEvents()
    first_ms = (time.perf_counter() - t) * 1000
    redraws = []
    for k in range(5):  # a node is added and scored, as during a run
        tree.add_node(1999 + k, 600 + 50 * k, "prune")
        tree.score_node(1999 + k, 1.0, False)
        t = time.perf_counter()
        tree.rebuild()
        app.processEvents()
        redraws.append((time.perf_counter() - t) * 1000)
    gaps.sort()
    print(f"run: {wall:.0f} s, {nodes} nodes, {len(gaps)} UI ticks (5 ms timer)")
    print(f"longest gap between UI ticks: {gaps[-1]:.1f} ms   (goal < 50 ms)")
    print(f"99th percentile gap:          {gaps[int(len(gaps) * 0.99)]:.1f} ms")
    print(f"median gap:                   {statistics.median(gaps):.1f} ms")
    print(f"tree of 2,000 nodes: first drawing {first_ms:.0f} ms; redraw after each new node "
          f"{min(redraws):.0f}-{max(redraws):.0f} ms (redraws are coalesced to at most 10/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

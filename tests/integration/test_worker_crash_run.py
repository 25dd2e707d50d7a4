"""A run whose inference worker is killed: it carries on after one crash (a warning, a safe
restart, the same request again) and ends resumable after a second, losing nothing."""

from __future__ import annotations

import os
import signal
import sqlite3

from debop_desktop.cli import main
from debop_desktop.core.llm.host import model_host
from debop_desktop.core.optimizer.config import PRESETS
from debop_desktop.core.optimizer.events import NodeScored, RunFinished, Warning
from debop_desktop.core.optimizer.job import optimization_job

CONFIG = PRESETS["quick"].with_overrides(seed=5, max_iterations=3, dev_limit=10, test_limit=6)


def _task(home, model) -> None:
    assert main(["--home", str(home), "models", "add", str(model)]) == 0
    assert main(["--home", str(home), "datasets", "sample", "arithmetic", "--n", "60", "--seed", "1"]) == 0


def _tree(db) -> tuple[list, int]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT id, parent_id, tree_index, operator, iteration, demo_json, dev_accuracy "
                       "FROM nodes ORDER BY id").fetchall()
    position = {r[0]: i for i, r in enumerate(rows)}
    evals = con.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]
    con.close()
    return [(position.get(r[1]), *r[2:]) for r in rows], evals


def _drive(home, kill_after: tuple[int, ...] = (), resume_run: int | None = None):
    """Run to the end, killing the worker with SIGKILL after the listed NodeScored counts."""
    job = optimization_job(home / "debop.sqlite3", 1, dataset_id=None if resume_run else 1, config=CONFIG,
                           preset="quick", resume_run=resume_run, threads=1)
    events, scored = [], 0
    try:
        while True:
            event = next(job)
            events.append(event)
            if isinstance(event, NodeScored):
                scored += 1
                if scored in kill_after:
                    os.kill(model_host().engine.pid, signal.SIGKILL)
    except StopIteration as stop:
        return events, stop.value


def test_a_run_survives_its_worker_being_killed_with_the_same_tree(tmp_path, tiny_gguf, capsys):
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    for home in (reference, killed):
        home.mkdir()
        _task(home, tiny_gguf)
    _events, result = _drive(reference)
    assert result.status == "finished"
    model_host().unload()
    events, result = _drive(killed, kill_after=(2,))
    assert result.status == "finished", result.error
    warnings = [e.message for e in events if isinstance(e, Warning)]
    assert any("crashed" in w and "nothing was lost" in w for w in warnings), warnings
    assert _tree(killed / "debop.sqlite3") == _tree(reference / "debop.sqlite3")
    assert model_host().engine.loaded.extra_bufts is False  # restarted with safe settings


def test_a_second_crash_ends_the_run_interrupted_and_it_resumes(tmp_path, tiny_gguf, capsys):
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    for home in (reference, killed):
        home.mkdir()
        _task(home, tiny_gguf)
    _drive(reference)
    model_host().unload()
    events, result = _drive(killed, kill_after=(1, 3))
    finished = [e for e in events if isinstance(e, RunFinished)][-1]
    assert result.status == finished.status == "interrupted"
    assert "crashed twice" in finished.message and "resume" in finished.message
    con = sqlite3.connect(killed / "debop.sqlite3")
    assert con.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"
    con.close()
    model_host().unload()
    _events, result = _drive(killed, resume_run=1)
    assert result.status == "finished"
    assert _tree(killed / "debop.sqlite3") == _tree(reference / "debop.sqlite3")

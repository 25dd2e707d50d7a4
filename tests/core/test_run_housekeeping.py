"""Runs a crash left 'running' become resumable; saved answers can be counted and forgotten."""

import time

from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, make_dataset

from debop_desktop.core.llm.base import ChatMessage, Completion, GenerationParams
from debop_desktop.core.llm.cache import CachedBackend, cache_stats, clear_cache
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.report import list_runs, mark_interrupted
from debop_desktop.core.optimizer.run import run_optimization


def test_a_silent_running_run_is_marked_interrupted_and_a_live_one_is_not(store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    store.execute("UPDATE runs SET status = 'running' WHERE id = ?", (result.run_id,))  # as if killed mid-run
    assert mark_interrupted(store) == []  # it wrote moments ago: it may still be alive
    assert mark_interrupted(store, now=time.time() + 3600) == [result.run_id]
    run = next(r for r in list_runs(store) if r.id == result.run_id)
    assert run.status == "interrupted" and run.resumable is False  # no library model to resume with here
    assert mark_interrupted(store, now=time.time() + 3600) == []  # finished or interrupted runs stay as they are


def test_cache_stats_and_clear(store):
    backend = CachedBackend(ScriptedBackend(["four"]), store)
    assert cache_stats(store) == (0, 0)
    out = backend.chat([ChatMessage("user", "2+2?")], GenerationParams(max_tokens=4))
    assert isinstance(out, Completion) and cache_stats(store)[0] == 1 and cache_stats(store)[1] > 0
    assert clear_cache(store) == 1 and cache_stats(store) == (0, 0)


def test_compare_runs_counts_agreement_and_refuses_different_tasks(store):
    import pytest

    from debop_desktop.core.errors import DebopError
    from debop_desktop.core.optimizer.run_compare import compare_kept

    d, answers = make_dataset(store)
    _, a = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    _, b = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    same = compare_kept(store, a.run_id, b.run_id)
    assert same.settings == () and same.only_a == same.only_b == 0  # identical seeds, identical answers
    assert same.a.kept == same.b.kept and same.both_right + same.both_wrong == same.shared == CFG.test_limit
    assert [m for m, _, _ in same.methods][-1] == "tuned" and same.methods[-1][1] == same.methods[-1][2]
    d2, answers2 = make_dataset(store, n=60)
    _, c = drain(run_optimization(store, simulated_backend(answers2)[0], d2.id, CFG, tokens_per_second=40))
    with pytest.raises(DebopError, match="different tasks"):
        compare_kept(store, a.run_id, c.run_id)

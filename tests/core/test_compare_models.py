"""Comparing models on a task (issue 24): the runs, the skips, cancel and resume, the table.

The library holds two tiny GGUFs of different sizes (their size and memory decide "smallest"
and what fits); the answers come from scripted backends, one per model, so the test decides
which model is better."""

import itertools
import re
from dataclasses import replace
from pathlib import Path

import pytest
from run_helpers import drain

from debop_desktop.core.compare.cells import COLUMNS, view_cells, view_json
from debop_desktop.core.compare.fit import memory_needed
from debop_desktop.core.compare.job import comparison_job
from debop_desktop.core.compare.records import ComparisonStore
from debop_desktop.core.compare.table import comparison_view
from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.errors import DebopError
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.config import PRESETS
from debop_desktop.core.optimizer.run import resume, run_optimization
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store
from debop_desktop.core.tiny_model import write_tiny_gguf

FIRST_LOOK = replace(PRESETS["quick"], search=False, test_limit=30, seed=5)


def sums_task(store):
    pairs = [(f"What is {a} + {b}?", str(a + b)) for a, b in itertools.product(range(10), range(9))]
    splits = ["train", "dev", "test"]
    examples = [NewExample(q, a, splits[i % 3]) for i, (q, a) in enumerate(pairs)]
    return DatasetRepository(store).create(name="sums", examples=examples, instruction="Add the numbers.",
                                           scorer="number", answer_type="number")


def adder(skill: float):
    """A scripted model that gets a sum right when the question's hash falls below `skill`."""
    def answer(messages, _params):
        found = re.findall(r"What is (\d+) \+ (\d+)\?", messages[-1].content)
        if not found:
            return "I do not know."
        a, b = map(int, found[-1])
        right = (a * 7 + b * 3) % 10 < skill * 10
        return f"So the answer is {a + b if right else a + b + 1}."
    return answer


def write_two_sizes(folder):
    """Two tiny GGUFs: "Small One" (under 1 MB) and "Big One" (about 18 MB)."""
    small = write_tiny_gguf(folder / "small.gguf", name="Small One")
    big = write_tiny_gguf(folder / "big.gguf", n_layers=4, n_embd=256, n_ff=1024, name="Big One", seed=1)
    return small, big


@pytest.fixture(scope="module")
def two_sizes(tmp_path_factory):
    return write_two_sizes(tmp_path_factory.mktemp("compare-models"))


def scripted_runs(skills: dict[int, float], calls: dict[int, int] | None = None, pace: dict[int, float] | None = None):
    """`optimization_job`'s signature, with a scripted backend per library model (`pace`:
    seconds per token it reports, 0.01 unless given)."""
    calls = calls if calls is not None else {}

    def job(db_path, model_id, *, dataset_id=None, config=None, preset="custom", resume_run=None, cancel=None,
            **_load):
        store = Store(Path(db_path), migrate=False)
        script = adder(skills[model_id])

        def counted(messages, params):
            calls[model_id] = calls.get(model_id, 0) + 1
            return script(messages, params)

        backend = ScriptedBackend(counted, fingerprint=f"fake:{model_id}",
                                  seconds_per_token=(pace or {}).get(model_id, 0.01))
        try:
            if resume_run is not None:
                return (yield from resume(store, backend, resume_run, cancel, tokens_per_second=40.0))
            return (yield from run_optimization(store, backend, dataset_id, config, preset=preset, model_id=model_id,
                                                cancel=cancel, tokens_per_second=40.0))
        finally:
            store.close()
    return job


def setup(store, two_sizes):
    small, big = (ModelLibrary(store).add(p).record for p in two_sizes)
    return sums_task(store), small, big


def test_the_comparison_picks_the_model_the_test_makes_better(store, two_sizes):
    task, small, big = setup(store, two_sizes)
    cid = ComparisonStore(store).create(task.id, [small.id, big.id], FIRST_LOOK, preset="quick", target=0.85)
    runs = scripted_runs({small.id: 0.3, big.id: 1.0}, pace={small.id: 0.01, big.id: 0.04})
    events, result = drain(comparison_job(store.path, cid, run_model=runs))
    assert result.status == "finished" and events[-1].kind == "ComparisonFinished"
    view = comparison_view(store, cid)
    assert view.recommended is not None and view.recommended.name == "Big One"
    assert view.recommendation.sentence.startswith("Use Big One: the smallest model whose final-exam range "
                                                   "reaches your target of 85 %")
    small_row, big_row = view.rows
    assert big_row.outcome.accuracy == 1.0 and small_row.outcome.accuracy < 0.5
    assert small_row.size_bytes < big_row.size_bytes and small_row.memory_bytes < big_row.memory_bytes
    assert big_row.outcome.total == 30 and big_row.outcome.answers_per_second > 0
    # the same task, split and seed for both: the same final-exam questions
    assert small_row.outcome.correct.keys() == big_row.outcome.correct.keys()
    # a first look runs the simple prompts only: no plans, no tree, no tuned behavior
    stages = [e.stage for e in events if e.kind == "StageChanged"]
    assert "plan" not in stages and "search" not in stages and stages.count("baselines") == 2
    assert store.execute("SELECT COUNT(*) FROM nodes").fetchone()[0] == 0
    assert view_cells(view)[1][0] == "★ Big One" and len(view_cells(view)[0]) == len(COLUMNS)
    # a lower target: both may reach it, so the smaller one is the answer
    lower = comparison_view(store, cid, target=0.3)
    assert lower.recommended.name == "Small One"
    assert any("clearly more accurate" in w and "Big One" in w for w in lower.recommendation.warnings)
    assert comparison_view(store, cid, target=None).recommended.name == "Big One"  # the most accurate
    fastest = comparison_view(store, cid, target=0.3, prefer="speed")
    assert fastest.recommended.name == "Small One" and "the fastest model" in fastest.recommendation.sentence
    assert small_row.outcome.answers_per_second > big_row.outcome.answers_per_second
    assert view_json(view)["models"][1]["recommended"] is True


def test_a_model_too_large_for_the_memory_limit_is_skipped_with_its_reason(store, two_sizes):
    task, small, big = setup(store, two_sizes)
    settings = Settings(store)
    need_small, need_big = (memory_needed(r, settings).total_bytes for r in (small, big))
    limit = (need_small + need_big) // 2
    cid = ComparisonStore(store).create(task.id, [big.id, small.id], FIRST_LOOK, preset="quick", memory_limit=limit)
    calls: dict[int, int] = {}
    events, result = drain(comparison_job(store.path, cid, run_model=scripted_runs({small.id: 0.6, big.id: 1.0},
                                                                                       calls)))
    skipped = [e for e in events if e.kind == "ModelSkipped"]
    assert result.status == "finished" and [e.model for e in skipped] == ["Big One"]
    assert skipped[0].reason.startswith("Skipped: it needs about ") and "limit set for this comparison" in \
        skipped[0].reason
    assert big.id not in calls and calls[small.id] > 0  # never loaded
    view = comparison_view(store, cid)
    assert view.rows[0].state == "skipped" and view_cells(view)[0][1] == skipped[0].reason
    assert view.recommended.name == "Small One"
    assert "Only one model has finished" in view.recommendation.warnings[-1]


def test_cancel_and_resume_mid_comparison_lose_nothing(store, two_sizes):
    task, small, big = setup(store, two_sizes)
    skills = {small.id: 0.6, big.id: 1.0}
    straight = ComparisonStore(store).create(task.id, [small.id, big.id], FIRST_LOOK, preset="quick")
    straight_calls: dict[int, int] = {}
    drain(comparison_job(store.path, straight, run_model=scripted_runs(skills, straight_calls)))

    cid = ComparisonStore(store).create(task.id, [small.id, big.id], FIRST_LOOK, preset="quick")
    token, calls = CancelToken(), {}
    job = comparison_job(store.path, cid, cancel=token, run_model=scripted_runs(skills, calls))
    for event in job:  # stop in the middle of the second model's run
        if event.kind == "BaselineScored" and calls.get(big.id):
            token.cancel()
    entries = ComparisonStore(store).get(cid).entries
    assert ComparisonStore(store).get(cid).status == "cancelled"
    assert ComparisonStore(store).run_status(entries[1].run_id) == "cancelled"
    first_session = dict(calls)

    calls.clear()
    events, result = drain(comparison_job(store.path, cid, run_model=scripted_runs(skills, calls)))
    assert result.status == "finished"
    assert small.id not in calls  # the finished model is not run again
    starting = [e for e in events if e.kind == "ModelStarting"]
    assert [(e.model, e.resumed) for e in starting] == [("Big One", True)]
    assert ComparisonStore(store).get(cid).entries[1].run_id == entries[1].run_id  # the same run continued
    again, before = comparison_view(store, cid), comparison_view(store, straight)
    assert [(r.outcome.right, r.outcome.total, r.outcome.shipped) for r in again.rows] == \
        [(r.outcome.right, r.outcome.total, r.outcome.shipped) for r in before.rows]
    assert again.recommendation.sentence == before.recommendation.sentence
    # nothing asked twice: the interrupted run made as many model calls, in all, as an uninterrupted one
    straight_run = ComparisonStore(store).get(straight).entries[1].run_id
    count = "SELECT COUNT(*) FROM evaluations WHERE run_id = ?"
    assert store.execute(count, (entries[1].run_id,)).fetchone()[0] == \
        store.execute(count, (straight_run,)).fetchone()[0]
    assert first_session[big.id] + calls[big.id] <= straight_calls[big.id] + 1  # at most the answer in flight


def test_a_comparison_needs_two_models_and_a_sensible_target(store, two_sizes):
    task, small, big = setup(store, two_sizes)
    with pytest.raises(DebopError, match="at least two"):
        ComparisonStore(store).create(task.id, [small.id, small.id], FIRST_LOOK, preset="quick")
    with pytest.raises(DebopError, match="between 0 and 100"):
        ComparisonStore(store).create(task.id, [small.id, big.id], FIRST_LOOK, preset="quick", target=85)


def test_a_first_look_is_estimated_without_the_search(store):
    from debop_desktop.core.optimizer.config import estimate_for

    task = sums_task(store)
    full, first = estimate_for(PRESETS["quick"], task), estimate_for(FIRST_LOOK, task)
    assert first.model_calls < full.model_calls and first.minutes < full.minutes
    assert not any(first.calls_by_kind.get(k) for k in ("plan", "execution", "operator"))


def test_two_quantizations_of_one_model_are_told_apart_by_name(store, tiny_gguf, tiny_gguf_q4_0):
    task = sums_task(store)
    a, b = (ModelLibrary(store).add(p).record for p in (tiny_gguf, tiny_gguf_q4_0))
    assert a.name == b.name and a.quantization != b.quantization
    cid = ComparisonStore(store).create(task.id, [a.id, b.id], FIRST_LOOK, preset="quick")
    names = [r.name for r in comparison_view(store, cid).rows]
    assert names == [f"{a.name} ({a.quantization})", f"{b.name} ({b.quantization})"]
    assert [r.state for r in comparison_view(store, cid).rows] == ["waiting", "waiting"]


def test_a_model_busy_elsewhere_stops_the_comparison_instead_of_skipping_every_model(store, two_sizes):
    from debop_desktop.core.llm.host import ModelInUse

    task, small, big = setup(store, two_sizes)
    cid = ComparisonStore(store).create(task.id, [small.id, big.id], FIRST_LOOK, preset="quick")
    runs = scripted_runs({small.id: 0.6, big.id: 1.0})

    def busy_for_the_big_one(db_path, model_id, **kwargs):
        if model_id == big.id:
            raise ModelInUse("'Other' is busy with an optimization run.")
        return (yield from runs(db_path, model_id, **kwargs))

    events, result = drain(comparison_job(store.path, cid, run_model=busy_for_the_big_one))
    assert result.status == "cancelled" and "busy with an optimization run" in events[-1].message
    assert not any(e.kind == "ModelSkipped" for e in events)
    assert ComparisonStore(store).get(cid).entries[1].skipped is None
    _, result = drain(comparison_job(store.path, cid, run_model=runs))
    assert result.status == "finished" and [r.state for r in comparison_view(store, cid).rows] == ["done", "done"]

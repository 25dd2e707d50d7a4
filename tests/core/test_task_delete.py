"""Issue 15 item 1: deleting a task never destroys the results of the runs that used it."""

import json

import pytest
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, make_dataset

from debop_desktop.core.datasets.repository import DatasetNotFound, DatasetRepository, TaskHasRuns, TaskInUse
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.optimizer.export import FORMATS, export_behavior
from debop_desktop.core.optimizer.report import question_changes, run_view
from debop_desktop.core.optimizer.run import resume, run_optimization


def finished_run(store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    assert result.status == "finished"
    return d, answers, result.run_id


def evaluations(store, run_id):
    return store.execute("SELECT COUNT(*) FROM evaluations WHERE run_id = ?", (run_id,)).fetchone()[0]


def test_a_task_no_run_used_is_deleted_entirely(store):
    d, _ = make_dataset(store)
    repo = DatasetRepository(store)
    repo.delete(d.id)
    assert store.execute("SELECT COUNT(*) FROM datasets").fetchone()[0] == 0
    assert store.execute("SELECT COUNT(*) FROM examples").fetchone()[0] == 0


def test_deleting_a_task_with_runs_needs_confirmation_and_changes_nothing_without_it(store):
    d, _, run_id = finished_run(store)
    repo = DatasetRepository(store)
    before = (evaluations(store, run_id), repo.get(d.id).size)
    with pytest.raises(TaskHasRuns) as info:  # before: deleted at once, 49 evaluations -> 0
        repo.delete(d.id)
    assert info.value.run_count == 1 and "1 run(s) used the task 'sums'" in info.value.message
    assert "--with-runs" in info.value.message
    assert (evaluations(store, run_id), repo.get(d.id).size) == before


def test_confirmed_delete_keeps_finished_runs_readable_and_exportable(store):
    d, _, run_id = finished_run(store)
    repo = DatasetRepository(store)
    exports = {fmt: export_behavior(store, run_id, fmt) for fmt in FORMATS}
    changes = question_changes(store, run_id)
    n_eval = evaluations(store, run_id)
    used = store.execute("SELECT COUNT(DISTINCT example_id) FROM evaluations WHERE run_id = ?", (run_id,)).fetchone()[0]
    repo.delete(d.id, with_runs=True)
    assert repo.list() == [] and evaluations(store, run_id) == n_eval
    assert store.execute("SELECT COUNT(*) FROM examples").fetchone()[0] == used < d.size  # the rest is gone
    for fmt in FORMATS:  # before: "No task matches 'None'"
        after = export_behavior(store, run_id, fmt)
        if fmt == "card":  # the card's time stamp differs; the task's name, sizes and scorer do not
            a, b = json.loads(after), json.loads(exports[fmt])
            assert a["dataset"] == b["dataset"] and a["test_scores"] == b["test_scores"]
        else:
            assert after == exports[fmt]
    assert question_changes(store, run_id) == changes and run_view(store, run_id) is not None
    with pytest.raises(DatasetNotFound) as info:
        repo.get_live(d.id)
    assert "was deleted" in info.value.message
    with pytest.raises(DatasetNotFound):
        repo.get("sums")  # by name, only live tasks


def test_a_stopped_run_on_a_deleted_task_says_so_when_resumed(store):
    d, answers = make_dataset(store)
    token = CancelToken()
    token.cancel()
    _, stopped = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, cancel=token,
                                        tokens_per_second=40))
    DatasetRepository(store).delete(d.id, with_runs=True)
    with pytest.raises(DatasetNotFound) as info:
        drain(resume(store, simulated_backend(answers)[0], stopped.run_id))
    assert "was deleted" in info.value.message


@pytest.mark.parametrize("status", ["running", "paused"])
def test_a_task_used_by_a_run_going_on_cannot_be_deleted(store, status):
    d, _, run_id = finished_run(store)
    store.execute("UPDATE runs SET status = ? WHERE id = ?", (status, run_id))
    with pytest.raises(TaskInUse) as info:  # before: the run failed with "FOREIGN KEY constraint failed"
        DatasetRepository(store).delete(d.id, with_runs=True)
    assert "going on now" in info.value.message
    assert DatasetRepository(store).get_live(d.id).size == d.size

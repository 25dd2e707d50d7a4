"""Issue 14: repeated questions in a stored task are found, said plainly and removed, keeping one copy."""

import pytest
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, make_dataset

from debop_desktop.core.datasets.duplicates import DuplicatesUsedByRuns, find_duplicates, remove_duplicates
from debop_desktop.core.datasets.importer import commit_import, plan_import
from debop_desktop.core.datasets.repository import DatasetRepository, NewExample, TaskInUse
from debop_desktop.core.optimizer.run import run_optimization

ROWS = [  # question, answer, split
    ("Is 5 mg safe?", "yes", "test"),
    ("Is 10 mg safe?", "no", "train"),
    ("is 5 MG safe", "yes", "train"),  # the first one again, other case and punctuation: train copy stays
    ("Is 20 mg safe?", "no", "dev"),
    ("Is 20 mg safe?", "no", "test"),  # dev + test: the dev copy stays
    ("Is 30 mg safe?", "yes", "train"),
    ("Is 30 mg safe?", "yes", "dev"),  # train + dev, no final exam
    ("Is 40 mg safe?", "yes", "test"),
    ("Is 40 mg safe?", "no", "test"),  # both in the final exam, different answers: the first stays
    ("Is 50 mg safe?", "no", "dev"),
]


def task(store, rows=ROWS):
    return DatasetRepository(store).create(name="dosing", scorer="yes_no", answer_type="yes_no",
                                           examples=[NewExample(q, a, s, f"note {i}") for i, (q, a, s) in
                                                     enumerate(rows)])


def everything(store):
    return [tuple(r) for r in store.execute("SELECT * FROM examples ORDER BY id")]


def test_repeats_are_found_counted_and_said_plainly(store):
    d = task(store)
    report = find_duplicates(DatasetRepository(store), d.id)
    assert report.questions == 4 and report.extra_rows == 4
    assert (report.in_exam_and_tuning, report.learn_and_check, report.conflicting) == (2, 1, 1)
    assert [e.input for e in report.rows()][:2] == ["Is 5 mg safe?", "is 5 MG safe"]  # copies side by side
    assert report.sentence == (
        "4 questions appear twice. 2 of them are both in the final exam and in the examples used while tuning, so "
        "the final exam looks easier than it is. 1 of them is both in the examples to learn from and in the "
        "examples to check with. 1 of them has different expected answers.")
    assert find_duplicates(DatasetRepository(store), task(store, ROWS[:2]).id).sentence == \
        "No question appears twice in this task."
    assert find_duplicates(DatasetRepository(store), task(store, ROWS[:3]).id).sentence == (
        "1 question appears twice. It is both in the final exam and in the examples used while tuning, so the "
        "final exam looks easier than it is.")
    three = task(store, ROWS[:3] + [("IS 5 MG SAFE?", "no", "dev")])
    assert find_duplicates(DatasetRepository(store), three.id).sentence == (
        "1 question appears more than once. It is both in the final exam and in the examples used while tuning, so "
        "the final exam looks easier than it is. Its copies have different expected answers.")


def test_the_page_and_the_wizard_count_the_same_repeats(store, tmp_path):
    path = tmp_path / "dosing.csv"
    path.write_text("question,answer\n" + "".join(f'"{q}",{a}\n' for q, a, _ in ROWS), encoding="utf-8")
    plan = plan_import(path)
    wizard_lines = sum(len(i.lines) for i in plan.report.issues if i.kind in ("duplicate", "conflicting"))
    d = commit_import(DatasetRepository(store), plan, name="imported").dataset
    assert find_duplicates(DatasetRepository(store), d.id).extra_rows == wizard_lines == 4


def test_removing_keeps_the_train_copy_and_changes_nothing_else(store):
    repo = DatasetRepository(store)
    other = task(store)  # a second task with the same rows must not be touched
    d = task(store)
    before, other_rows = everything(store), repo.examples(other.id)
    report = remove_duplicates(repo, d.id)
    gone = set(report.removable_ids())
    kept = repo.examples(d.id)
    assert len(gone) == 4 and [e.input for e in kept] == [
        "Is 10 mg safe?", "is 5 MG safe", "Is 20 mg safe?", "Is 30 mg safe?", "Is 40 mg safe?", "Is 50 mg safe?"]
    assert [e.split for e in kept] == ["train", "train", "dev", "train", "test", "dev"]
    assert everything(store) == [r for r in before if r[0] not in gone]  # every other row exactly as it was
    assert repo.examples(other.id) == other_rows
    assert find_duplicates(repo, d.id).questions == 0 and find_duplicates(repo, other.id).questions == 4
    assert repo.get(d.id).size == 6 and repo.current_hash(d.id) != d.content_sha256
    assert remove_duplicates(repo, d.id).questions == 0  # a second time: nothing to do


def test_an_edit_is_seen_by_the_next_look(store):
    repo = DatasetRepository(store)
    d = task(store)
    assert find_duplicates(repo, d.id).questions == 4
    first = repo.examples(d.id)[0]
    repo.update_example(first.id, input="Is 6 mg safe?")
    assert find_duplicates(repo, d.id).questions == 3


def test_rows_a_recorded_run_answered_are_not_removed(store):
    d, answers = make_dataset(store, n=60)
    repo = DatasetRepository(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    answered = {e.input for e in repo.examples(d.id, "test")}
    question = sorted(answered)[0]
    repo.add_example(d.id, NewExample(question, answers[question], "train"))  # the train copy would stay
    before = everything(store)
    with pytest.raises(DuplicatesUsedByRuns) as info:
        remove_duplicates(repo, d.id)
    assert "1 run(s) made with 'sums' already answered" in info.value.message
    assert everything(store) == before
    store.execute("UPDATE runs SET status = 'running' WHERE id = ?", (result.run_id,))
    with pytest.raises(TaskInUse):
        remove_duplicates(repo, d.id)
    assert everything(store) == before


def test_rows_no_run_answered_are_removed_even_when_runs_used_the_task(store):
    d, answers = make_dataset(store, n=60)
    repo = DatasetRepository(store)
    drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    train = repo.examples(d.id, "train")[0]
    copy = repo.add_example(d.id, NewExample(train.input, train.answer, "train"))  # added after the run
    assert [e.id for e in remove_duplicates(repo, d.id).groups[0].extra] == [copy.id]
    assert repo.get(d.id).size == 60

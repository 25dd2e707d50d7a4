import csv
import sqlite3

import pytest

from debop_desktop.core.datasets.importer import ImportBlocked, commit_import, plan_import
from debop_desktop.core.datasets.mapping import ColumnMapping
from debop_desktop.core.datasets.repository import DatasetNotFound, DatasetRepository, NewExample


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def count(store, table):
    return store.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_import_plan_then_commit(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["question", "answer"],
                     [[f"What is {i} + 1?", str(i + 1)] for i in range(50)])
    plan = plan_import(path)
    assert plan.suggestion.scorer == "number" and plan.report.ok
    result = commit_import(DatasetRepository(store), plan, name="Sums", instruction="Add.", seed=3)
    d = result.dataset
    assert (d.name, d.scorer, d.size) == ("Sums", "number", 50)
    assert d.counts == {"train": 30, "dev": 10, "test": 10}
    assert d.instruction == "Add." and d.content_sha256 and d.split_seed == 3


def test_several_input_columns_are_joined_with_their_headers(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["Age", "Symptoms", "Triage"],
                     [["54", "chest pain", "urgent"], ["31", "", "routine"]])
    mapping = ColumnMapping(["Age", "Symptoms"], "Triage")
    plan = plan_import(path, mapping=mapping)
    assert plan.rows[0].input == "Age: 54\nSymptoms: chest pain"
    assert plan.rows[1].input == "Age: 31"


def test_unknown_column_is_a_plain_error(tmp_path):
    from debop_desktop.core.datasets.tables import DatasetFileError

    path = write_csv(tmp_path / "t.csv", ["q", "a"], [["x", "y"]])
    with pytest.raises(DatasetFileError, match="no column named 'answer'"):
        plan_import(path, mapping=ColumnMapping(["q"], "answer"))


def test_rows_without_answers_block_the_import_unless_skipped(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["q", "a"], [["one", "1"], ["two", ""], ["", "3"], ["four", "4"]])
    plan = plan_import(path)
    kinds = {i.kind for i in plan.report.errors}
    assert kinds == {"missing_answer", "empty_input"}
    repo = DatasetRepository(store)
    with pytest.raises(ImportBlocked, match="Nothing was imported"):
        commit_import(repo, plan)
    assert count(store, "datasets") == 0 and count(store, "examples") == 0
    result = commit_import(repo, plan, skip_invalid=True, split="1/0/1")
    assert result.dataset.size == 2 and result.skipped_lines == [3, 4]


def test_a_failure_mid_import_leaves_nothing_behind(store, tmp_path, monkeypatch):
    rows = [[f"q{i}", str(i % 2)] for i in range(12000)]  # three chunks of 5000
    plan = plan_import(write_csv(tmp_path / "big.csv", ["q", "a"], rows))
    calls = []

    def progress(done, total):
        calls.append(done)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk full (simulated)")

    with pytest.raises(sqlite3.OperationalError):
        commit_import(DatasetRepository(store), plan, progress=progress)
    assert count(store, "datasets") == 0 and count(store, "examples") == 0


def test_hundred_thousand_rows_import_whole_with_progress(store, tmp_path):
    rows = [[f"Ticket {i}: printer problem number {i}", ("low", "high", "medium")[i % 3]]
            for i in range(100_000)]
    plan = plan_import(write_csv(tmp_path / "big.csv", ["ticket", "urgency"], rows))
    assert plan.suggestion.scorer == "label" and plan.report.ok
    seen = []
    result = commit_import(DatasetRepository(store), plan, progress=lambda d, t: seen.append((d, t)))
    assert result.dataset.size == 100_000 == count(store, "examples")
    assert len(seen) == 20 and seen[-1] == (100_000, 100_000)


def test_edit_delete_export_and_optimizer_guard(store, tmp_path):
    repo = DatasetRepository(store)
    d = repo.create(name="T", examples=[NewExample(f"q{i}", str(i), s) for i, s in
                                        enumerate(["train", "dev", "test"] * 4)])
    first = repo.examples(d.id)[0]
    repo.update_example(first.id, answer="changed", split="dev")
    assert repo.examples(d.id)[0].answer == "changed" and repo.get(d.id).content_sha256 is None
    assert repo.current_hash(d.id) == repo.get(d.id).content_sha256
    added = repo.add_example(d.id, NewExample("new", "x", "train"))
    repo.delete_example(repo.examples(d.id)[1].id)
    assert repo.get(d.id).size == 12 and repo.examples(d.id)[-1].id == added.id
    assert [e.split for e in repo.optimizer_examples(d.id, "dev")] == ["dev"] * 4
    with pytest.raises(ValueError, match="not 'test'"):
        repo.optimizer_examples(d.id, "test")
    for name in ("out.csv", "out.jsonl"):
        path = repo.export(d.id, tmp_path / name)
        again = plan_import(path)
        assert [(r.input, r.answer, r.split) for r in again.rows] == \
            [(e.input, e.answer, e.split) for e in repo.examples(d.id)]
    repo.delete(d.id)
    assert count(store, "examples") == 0
    with pytest.raises(DatasetNotFound):
        repo.get(d.id)

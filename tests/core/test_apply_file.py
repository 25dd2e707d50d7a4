"""Issue 23: answer a file of new rows with a run's shipped behavior (core, simulated model)."""

import csv
import json
import sqlite3
import subprocess
import sys

import pytest
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, make_dataset

from debop_desktop.core.apply import ApplyFinished, ApplyProgress, ApplyStarted, answer_file, plan_apply
from debop_desktop.core.apply.columns import ColumnsMismatch, choose_columns, task_labels
from debop_desktop.core.apply.job import apply_job, check_run_model
from debop_desktop.core.apply.jobs import ApplyJobs
from debop_desktop.core.apply.lock import ApplyBusy
from debop_desktop.core.errors import ModelFileChanged
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.run import run_optimization


@pytest.fixture
def finished(store):
    d, answers = make_dataset(store)
    backend, _ = simulated_backend(answers)
    _, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=40))
    return result.run_id, answers


def write_csv(path, questions):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "question"])
        w.writerows([i, q] for i, q in enumerate(questions))
    return path


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


QUESTIONS = [f"What is {a} + {b}?" for a in range(5) for b in range(5)]


def test_every_row_is_answered_as_ask_answers_it_in_a_new_file_beside_the_input(store, finished, tmp_path):
    run_id, answers = finished
    source = write_csv(tmp_path / "new.csv", [*QUESTIONS[:11], "", *QUESTIONS[11:]])
    backend, _ = simulated_backend(answers)
    plan = plan_apply(store, run_id, source)
    assert plan.columns == ("question",) and plan.output == tmp_path / "new answered.csv"
    events, result = drain(answer_file(store, plan, backend, batch_size=4))
    assert isinstance(events[0], ApplyStarted) and isinstance(events[-1], ApplyFinished)
    assert [e.done for e in events if isinstance(e, ApplyProgress)][-1] == 26 and result.status == "finished"
    rows = read_csv(plan.output)
    assert rows[0] == ["id", "question", "answer", "model output", "notes"]
    assert rows[12][1] == "" and rows[12][2] == "" and rows[12][4] == "the question is empty"
    tuned = load_tuned(store, run_id)
    for row in rows[1:4] + rows[20:]:  # the same text `debop ask` gives, row by row
        assert row[3] == tuned.answer(simulated_backend(answers)[0], row[1]).text
    assert sum(r[2] == answers[r[1]] for r in rows[1:] if r[1]) >= 10  # the simulated model mostly knows sums
    assert source.read_text().count("\n") == 27  # the input is untouched
    again = plan_apply(store, run_id, source)  # a finished job is not continued: a new file
    assert again.output == tmp_path / "new answered (2).csv" and not again.resumed


def test_a_stopped_job_continues_redoes_no_row_and_writes_the_same_file(store, finished, tmp_path):
    run_id, answers = finished
    source = write_csv(tmp_path / "tickets.csv", QUESTIONS)
    backend, _ = simulated_backend(answers)
    cancel = CancelToken()
    plan = plan_apply(store, run_id, source)
    gen = answer_file(store, plan, backend, cancel=cancel, batch_size=4)
    for event in gen:
        if isinstance(event, ApplyProgress) and event.done == 8:
            cancel.cancel()
        last = event
    assert last.status == "stopped" and last.done == 8 and not plan.output.exists()
    first_times = dict(store.execute("SELECT row_index, answered_at FROM apply_rows").fetchall())
    resumed = plan_apply(store, run_id, source)
    assert resumed.resumed and resumed.job.id == plan.job.id and resumed.output == plan.output
    events, result = drain(answer_file(store, resumed, backend, batch_size=4))
    assert events[0].already_done == 8 and result.status == "finished" and result.done == 25
    times = dict(store.execute("SELECT row_index, answered_at FROM apply_rows").fetchall())
    assert all(times[i] == t for i, t in first_times.items()) and len(times) == 25  # no row twice
    fresh_source = write_csv(tmp_path / "fresh.csv", QUESTIONS)
    fresh = plan_apply(store, run_id, fresh_source)
    drain(answer_file(store, fresh, simulated_backend(answers)[0], batch_size=4))
    assert read_csv(plan.output)[1:] == read_csv(fresh.output)[1:]


@pytest.mark.parametrize("suffix", [".xlsx", ".jsonl", ".json", ".tsv"])
def test_the_answers_keep_the_input_format(store, finished, tmp_path, suffix):
    run_id, answers = finished
    questions = QUESTIONS[:6]
    path = tmp_path / f"in{suffix}"
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.active.title = "Cases"
        book.active.append(["question", "ward"])
        for q in questions:
            book.active.append([q, "=not a formula"])
            book.active.cell(book.active.max_row, 2).data_type = "s"  # text that starts with '='

        book.save(path)
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps({"question": q, "n": 1}) + "\n" for q in questions))
    elif suffix == ".json":
        path.write_text(json.dumps([{"question": q} for q in questions]))
    else:
        path.write_text("question\tn\n" + "".join(f"{q}\t1\n" for q in questions))
    plan = plan_apply(store, run_id, path)
    drain(answer_file(store, plan, simulated_backend(answers)[0]))
    assert plan.output.suffix == suffix
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(plan.output).active
        rows = [[c.value for c in r] for r in sheet.iter_rows()]
        assert sheet.title == "Cases" and rows[0][:3] == ["question", "ward", "answer"] and len(rows) == 7
        assert rows[1][1] == "=not a formula"  # text stays text
        given = [r[2] for r in rows[1:]]
    elif suffix == ".jsonl":
        lines = [json.loads(line) for line in plan.output.read_text().splitlines()]
        assert len(lines) == 6 and "answer" in lines[0] and lines[0]["question"] == questions[0]
        given = [line["answer"] for line in lines]
    elif suffix == ".json":
        data = json.loads(plan.output.read_text())
        assert len(data) == 6 and set(data[0]) == {"question", "answer", "model output", "notes"}
        given = [row["answer"] for row in data]
    else:
        assert plan.output.read_text().splitlines()[0] == "question\tn\tanswer\tmodel output\tnotes"
        return
    # a numeric task's answers are numbers in the file, not text ('' where no answer was found)
    assert all(type(a) is int or a == "" for a in given) and sum(type(a) is int for a in given) >= 3
    recorded = [r[0] for r in store.execute("SELECT answer FROM apply_rows WHERE job_id = ? ORDER BY row_index",
                                            (plan.job.id,))]
    assert given == [int(t) if t else "" for t in recorded]  # the recorded text answers, as numbers


def test_a_file_being_answered_by_another_process_is_refused_in_words(store, finished, tmp_path):
    """A second window or process starting the same job is told so, and nothing it could
    do breaks the first: a child process holds the job's lock, as a running job does."""
    run_id, answers = finished
    source = write_csv(tmp_path / "tickets.csv", QUESTIONS)
    job_id = plan_apply(store, run_id, source).job.id
    store.conn.commit()
    db = store.path
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from debop_desktop.core.apply.lock import holding_job\n"
        f"with holding_job({str(db)!r}, {job_id}):\n    print('held', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        second = apply_job(db, run_id, source, backend=simulated_backend(answers)[0])
        with pytest.raises(ApplyBusy, match="already being answered by another window or process") as refused:
            next(second)
        assert f"process {holder.pid}" in refused.value.message
        assert ApplyJobs(store).count(job_id) == 0  # the refused start answered nothing
    finally:
        holder.kill()
        holder.wait()
    events, result = drain(apply_job(db, run_id, source, backend=simulated_backend(answers)[0], batch_size=8))
    assert result.status == "finished" and result.done == len(QUESTIONS) and result.job_id == job_id


def test_two_windows_of_one_process_cannot_answer_the_same_file_together(store, finished, tmp_path):
    run_id, answers = finished
    source = write_csv(tmp_path / "tickets.csv", QUESTIONS)
    first = apply_job(store.path, run_id, source, backend=simulated_backend(answers)[0], batch_size=4)
    assert isinstance(next(first), ApplyStarted)  # answering, holding the job
    second = apply_job(store.path, run_id, source, backend=simulated_backend(answers)[0], batch_size=4)
    with pytest.raises(ApplyBusy, match="already being answered"):
        next(second)
    _, result = drain(first)
    assert result.status == "finished" and result.done == len(QUESTIONS)


def test_question_columns_are_matched_like_the_task_and_a_mismatch_is_explained():
    joined = ["Age: 54\nSymptoms: cough", "Age: 3\nSymptoms: fever"]
    assert task_labels(joined) == ["Age", "Symptoms"]
    assert task_labels(["What is 2 + 3?", "Time: noon"]) == []
    assert choose_columns(["Symptoms", "id", "Age"], ["Age", "Symptoms"]) == ["Age", "Symptoms"]
    with pytest.raises(ColumnsMismatch, match="no 'Symptoms'.*--input"):
        choose_columns(["Age", "Complaint"], ["Age", "Symptoms"])
    assert choose_columns(["Age", "Complaint"], ["Age", "Symptoms"], ["Complaint"]) == ["Complaint"]
    with pytest.raises(ColumnsMismatch, match="no column 'Nope'"):
        choose_columns(["a"], [], ["Nope"])
    assert choose_columns(["id", "Text"], []) == ["Text"]
    assert choose_columns(["id", "note"], [], sample_rows=[["1", "a long note"], ["2", "another"]]) == ["note"]


def test_a_model_file_that_changed_since_the_run_is_refused(store, finished):
    run_id, _ = finished
    store.execute("INSERT INTO models (name, path, sha256, added_at) VALUES ('m', '/nowhere/m.gguf', 'new', 0)")
    store.execute("UPDATE runs SET model_id = 1, model_sha256 = 'old' WHERE id = ?", (run_id,))
    with pytest.raises(ModelFileChanged, match=f"Run {run_id} cannot continue"):
        check_run_model(store, run_id)


def test_the_job_tables_arrive_by_migration(store):
    names = {r[0] for r in store.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"apply_jobs", "apply_rows"} <= names
    assert isinstance(store.conn, sqlite3.Connection)

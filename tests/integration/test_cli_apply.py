"""Issue 23: `debop apply RUN FILE` on the tiny GGUF: every row answered with the shipped behavior,
a `kill -9` mid-file continues on the next start, redoes no row and writes the same file as a job
that was never interrupted; Ctrl-C stops it resumable; a changed model file is refused."""

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from debop_desktop.cli import main

EXE = str(Path(sys.executable).parent / "debop")
ROWS = 240


def debop(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def run_on_tiny(tmp_path, home, capsys):
    from debop_desktop.core.tiny_model import write_tiny_gguf

    model = write_tiny_gguf(tmp_path / "tiny.gguf", seed=1)
    assert debop(capsys, home, "models", "add", str(model))[0] == 0
    assert debop(capsys, home, "datasets", "sample", "arithmetic", "--n", "30", "--seed", "1")[0] == 0
    assert debop(capsys, home, "optimize", "--model", "1", "--dataset", "1", "--iterations", "1", "--dev-limit", "4",
                 "--test-limit", "4", "--threads", "1")[0] == 0
    return model


def new_rows(path: Path, n: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["case", "question"])
        w.writerows([i, f"What is {i} plus {i % 7}?" if i % 50 != 7 else ""] for i in range(n))
    return path


def answered_rows(db: Path) -> dict[int, float]:
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT row_index, answered_at FROM apply_rows WHERE job_id = 1").fetchall())
    except sqlite3.Error:
        return {}
    finally:
        con.close()


def test_kill_9_mid_file_then_resume_redoes_no_row_and_writes_the_same_file(tmp_path, home, capsys, run_on_tiny):
    source = new_rows(tmp_path / "notes.csv", ROWS)
    args = [EXE, "--home", str(home), "apply", "1", str(source), "--threads", "1", "--parallel", "1", "--batch", "8"]
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    db = home / "debop.sqlite3"
    deadline = time.monotonic() + 120
    while len(answered_rows(db)) < 24 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)  # the app and its model worker, mid-batch
    child.wait()
    before = answered_rows(db)
    assert 24 <= len(before) < ROWS and len(before) % 8 == 0  # whole batches only
    assert not (tmp_path / "notes answered.csv").exists()
    code, out, err = debop(capsys, home, "apply", "1", str(source), "--threads", "1", "--parallel", "1",
                           "--batch", "8")
    assert code == 0 and f"{len(before)} of {ROWS} rows were already answered" in err
    after = answered_rows(db)
    assert len(after) == ROWS and all(after[i] == t for i, t in before.items())  # no row answered twice
    resumed = (tmp_path / "notes answered.csv").read_text(encoding="utf-8")
    uninterrupted = new_rows(tmp_path / "again.csv", ROWS)
    code, out, _ = debop(capsys, home, "--json", "apply", "1", str(uninterrupted), "--threads", "1",
                         "--parallel", "1", "--batch", "8")
    result = json.loads(out)
    assert code == 0 and result["done"] == ROWS and result["with_notes"] >= ROWS // 50
    assert Path(result["output"]).read_text(encoding="utf-8") == resumed
    rows = list(csv.reader(io.StringIO(resumed, newline="")))
    assert rows[0] == ["case", "question", "answer", "model output", "notes"] and len(rows) == ROWS + 1
    assert rows[8][4] == "the question is empty" and rows[1][3]  # the model wrote something for row 0


def test_the_answers_are_the_ones_ask_gives(tmp_path, home, capsys, run_on_tiny):
    source = new_rows(tmp_path / "few.csv", 3)
    code, out, err = debop(capsys, home, "apply", "1", str(source), "--threads", "1")
    assert code == 0 and "Answered 3 of 3 rows" in out and "Questions from 'question'" in err
    with open(tmp_path / "few answered.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        code, out, _ = debop(capsys, home, "--json", "ask", "1", row["question"], "--threads", "1")
        assert json.loads(out)["output"] == row["model output"]


def test_a_mismatch_and_a_changed_model_are_refused_in_words(tmp_path, home, capsys, run_on_tiny):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n")
    code, _, err = debop(capsys, home, "apply", "1", str(wrong), "--input", "question")
    assert code == 1 and "no column 'question'" in err and "'a', 'b'" in err
    from debop_desktop.core.tiny_model import write_tiny_gguf

    write_tiny_gguf(run_on_tiny, seed=2)
    assert debop(capsys, home, "models", "add", str(run_on_tiny))[0] == 0
    code, _, err = debop(capsys, home, "apply", "1", str(new_rows(tmp_path / "x.csv", 2)), "--threads", "1")
    assert code == 1 and "now holds different weights" in err and "Traceback" not in err


def test_a_cell_too_long_for_the_context_gets_a_note_not_a_stopped_job(tmp_path, home, capsys, run_on_tiny):
    source = tmp_path / "long.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["question"], ["What is 1 plus 2?"], ["word " * 3000], ["What is 5 plus 5?"]])
    code, out, _ = debop(capsys, home, "apply", "1", str(source), "--threads", "1", "--ctx", "512")
    assert code == 0 and "Answered 2 of 3 rows" in out
    with open(tmp_path / "long answered.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[1]["answer"] == "" and rows[1]["notes"] == "the question is too long for the model's context"
    assert rows[0]["model output"] and rows[2]["model output"]


def test_ctrl_c_stops_the_job_resumable(tmp_path, home, capsys, run_on_tiny):
    source = new_rows(tmp_path / "stop.csv", ROWS)
    child = subprocess.Popen([EXE, "--home", str(home), "apply", "1", str(source), "--threads", "1", "--parallel",
                              "1", "--batch", "8"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = home / "debop.sqlite3"
    deadline = time.monotonic() + 120
    while len(answered_rows(db)) < 8 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130 and "Stopped after" in out and "Traceback" not in err
    con = sqlite3.connect(db)
    status = con.execute("SELECT status FROM apply_jobs WHERE id = 1").fetchone()[0]
    con.close()
    assert status == "stopped" and not (tmp_path / "stop answered.csv").exists()

"""`debop optimize` end to end on real GGUF files: the tiny random model (gibberish, so every
failure path runs) and SmolLM2-135M-Instruct (a real instruct model)."""

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from debop_desktop.cli import main

SMALL = ["--iterations", "3", "--dev-limit", "8", "--test-limit", "6", "--threads", "1"]


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def setup_task(capsys, home, model, n=60):
    assert run(capsys, home, "models", "add", str(model))[0] == 0
    assert run(capsys, home, "datasets", "sample", "arithmetic", "--n", str(n), "--seed", "1")[0] == 0


def tree(db, run_id):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT id, parent_id, tree_index, operator, iteration, demo_json FROM nodes WHERE run_id = ? "
                       "ORDER BY id", (run_id,)).fetchall()
    position = {r[0]: i for i, r in enumerate(rows)}  # node ids differ between runs; positions must not
    rows = [(position.get(r[1]), *r[2:]) for r in rows]
    evals = con.execute("SELECT COUNT(*), COUNT(DISTINCT subject || ':' || example_id) FROM evaluations "
                        "WHERE run_id = ?", (run_id,)).fetchone()
    con.close()
    return rows, evals


def test_optimize_on_the_tiny_model_survives_gibberish(capsys, home, tiny_gguf):
    setup_task(capsys, home, tiny_gguf)
    code, out, err = run(capsys, home, "optimize", "--model", "1", "--dataset", "1", "--preset", "quick", *SMALL)
    assert code == 0, err
    # under the plan grammar even random weights write readable plans (issue 12)
    assert "could not be read as a plan" not in err and "Held-out test split" in out
    assert "Tuned behavior (DeBoP)" in out and "Plain prompting" in out
    code, out, _ = run(capsys, home, "--json", "runs", "list")
    [listed] = json.loads(out)
    assert listed["status"] == "finished" and listed["tuned_test"] is not None
    code, out, _ = run(capsys, home, "runs", "show", "1", "--examples")
    assert "★ best" in out and "Test questions (direct → tuned)" in out and "unchanged" in out
    for fmt, marker in (("text", "--- your question, in this form ---"), ("chat-json", '"messages"'),
                        ("modelfile", "FROM "), ("card", '"test_scores"')):
        code, out, _ = run(capsys, home, "export", "1", "--format", fmt)
        assert code == 0 and marker in out, fmt
    card = json.loads(run(capsys, home, "export", "1", "--format", "card")[1])
    assert card["model"]["sha256"] and card["dataset"]["split_sizes"]["test"] > 0
    assert all(s["split"] == "test (held out)" for s in card["test_scores"].values())
    code, out, _ = run(capsys, home, "ask", "1", "What is 2 + 2?", "--threads", "1")
    assert code == 0 and "Answer:" in out


def test_killed_run_resumes_to_the_same_tree(capsys, home, tiny_gguf, tmp_path):
    setup_task(capsys, home, tiny_gguf, n=90)
    args = ["optimize", "--model", "1", "--dataset", "1", "--preset", "quick", "--iterations", "4",
            "--dev-limit", "20", "--test-limit", "10", "--threads", "1", "--seed", "5"]
    exe = str(Path(sys.executable).parent / "debop")
    proc = subprocess.Popen([exe, "--home", str(home), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = home / "debop.sqlite3"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            con = sqlite3.connect(db)
            done = con.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]
            con.close()
        except sqlite3.Error:
            continue
        if done >= 15:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be killed (machine too fast for this check)")
    con = sqlite3.connect(db)
    status = con.execute("SELECT status FROM runs WHERE id = 1").fetchone()[0]
    con.close()
    assert status == "running"  # killed: nothing had the chance to mark it
    code, out, err = run(capsys, home, "resume", "1", "--threads", "1")
    assert code == 0, err
    assert "Held-out test split" in out
    code, _, err = run(capsys, home, *args)  # an uninterrupted reference run with the same seed
    assert code == 0, err
    resumed_tree, resumed_evals = tree(db, 1)
    reference_tree, reference_evals = tree(db, 2)
    assert resumed_tree == reference_tree
    assert resumed_evals[0] == resumed_evals[1] == reference_evals[0]  # each evaluation once, none missing


@pytest.mark.smollm2
def test_quick_optimization_on_smollm2(capsys, home, smollm2):
    setup_task(capsys, home, smollm2, n=100)
    code, out, err = run(capsys, home, "optimize", "--model", "1", "--dataset", "1", "--preset", "quick",
                         "--iterations", "4", "--dev-limit", "12", "--test-limit", "12")
    assert code == 0, err
    assert "Held-out test split" in out and "Tuned behavior (DeBoP)" in out
    summary = json.loads(run(capsys, home, "--json", "runs", "show", "1")[1])
    assert summary["run"]["status"] == "finished" and summary["nodes"]
    assert {b["method"] for b in summary["summary"]["baselines"]} >= {"direct", "step_by_step", "tuned"}


def test_optimize_json_and_runs_show_json_print_the_same_shape(capsys, home, tiny_gguf):
    """Issue 21: one JSON shape for a run, whichever command printed it."""
    from debop_desktop.cli import main

    def run_json(*args):
        assert main(["--home", str(home), *args]) in (0, 1)
        return json.loads(capsys.readouterr().out)

    run_json("--json", "models", "add", str(tiny_gguf))
    run_json("--json", "datasets", "sample", "arithmetic", "--n", "45")
    made = run_json("--json", "optimize", "--model", "1", "--dataset", "1", "--preset", "quick", "--iterations", "1",
                    "--dev-limit", "4", "--test-limit", "4", "--threads", "1")
    shown = run_json("--json", "runs", "show", str(made["run_id"]))
    assert set(made) == set(shown) and made["run"] == shown["run"] and made["baselines"] == shown["baselines"]
    assert made["status"] == shown["run"]["status"] == "finished" and made["model_calls"] > 0
    assert made["verdict"] == shown["verdict"] and made["shipped"] == shown["shipped"]

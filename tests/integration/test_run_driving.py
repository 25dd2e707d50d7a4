"""Ctrl-C ends `debop optimize` cleanly (cancelled, resumable), and one run is driven by one
process at a time (core/optimizer/run_lock.py)."""

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from run_helpers import evaluations_recorded

from debop_desktop.cli import main
from debop_desktop.core.optimizer.run_lock import driving_run

ARGS = ["optimize", "--model", "1", "--dataset", "1", "--preset", "quick", "--iterations", "4", "--dev-limit", "20",
        "--test-limit", "10", "--threads", "1", "--seed", "5"]


def _setup(home, model):
    assert main(["--home", str(home), "models", "add", str(model)]) == 0
    assert main(["--home", str(home), "datasets", "sample", "arithmetic", "--n", "90", "--seed", "1"]) == 0


def test_ctrl_c_stops_the_run_within_a_second_and_leaves_it_resumable(home, tiny_gguf, capsys):
    _setup(home, tiny_gguf)
    exe = str(Path(sys.executable).parent / "debop")
    proc = subprocess.Popen([exe, "--home", str(home), *ARGS], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    db = home / "debop.sqlite3"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and evaluations_recorded(db) < 10:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before Ctrl-C could be pressed"
    proc.send_signal(signal.SIGINT)
    pressed = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - pressed < 3.0  # within a second of the model's answer, plus start-up slack
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err
    assert "stopped" in out.lower() and "debop resume 1" in out
    con = sqlite3.connect(db)
    assert con.execute("SELECT status FROM runs WHERE id = 1").fetchone()[0] == "cancelled"
    con.close()
    capsys.readouterr()
    assert main(["--home", str(home), "resume", "1", "--threads", "1"]) == 0


def test_a_run_being_driven_elsewhere_is_not_resumed_twice(home, tiny_gguf, capsys):
    _setup(home, tiny_gguf)
    db = home / "debop.sqlite3"
    assert main(["--home", str(home), *ARGS, "--iterations", "1"]) == 0
    con = sqlite3.connect(db)
    con.execute("UPDATE runs SET status = 'interrupted'")
    con.commit()
    con.close()
    capsys.readouterr()
    with driving_run(db, 1):  # another window or command holds the run
        code = main(["--home", str(home), "resume", "1", "--threads", "1"])
        err = capsys.readouterr().err
    assert code == 1 and "already being continued elsewhere" in err and "UNIQUE" not in err
    assert main(["--home", str(home), "resume", "1", "--threads", "1"]) == 0  # free again

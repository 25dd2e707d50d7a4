"""SIGTERM (`kill`, a logout, a service stop) and SIGHUP (the terminal closed) end `debop optimize`
and `debop resume` as Ctrl-C does: the run is marked cancelled, not left 'running' until it goes
stale, it says so on stderr, and `debop resume` continues it (issue 20, part 3)."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from run_helpers import evaluations_recorded

from debop_desktop.cli import main

ARGS = ["optimize", "--model", "1", "--dataset", "1", "--preset", "quick", "--iterations", "4", "--dev-limit", "20",
        "--test-limit", "10", "--threads", "1", "--seed", "5"]
EXE = str(Path(sys.executable).parent / "debop")


def _default_dispositions() -> None:
    """The child starts as from a terminal, whatever the test runner ignores (`nohup` would)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _stop_with(signum: int, home: Path, args: list[str], after: int) -> tuple[int, str, str]:
    """Start `debop ARGS`, send `signum` once it has made `after` evaluations, and wait for it."""
    proc = subprocess.Popen([EXE, "--home", str(home), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_default_dispositions)
    db = home / "debop.sqlite3"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and evaluations_recorded(db) < after:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before the signal could be sent"
    proc.send_signal(signum)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 5.0  # stops after the current answer, not at the end of the run
    return proc.returncode, out, err


def _status(home: Path, capsys) -> str:
    capsys.readouterr()
    assert main(["--home", str(home), "--json", "runs", "list"]) == 0
    [run] = json.loads(capsys.readouterr().out)
    return run["status"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_stops_optimize_and_resume_and_leaves_the_run_resumable(signum, home, tiny_gguf, capsys):
    assert main(["--home", str(home), "models", "add", str(tiny_gguf)]) == 0
    assert main(["--home", str(home), "datasets", "sample", "arithmetic", "--n", "90", "--seed", "1"]) == 0
    name = signal.Signals(signum).name
    code, out, err = _stop_with(signum, home, ARGS, after=10)
    assert code == 128 + signum, err  # the shell's status for that signal: the run did not finish
    assert "Traceback" not in err and "Error" not in err
    assert "Stopping after the current answer: " in err and f"({name})" in err and "debop resume" in err
    assert "debop resume 1" in out
    assert _status(home, capsys) == "cancelled"  # before: 'running', for up to ten minutes

    done = evaluations_recorded(home / "debop.sqlite3")
    code, out, err = _stop_with(signum, home, ["resume", "1", "--threads", "1"], after=done + 5)
    assert code == 128 + signum, err
    assert f"({name})" in err and "Traceback" not in err
    assert _status(home, capsys) == "cancelled"

    assert main(["--home", str(home), "resume", "1", "--threads", "1"]) == 0
    assert _status(home, capsys) == "finished"

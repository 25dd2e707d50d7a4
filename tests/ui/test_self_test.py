"""`debop-desktop --self-test` and `--quit-when-shown`, run as a person (or CI) would run them."""

import json
import os
import subprocess
import sys


def run_app(*args, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DEBOP_HOME": str(tmp_path / "never-used")}
    return subprocess.run([sys.executable, "-m", "debop_desktop", *args], env=env, capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)


def test_self_test_runs_a_real_optimization_in_a_temporary_folder_and_exits_0(tmp_path):
    out = run_app("--self-test", tmp_path=tmp_path)
    steps = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert out.returncode == 0, out.stdout + out.stderr
    assert [s["step"] for s in steps] == ["window", "model", "optimization", "worker", "passed"]
    assert steps[2]["status"] == "finished" and steps[2]["nodes"] >= 1
    assert "debop-self-test-" in steps[0]["data_folder"] and not (tmp_path / "never-used").exists()
    assert list(tmp_path.iterdir()) == []  # nothing written in the folder it was started from


def test_quit_when_shown_reports_the_start_up_time(tmp_path):
    out = run_app("--quit-when-shown", "--home", str(tmp_path / "home"), tmp_path=tmp_path)
    assert out.returncode == 0 and "window shown after" in out.stdout

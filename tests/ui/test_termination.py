"""SIGTERM or SIGHUP to the desktop app (a logout, `kill`) closes it as its close button does,
without asking: a run in progress stops, resumable; and the window keeps its size and layout in
the data folder, never in ~/.config (issue 20, part 3)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_optimize_page import simulated_job

from debop_desktop.ui.main_window import MainWindow
from debop_desktop.ui.termination import close_on_termination


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_stops_the_run_and_closes_the_window(qtbot, store, signum, monkeypatch):
    from test_optimizer_run import make_dataset

    d, answers = make_dataset(store)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    asked = []
    monkeypatch.setattr("debop_desktop.ui.main_window.QMessageBox.question", lambda *a: asked.append(a))
    page = window.optimize_page
    page.controller.start_job(simulated_job, str(store.path), d.id, answers)
    qtbot.waitUntil(lambda: len(page.tree.nodes) >= 2, timeout=30000)
    restore = close_on_termination(window, window)
    try:
        os.kill(os.getpid(), signum)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    finally:
        restore()
    assert not asked and not page.controller.running  # nobody is there to answer
    status = store.execute("SELECT status FROM runs WHERE id = ?", (page.run_id,)).fetchone()[0]
    assert status == "cancelled"  # resumable; before: the process died with the run 'running'
    assert (Path(store.path).parent / "window.ini").is_file()


def _catches_sigterm(pid: int) -> bool:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        caught = next(line for line in f if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads /proc to see the app is ready")
def test_the_app_closes_cleanly_on_sigterm_and_writes_nothing_to_the_user_config(tmp_path):
    home, user = tmp_path / "data", tmp_path / "user"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(user), XDG_CONFIG_HOME=str(user / ".config"))
    env.pop("DEBOP_HOME", None)
    proc = subprocess.Popen([sys.executable, "-m", "debop_desktop", "--home", str(home)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and not _catches_sigterm(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err  # before: ended by the signal (-15), nothing saved
    assert (home / "window.ini").is_file()  # closed as by its close button: the layout was saved
    written = [p for p in user.rglob("*") if p.is_file()] if user.exists() else []
    assert written == []  # before: ~/.config/DeBoP/DeBoP Desktop.conf


def test_with_a_data_folder_the_window_state_lives_there(tmp_path):
    home, user = tmp_path / "data", tmp_path / "user"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(user), XDG_CONFIG_HOME=str(user / ".config"),
               DEBOP_HOME=str(home))  # the environment's data folder, as --home's
    result = subprocess.run([sys.executable, "-m", "debop_desktop", "--screenshot", str(tmp_path / "shot.png")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (home / "window.ini").is_file()
    assert not user.exists() or [p for p in user.rglob("*") if p.is_file()] == []  # before: DeBoP Desktop.conf

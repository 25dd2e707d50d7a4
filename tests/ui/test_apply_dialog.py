"""Issue 23: Results → 'Use on a file…' answers a person's file with the tuned behavior on the tiny
GGUF (in the background, with progress, Stop and Continue), then opens the file it wrote."""

import csv
import os
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from debop_desktop.cli import main

ROWS = 300


@pytest.fixture
def tiny_run(home, tiny_gguf, tmp_path):
    model = shutil.copy(tiny_gguf, tmp_path / "tiny.gguf")
    for args in (["models", "add", str(model)], ["datasets", "sample", "arithmetic", "--n", "30", "--seed", "1"],
                 ["optimize", "--model", "1", "--dataset", "1", "--iterations", "1", "--dev-limit", "4",
                  "--test-limit", "4", "--threads", "1"]):
        assert main(["--home", str(home), *args]) == 0
    return 1


def test_use_on_a_file_answers_every_row_stops_continues_and_opens_the_file(qtbot, store, tiny_run, tmp_path,
                                                                             monkeypatch):
    from debop_desktop.ui.results_page import ResultsPage

    source = tmp_path / "tickets.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["ticket", "question"], *([i, f"What is {i} plus 2?"] for i in range(ROWS))])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.apply_button.isEnabled()
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    dialog = page.apply_dialog
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=10_000)
    assert dialog.chosen_columns() == ["question"] and "300 rows" in dialog.file_label.text()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=60_000)
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.controller.state == "idle", timeout=30_000)
    stopped_at = dialog.bar.value()
    assert 0 < stopped_at < ROWS and "Stopped after" in dialog.status.text() and not dialog.open_button.isEnabled()
    assert dialog.start_button.text() == "Continue"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # the file as it stands, on demand
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=10_000)
    with open(dialog.saved_path, newline="", encoding="utf-8") as fh:
        so_far = list(csv.reader(fh))
    assert len(so_far) == ROWS + 1 and sum(bool(r[3]) for r in so_far[1:]) == stopped_at
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled(), timeout=120_000)
    from debop_desktop.core.apply.jobs import ApplyJobs

    jobs = ApplyJobs(store)
    assert jobs.get(2) is None and jobs.count(1) == ROWS and not dialog.start_button.isEnabled()  # one job, continued
    if os.environ.get("DEBOP_SCREENSHOT"):
        dialog.grab().save(os.environ["DEBOP_SCREENSHOT"])
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(tmp_path / "tickets answered.csv")]
    with open(opened[0], newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["ticket", "question", "answer", "model output", "notes"] and len(rows) == ROWS + 1
    assert all(r[3] for r in rows[1:])  # every row answered by the model


def test_the_playground_opens_the_same_dialog_for_its_run_and_a_mismatch_is_said(qtbot, store, tiny_run, tmp_path,
                                                                                 monkeypatch):
    from debop_desktop.ui.playground_page import PlaygroundPage

    source = tmp_path / "other.csv"
    source.write_text("id,notes\n1,What is 2 plus 2?\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    page = PlaygroundPage(store)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    dialog = page.apply_dialog
    assert dialog.run_id == 1
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.chosen_columns() == ["notes"] and "Questions from 'notes'" in dialog.note.text()
    dialog.close()


@pytest.mark.allow_network
def test_the_serve_switch_serves_the_run_on_loopback_and_says_where(qtbot, store, tiny_run, monkeypatch):
    openai = pytest.importorskip("openai")
    from debop_desktop.ui.results_page import ResultsPage

    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.show()
    switch = page.serve_switch
    switch.port = 0  # any free port on this machine
    assert not switch.check.isChecked() and switch.serving is None  # off by default
    qtbot.mouseClick(switch.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: switch.serving is not None, timeout=30_000)
    url = switch.serving.server.url
    port = switch.serving.server.port
    assert url.startswith("http://127.0.0.1:") and switch.state.text() == f"on at 127.0.0.1:{port}"
    assert url in switch.state.toolTip() and "debop-run-1" in switch.state.toolTip()
    if os.environ.get("DEBOP_SCREENSHOT"):
        page.grab().save(os.environ["DEBOP_SCREENSHOT"].replace(".png", "-serve.png"))
    client = openai.OpenAI(base_url=url, api_key="none", max_retries=0, timeout=60)
    reply = client.chat.completions.create(model="debop-run-1",
                                           messages=[{"role": "user", "content": "What is 1 plus 1?"}])
    assert reply.choices[0].message.content
    server = switch.serving.server
    qtbot.mouseClick(switch.check, Qt.MouseButton.LeftButton)
    assert switch.serving is None and switch.state.text() == "" and not server.thread.is_alive()


def test_closing_the_window_stops_a_file_being_answered_resumable(qtbot, store, tiny_run, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from debop_desktop.core.apply.jobs import ApplyJobs
    from debop_desktop.ui.main_window import MainWindow

    source = tmp_path / "big.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["question"], *([f"What is {i} plus 2?"] for i in range(2000))])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    window = MainWindow(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    dialog = window.results_page.use_on_file()
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=60_000)
    window.close()
    job = ApplyJobs(store).get(1)
    assert job.status == "stopped" and 0 < ApplyJobs(store).count(1) < 2000 and not dialog.controller.running

"""Issue 20 part 3, items 2 and 3 at start-up: a read-only data folder is a message box naming
the folder (then the window, to look), never a traceback; a stored setting the app cannot use
is the default, and the window opens."""

import sys
from pathlib import Path

from message_boxes import answer_next_box
from PySide6.QtWidgets import QMessageBox

from debop_desktop import app
from debop_desktop.core import messages
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_store_read_only import read_only, with_task  # noqa: E402


def test_a_read_only_folder_is_named_and_the_window_opens_to_look(qtbot, home, monkeypatch, capsys):
    with_task(home)
    read_only(monkeypatch, home)
    seen = []
    answer_next_box(qtbot, messages.STORE_READ_ONLY_LOOK, seen)
    assert app.main(["--home", str(home), "--quit-when-shown"]) == 0  # before: a traceback, no window
    assert seen == [messages.STORE_READ_ONLY_WINDOW.format(folder=home)]
    assert "window shown" in capsys.readouterr().out


def test_quit_at_the_read_only_message(qtbot, home, monkeypatch):
    with_task(home)
    read_only(monkeypatch, home)
    answer_next_box(qtbot, messages.STORE_READ_ONLY_QUIT, [])
    assert app.main(["--home", str(home), "--quit-when-shown"]) == 1


def test_a_read_only_folder_without_a_database_is_a_message_not_a_traceback(qtbot, home, monkeypatch):
    read_only(monkeypatch, home)
    seen = []
    answer_next_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    assert app.main(["--home", str(home), "--quit-when-shown"]) == 1
    assert seen == [messages.STORE_READ_ONLY_EMPTY.format(folder=home)]


def test_settings_the_app_cannot_use_do_not_stop_the_window(qtbot, home, capsys):
    store = open_store(home)
    for key, text in (("threads", '"lots"'), ("context_length", "{not json"), ("parallel", "10000")):
        store.execute("INSERT INTO settings (key, value_json) VALUES (?, ?)", (key, text))
    store.close()
    assert app.main(["--home", str(home), "--quit-when-shown"]) == 0  # before: JSONDecodeError traceback
    assert "window shown" in capsys.readouterr().out


def test_the_settings_page_shows_what_runs_use(qtbot, store):
    from debop_desktop.ui.settings_page import SettingsPage

    store.execute("INSERT INTO settings (key, value_json) VALUES ('parallel', '10000'), ('threads', '\"lots\"')")
    page = SettingsPage(store)
    qtbot.addWidget(page)
    assert page.parallel.value() == Settings(store).get("parallel") == 32  # before: 32 shown, 10000 used
    assert page.threads.value() == Settings(store).get("threads") == 0

"""Issue 15 item 5 in the app: a damaged database at start-up is a dialog offering the last
backup copy or a new folder, never a traceback."""

import sys
from pathlib import Path

from message_boxes import answer_next_box
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog

from debop_desktop import app
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.paths import DB_FILENAME
from debop_desktop.core.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_store_failures import damage, with_backup  # noqa: E402


def test_start_up_offers_the_backup_and_opens_it(qtbot, home, capsys):
    with_backup(home)
    damage(home / DB_FILENAME, 0, 100)
    seen = []
    answer_next_box(qtbot, "Use the backup copy", seen)
    QTimer.singleShot(400, lambda: answer_next_box(qtbot, "OK", seen))  # "the backup copy is now in use"
    assert app.main(["--home", str(home), "--quit-when-shown"]) == 0  # before: a traceback, exit
    assert "is damaged" in seen[0] and "kept as" in seen[1]
    assert "window shown" in capsys.readouterr().out
    store = open_store(home)
    assert [d.name for d in DatasetRepository(store).list()] == ["kept"]
    store.close()
    assert list(home.glob(f"{DB_FILENAME}.damaged-*"))  # the damaged file was kept


def test_start_up_can_begin_afresh_in_a_new_folder(qtbot, home, tmp_path, monkeypatch):
    with_backup(home)
    damage(home / DB_FILENAME, 0, 100)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(fresh))  # the folder chooser
    seen = []
    answer_next_box(qtbot, "Start afresh", seen)
    assert app.main(["--home", str(home), "--quit-when-shown"]) == 0
    assert (fresh / DB_FILENAME).is_file() and (home / DB_FILENAME).read_bytes()[:4] == b"\x5a" * 4


def test_quit_leaves_everything_as_it_was(qtbot, home):
    with_backup(home)
    damage(home / DB_FILENAME, 0, 100)
    before = (home / DB_FILENAME).read_bytes()
    answer_next_box(qtbot, "Quit", [])
    assert app.main(["--home", str(home), "--quit-when-shown"]) == 1
    assert (home / DB_FILENAME).read_bytes() == before

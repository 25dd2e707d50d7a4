"""The desktop window with real Qt widgets (offscreen)."""

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings, Qt

from debop_desktop.core import messages
from debop_desktop.core.errors import BadModelFile
from debop_desktop.core.library import ModelLibrary
from debop_desktop.ui.errors import error_box
from debop_desktop.ui.main_window import MainWindow
from debop_desktop.ui.models_page import ModelTableModel


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, store, qsettings):
    w = MainWindow(store, qsettings)
    qtbot.addWidget(w)
    w.show()
    return w


def test_window_says_it_is_offline_and_shows_models(window):
    texts = [w.text() for w in (window.model_status, window.device_status, window.offline_status)]
    assert messages.OFFLINE_BADGE in texts
    assert window.sidebar.item(0).text() == "Models"
    assert "No models yet" in window.models_page.hint.text()


def test_add_model_runs_off_the_ui_thread_and_fills_the_table(qtbot, window, tiny_gguf):
    page = window.models_page
    page.add_path(str(tiny_gguf))
    qtbot.waitUntil(lambda: page.table_model.rowCount() == 1, timeout=10000)
    assert page.table_model.index(0, 0).data() == "Tiny Random Llama"
    assert page.table_model.index(0, 1).data() == "Fits"  # the badge, second column, in colour
    assert page.table_model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole).name() == "#d7f0dc"
    assert page.table.selectionModel().selectedRows()[0].row() == 0  # the new model is selected
    assert "Tiny Random Llama" in page.details.info.toPlainText()
    assert page.add_button.isEnabled() and page.progress.isHidden()


def test_bad_file_shows_a_plain_error(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("debop_desktop.ui.models_page.show_error", lambda parent, exc: shown.append(exc))
    bad = tmp_path / "bad.gguf"
    bad.write_text("not a model")
    window.models_page.add_path(str(bad))
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert isinstance(shown[0], BadModelFile)
    assert window.models_page.table_model.rowCount() == 0


def test_error_box_keeps_details_behind_a_button():
    box = error_box(None, BadModelFile("Plain words.", "technical detail"))
    assert box.text() == "Plain words." and box.detailedText() == "technical detail"
    generic = error_box(None, ZeroDivisionError("x"))
    assert generic.text() == messages.UNEXPECTED_ERROR and "ZeroDivisionError" in generic.detailedText()


def test_remove_keeps_the_file(qtbot, window, store, tiny_gguf):
    ModelLibrary(store).add(tiny_gguf)
    page = window.models_page
    page.refresh()
    assert not page.remove_button.isEnabled()
    page.table.selectRow(0)
    assert page.remove_button.isEnabled()
    page.remove_button.click()
    assert page.table_model.rowCount() == 0 and tiny_gguf.is_file()


def test_table_model_contract(qtmodeltester, store, tiny_gguf):
    record = ModelLibrary(store).add(tiny_gguf).record
    model = ModelTableModel()
    model.set_records([(record, "Fits in memory", True)])
    qtmodeltester.check(model)


def test_window_geometry_is_remembered(qtbot, store, qsettings):
    first = MainWindow(store, qsettings)
    qtbot.addWidget(first)
    first.resize(first.width(), 555)  # the offscreen screen is only about 800 px wide
    first.show()
    size = (first.width(), first.height())
    assert size[1] == 555
    first.close()
    second = MainWindow(store, qsettings)
    qtbot.addWidget(second)
    screen_width = second.screen().availableGeometry().width()  # a restore never exceeds the screen
    assert second.height() == 555  # remembered exactly
    assert min(size[0], screen_width) - 10 <= second.width() <= screen_width  # clamped to the screen, less frame


def test_window_renders(window, tmp_path):
    path = tmp_path / "main.png"
    assert window.grab().save(str(path)) and path.stat().st_size > 2000


def test_python_m_debop_desktop_opens_the_window(tmp_path):
    shot = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    result = subprocess.run(
        [sys.executable, "-m", "debop_desktop", "--home", str(tmp_path / "h"), "--screenshot", str(shot)],
        capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert shot.is_file() and shot.stat().st_size > 2000


def test_app_icon_is_found():
    from PySide6.QtGui import QIcon

    from debop_desktop.ui.resources import resource

    path = resource("icon.svg")
    assert path.is_file() and not QIcon(str(path)).isNull()


def test_every_page_is_in_the_sidebar_with_a_shortcut(qtbot, window):
    from PySide6.QtCore import Qt

    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == ["Models", "Tasks", "Optimize", "Results", "Playground", "Settings"]
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.playground_page
    assert "No finished run yet" in window.playground_page.status.text()


def test_settings_are_saved_and_change_the_memory_estimate(qtbot, window, store, tiny_gguf):
    from debop_desktop.core.settings import Settings

    page = window.settings_page
    page.context.setCurrentIndex(page.context.findData(1024))
    page.gpu_mode.setCurrentIndex(1)  # processor only
    assert Settings(store).get("context_length") == 1024 and Settings(store).get("gpu_layers") == 0
    page.gpu_mode.setCurrentIndex(2)
    page.gpu_layers.setValue(7)
    assert Settings(store).get("gpu_layers") == 7 and page.gpu_layers.isEnabled()
    window.show_page(page)  # the saved answers are counted when the page is opened
    assert "0 model answers" in page.cache_label.text() and not page.clear_cache.isEnabled()

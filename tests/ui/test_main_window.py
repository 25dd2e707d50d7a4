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
    first.resize(first.width(), 575)  # the offscreen screen is only about 800 px wide
    first.show()
    size = (first.width(), first.height())
    assert size[1] == 575
    first.close()
    second = MainWindow(store, qsettings)
    qtbot.addWidget(second)
    screen_width = second.screen().availableGeometry().width()  # a restore never exceeds the screen
    assert second.height() == 575  # remembered exactly
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


def test_the_empty_window_shows_a_first_run_checklist_whose_buttons_work(qtbot, window, tiny_gguf, monkeypatch):
    checklist = window.checklist
    assert checklist.isVisible() and [b.text() for b in checklist.buttons] == list(messages.FIRST_RUN_STEPS)
    assert checklist.buttons[0].isDefault()  # the next thing to do stands out
    monkeypatch.setattr("debop_desktop.ui.models_page.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(tiny_gguf), "GGUF models (*.gguf)"))
    window.show_page(window.settings_page)
    qtbot.mouseClick(checklist.buttons[0], Qt.MouseButton.LeftButton)
    page = window.models_page
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.table_model.rowCount() == 1 and page.add_button.isEnabled(), timeout=10000)
    assert checklist.buttons[0].text().startswith("✓") and checklist.buttons[1].isDefault()
    qtbot.mouseClick(checklist.buttons[2], Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.optimize_page


def test_ctrl_o_and_ctrl_i_work_from_any_page(qtbot, window, tiny_gguf, monkeypatch):
    from debop_desktop.ui.import_wizard import ImportWizard

    monkeypatch.setattr("debop_desktop.ui.models_page.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(tiny_gguf), "GGUF models (*.gguf)"))
    window.show_page(window.results_page)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.models_page
    qtbot.waitUntil(lambda: window.models_page.table_model.rowCount() == 1, timeout=10000)
    window.show_page(window.playground_page)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.tasks_page
    wizards = [w for w in window.tasks_page.findChildren(ImportWizard) if w.isVisible()]
    assert len(wizards) == 1
    wizards[0].reject()


def test_after_a_restart_the_last_run_is_on_the_optimize_page_and_opens_in_results(qtbot, store, runs, qsettings):
    finished, cancelled = runs
    store.execute("DELETE FROM runs WHERE id = ?", (cancelled.run_id,))  # the finished run is the last one
    window = MainWindow(store, qsettings)
    qtbot.addWidget(window)
    window.show()
    page = window.optimize_page
    window.show_page(page)
    n_nodes = store.execute("SELECT COUNT(*) FROM nodes WHERE run_id = ?", (finished.run_id,)).fetchone()[0]
    assert page.run_id == finished.run_id and len(page.tree.nodes) == n_nodes > 1 and page.chart.count > 0
    assert f"run {finished.run_id}, finished" in page.stage.text() and page.result_button.isVisible()
    qtbot.mouseClick(page.result_button, Qt.MouseButton.LeftButton)  # "See the result"
    assert window.pages.currentWidget() is window.results_page
    assert window.results_page.selected().id == finished.run_id
    assert window.results_page.banner.isVisible() and window.results_page.tree.nodes

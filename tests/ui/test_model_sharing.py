"""The app's one loaded model, as a person meets it: Say hello asks before replacing another
loaded model, and the Settings switch for faster processor features is what the next load uses."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from debop_desktop.core.cpu import extra_bufts_default
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.host import model_host
from debop_desktop.core.runtime import extra_bufts_setting
from debop_desktop.core.settings import Settings
from debop_desktop.core.tiny_model import write_tiny_gguf
from debop_desktop.ui.models_page import ModelsPage
from debop_desktop.ui.settings_page import SettingsPage


def _say_hello(qtbot, page, row):
    page.table.selectRow(row)
    qtbot.mouseClick(page.details.hello_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.details.hello_button.isEnabled(), timeout=30000)


def test_say_hello_asks_before_replacing_the_loaded_model(qtbot, store, tiny_gguf, tmp_path, monkeypatch):
    library = ModelLibrary(store)
    first = library.add(tiny_gguf).record
    second = library.add(write_tiny_gguf(tmp_path / "other.gguf", seed=4, name="Other Tiny")).record
    page = ModelsPage(store)
    qtbot.addWidget(page)
    page.show()
    rows = {page.table_model.record(r).id: r for r in range(page.table_model.rowCount())}
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text: asked.append(text) or answer[0])
    _say_hello(qtbot, page, rows[first.id])
    assert asked == [] and model_host().holds(first.path) and "It works:" in page.details.reply.toPlainText()
    first_pid = model_host().engine.pid
    _say_hello(qtbot, page, rows[first.id])  # the same model again: shared, not loaded twice
    assert asked == [] and model_host().engine.pid == first_pid
    page.table.selectRow(rows[second.id])
    qtbot.mouseClick(page.details.hello_button, Qt.MouseButton.LeftButton)  # the person says No
    assert len(asked) == 1 and "Other Tiny" in asked[0] and model_host().holds(first.path)
    answer[0] = QMessageBox.StandardButton.Yes
    _say_hello(qtbot, page, rows[second.id])
    assert len(asked) == 2 and model_host().holds(second.path) and model_host().engine.pid != first_pid
    assert "It works:" in page.details.reply.toPlainText()


def test_the_faster_processor_features_switch_is_saved_for_the_next_load(qtbot, store):
    page = SettingsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.cpu_features.isChecked() == extra_bufts_default()  # automatic at first
    assert extra_bufts_setting(Settings(store)) is None
    qtbot.mouseClick(page.cpu_features, Qt.MouseButton.LeftButton)
    assert page.cpu_features.isChecked() != extra_bufts_default()
    assert extra_bufts_setting(Settings(store)) is (not extra_bufts_default())
    qtbot.mouseClick(page.cpu_features, Qt.MouseButton.LeftButton)  # back to the default: automatic again
    assert Settings(store).get("faster_cpu_features") == "auto"

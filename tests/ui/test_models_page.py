"""The Models page's details panel, drag and drop, discovery checklist and "Say hello" test."""

import shutil

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from debop_desktop.core.library import ModelLibrary
from debop_desktop.ui.model_panels import DiscoveryDialog
from debop_desktop.ui.models_page import ModelsPage


def added(qtbot, page, n):
    qtbot.waitUntil(lambda: page.table_model.rowCount() == n and page.add_button.isEnabled(), timeout=20000)


def test_dropping_gguf_files_adds_them_one_after_another(qtbot, store, tiny_gguf, tiny_gguf_no_template, tmp_path):
    page = ModelsPage(store)
    qtbot.addWidget(page)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a model")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (tiny_gguf, notes, tiny_gguf_no_template)])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    assert page._gguf_paths(event) == [str(tiny_gguf), str(tiny_gguf_no_template)]  # the .txt is ignored
    page.dropEvent(event)
    added(qtbot, page, 2)
    assert {r.name for r in ModelLibrary(store).list()} == {"Tiny Random Llama", "Tiny Base"}


def test_details_show_metadata_memory_and_say_hello_streams_a_reply(qtbot, store, tiny_gguf):
    page = ModelsPage(store)
    qtbot.addWidget(page)
    page.add_path(str(tiny_gguf))
    added(qtbot, page, 1)
    page.table.selectRow(0)
    details = page.details
    text = details.info.toPlainText()
    assert "Tiny Random Llama" in text and "Architecture" in text and "llama" in text and "SHA-256" in text
    small = details.memory.text()
    details.context.setCurrentIndex(details.context.findData(1024))
    assert "1,024-token context" in details.memory.text() and details.memory.text() != small
    details.say_hello()
    assert details.stop_button.isEnabled() and not details.hello_button.isEnabled()
    qtbot.waitUntil(lambda: details.hello_button.isEnabled(), timeout=30000)
    assert "It works:" in details.reply.toPlainText()


def test_discovery_lists_found_models_and_adds_the_ticked_ones(qtbot, store, tiny_gguf, tmp_path):
    home = tmp_path / "home"
    folder = home / ".lmstudio" / "models" / "someone" / "tiny"
    folder.mkdir(parents=True)
    shutil.copy(tiny_gguf, folder / "tiny-q8.gguf")
    page = ModelsPage(store)
    qtbot.addWidget(page)
    dialog = DiscoveryDialog(store, page, home=str(home))
    page.find_models(dialog)
    qtbot.waitUntil(lambda: dialog.finished_scan, timeout=10000)
    assert dialog.list.count() == 1 and "LM Studio" in dialog.list.item(0).text()
    assert len(dialog.selected()) == 1 and dialog.add_button.isEnabled()
    dialog.accept()
    added(qtbot, page, 1)
    assert ModelLibrary(store).list()[0].path == str(folder / "tiny-q8.gguf")
    again = DiscoveryDialog(store, page, home=str(home))
    again.start()
    qtbot.waitUntil(lambda: again.finished_scan, timeout=10000)
    assert "already in your library" in again.list.item(0).text() and again.selected() == []


def test_a_narrow_window_keeps_the_model_name_readable(qtbot, store, tiny_gguf):
    from debop_desktop.ui.tables import MIN_STRETCH

    ModelLibrary(store).add(tiny_gguf)
    page = ModelsPage(store)
    qtbot.addWidget(page)
    page.resize(660, 560)  # the Models page inside an 800-pixel-wide window
    page.show()
    qtbot.waitExposed(page)
    table = page.table
    assert table.columnWidth(0) >= MIN_STRETCH  # squeezed to "…" before; now the table scrolls instead
    assert table.columnViewportPosition(0) == 0 and table.columnViewportPosition(1) < table.viewport().width()
    page.resize(1400, 700)
    qtbot.wait(50)
    assert table.columnWidth(0) > MIN_STRETCH  # and it takes the spare width when there is some

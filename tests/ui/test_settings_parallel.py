"""'Questions at once' in Settings: a person steps it with the keyboard, it is saved, and the
model is loaded with it (one at a time at 1)."""

from PySide6.QtCore import Qt

from debop_desktop.core import messages
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.runtime import open_model
from debop_desktop.core.settings import Settings
from debop_desktop.ui.settings_page import SettingsPage


def test_questions_at_once_is_saved_and_used_when_the_model_loads(qtbot, store, tiny_gguf):
    page = SettingsPage(store)
    qtbot.addWidget(page)
    page.show()
    spin = page.parallel
    assert spin.text() == messages.PARALLEL_AUTOMATIC and Settings(store).get("parallel") == 0
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)  # automatic -> 1
    assert Settings(store).get("parallel") == 1
    record = ModelLibrary(store).add(tiny_gguf).record
    opened = open_model(record, Settings(store), user="test")
    try:
        assert opened.loaded.n_parallel == 1 and opened.backend.parallel == 1
    finally:
        opened.release()
    for _ in range(3):
        qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert Settings(store).get("parallel") == 4
    opened = open_model(record, Settings(store), user="test")  # a new value loads the model again
    try:
        assert opened.loaded.n_parallel == 4 and opened.backend.parallel == 4
    finally:
        opened.release()

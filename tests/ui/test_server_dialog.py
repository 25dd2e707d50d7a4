import socket

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from debop_desktop.core.library import ModelLibrary
from debop_desktop.ui.models_page import ModelsPage
from debop_desktop.ui.server_dialog import AddServerDialog


def test_privacy_warning_and_add_button(qtbot):
    dialog = AddServerDialog()
    qtbot.addWidget(dialog)
    add = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not add.isEnabled()
    dialog.url.setText("http://127.0.0.1:8080")
    dialog.model.setCurrentText("llama3")
    assert add.isEnabled() and dialog.warning.isHidden()
    dialog.url.setText("https://api.example.com")
    assert not dialog.warning.isHidden() and "not on this computer" in dialog.warning.text()
    assert dialog.config().model == "llama3" and dialog.config().max_concurrency == 4


@pytest.mark.allow_network
def test_unreachable_server_shows_a_plain_message(qtbot):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    dialog = AddServerDialog()
    qtbot.addWidget(dialog)
    dialog.url.setText(f"http://127.0.0.1:{port}")
    dialog.model.setCurrentText("x")
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15000)
    assert "is not answering" in dialog.status.text()


def test_server_models_are_listed_as_remote(qtbot, store):
    ModelLibrary(store).add_server("http://127.0.0.1:8080", "llama3:8b", name="Workstation Llama")
    page = ModelsPage(store)
    qtbot.addWidget(page)
    assert page.table_model.index(0, 0).data() == "Workstation Llama  (remote)"
    assert page.table_model.index(0, 1).data() == "On a server"  # the fit column, for a model on a server


def test_status_bar_names_the_servers_in_use(qtbot, store, tmp_path):
    from PySide6.QtCore import QSettings

    from debop_desktop.core import messages
    from debop_desktop.ui.main_window import MainWindow

    window = MainWindow(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.offline_status.text() == messages.OFFLINE_BADGE
    ModelLibrary(store).add_server("http://192.168.1.20:8000", "llama3:8b")
    window.models_page.library_changed.emit()
    assert window.offline_status.text() == "Offline, except the server models you added: 192.168.1.20:8000"

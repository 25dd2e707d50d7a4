"""At start-up, a data folder that cannot be written: say which, and offer to look without changing."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from debop_desktop.core import messages
from debop_desktop.core.store import Store


def confirm_read_only(store: Store, parent: QWidget | None = None) -> bool:
    """Tell the person the data folder is read-only (naming it); True to open the window anyway
    (reading works, changes are refused with the same words), False to quit."""
    box = QMessageBox(QMessageBox.Icon.Warning, "DeBoP Desktop",
                      messages.STORE_READ_ONLY_WINDOW.format(folder=store.path.parent),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("read_only_store_box")
    look = box.addButton(messages.STORE_READ_ONLY_LOOK, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(messages.STORE_READ_ONLY_QUIT, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(look)
    box.exec()
    return box.clickedButton() is look

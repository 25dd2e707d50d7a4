"""At start-up, a damaged database: offer the last backup copy or a new data folder, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from debop_desktop.core import messages
from debop_desktop.core.errors import DebopError, StoreCorrupt
from debop_desktop.core.store import Store, open_store
from debop_desktop.core.store.db import restore_backup
from debop_desktop.ui.errors import show_error


def recover_damaged_store(exc: StoreCorrupt, parent: QWidget | None = None) -> Store | None:
    """Ask what to do about a damaged database; the opened store, or None to quit. The damaged
    file is never deleted: restoring a backup moves it aside, a new folder leaves it alone."""
    box = QMessageBox(QMessageBox.Icon.Warning, "DeBoP Desktop", messages.STORE_CORRUPT.format(path=exc.path),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("damaged_store_box")
    if exc.details:
        box.setDetailedText(exc.details)
    backup = Path(exc.backups[0]) if exc.backups else None
    use_backup = box.addButton(messages.STORE_CORRUPT_USE_BACKUP.format(when=_when(backup)),
                               QMessageBox.ButtonRole.AcceptRole) if backup else None
    new_folder = box.addButton(messages.STORE_CORRUPT_NEW_FOLDER, QMessageBox.ButtonRole.ActionRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    try:
        if backup is not None and clicked is use_backup:
            damaged = restore_backup(exc.path, backup)
            store = open_store(Path(exc.path).parent, check=True)
            QMessageBox.information(parent, "DeBoP Desktop",
                                    messages.STORE_RESTORED.format(when=_when(backup), damaged=damaged))
            return store
        if clicked is new_folder:
            folder = QFileDialog.getExistingDirectory(parent, "Choose an empty folder for DeBoP Desktop's data")
            return open_store(folder, check=True) if folder else None
    except DebopError as error:  # the backup is damaged too, or the folder cannot be written
        show_error(parent, error)
    return None


def _when(path: Path | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime)) if path else ""

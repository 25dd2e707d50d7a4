"""Answer the next message box as a person would: wait for it, read it, click a button."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer_next_box(qtbot, button, seen):
    """When the next message box opens, note its text in `seen` and click `button`: a
    `QMessageBox.StandardButton`, or the start of a button's label."""
    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        target = next(b for b in box.buttons() if b.text().startswith(button)) if isinstance(button, str) \
            else box.button(button)
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)

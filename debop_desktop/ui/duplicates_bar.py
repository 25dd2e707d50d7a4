"""The Tasks page's line about repeated questions, with a button that shows them and one that
removes the extra copies (after asking). The finding and removing is core's
(`core/datasets/duplicates.py`, the same detection as the import wizard's)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from debop_desktop.core import messages
from debop_desktop.core.datasets.duplicates import DuplicateReport, find_duplicates, remove_duplicates
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.errors import DebopError
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.plain_text import literal, plain_label

WARN_STYLE = ("QLabel { background: #fff6e0; color: #1d1d1d; border-left: 5px solid #b26a00; "
              "padding: 6px 8px; }")
DONE_STYLE = ("QLabel { background: #e8f5e9; color: #1d1d1d; border-left: 5px solid #2e7d32; "
              "padding: 6px 8px; }")


class DuplicatesBar(QWidget):
    """Hidden when the task has no repeats. `show_rows` asks the page to list only these
    examples (None: all of them again); `removed` says the task changed."""

    show_rows = Signal(object)  # list[Example] | None
    removed = Signal(int)  # dataset id

    def __init__(self, repo: DatasetRepository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.report: DuplicateReport | None = None
        self.showing = False
        self.label = plain_label(QLabel())
        self.label.setWordWrap(True)
        self.show_button = QPushButton(messages.DUPLICATES_SHOW)
        self.remove_button = QPushButton(messages.DUPLICATES_REMOVE_BUTTON)
        self.remove_button.setToolTip(messages.DUPLICATES_REMOVE_HELP)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        self.show_button.clicked.connect(self.toggle_rows)
        self.remove_button.clicked.connect(self.remove)
        self.hide()

    def set_dataset(self, dataset_id: int | None) -> None:
        """Look again (a cached answer while the task is unchanged) and show or hide the line."""
        self.showing = False
        self.show_button.setText(messages.DUPLICATES_SHOW)
        self.report = find_duplicates(self.repo, dataset_id) if dataset_id is not None else None
        found = bool(self.report and self.report.groups)
        if found:
            assert self.report is not None
            self.label.setStyleSheet(WARN_STYLE)
            self.label.setText(self.report.sentence)
        self.show_button.setVisible(found)
        self.remove_button.setVisible(found)
        self.setVisible(found)

    def toggle_rows(self) -> None:
        if self.report is None:
            return
        self.showing = not self.showing
        self.show_button.setText(messages.DUPLICATES_SHOW_ALL if self.showing else messages.DUPLICATES_SHOW)
        self.show_rows.emit(self.report.rows() if self.showing else None)

    def remove(self) -> None:
        report = self.report
        if report is None or not report.groups:
            return
        name = self.repo.get(report.dataset_id).name
        question = messages.DUPLICATES_REMOVE_CONFIRM.format(extra=report.extra_rows, name=name)
        if report.conflicting:
            question += messages.DUPLICATES_REMOVE_CONFIRM_CONFLICTS.format(k=report.conflicting)
        if QMessageBox.question(self, messages.DUPLICATES_REMOVE_BUTTON.rstrip("…"), literal(question)) \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            done = remove_duplicates(self.repo, report.dataset_id)
        except DebopError as exc:  # a run answered those rows, or one is going on
            show_error(self, exc)
            return
        self.removed.emit(report.dataset_id)  # the page reloads, which looks again and hides this line
        self.label.setStyleSheet(DONE_STYLE)
        self.label.setText(messages.DUPLICATES_REMOVED_AFTER.format(extra=done.extra_rows))
        self.show_button.hide()
        self.remove_button.hide()
        self.show()

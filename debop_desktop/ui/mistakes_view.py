"""The Results page's "Mistakes" tab: the kept behavior's final exam as a confusion table
(right answer × given answer), one line per right answer, and a cell's questions on a click.
Drawn from `core.optimizer.mistakes`; every task string is shown as plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QListWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from debop_desktop.core import behaviors, messages
from debop_desktop.core.costs import times
from debop_desktop.core.optimizer.mistakes import Mistakes
from debop_desktop.ui.plain_text import plain_label

RIGHT = QColor("#dff0d8")
WRONG = QColor("#f8d7da")
COSTLY = QColor("#e4606d")  # a mistake that counts more than once (the task's mistake costs)
COSTLY_TEXT = QColor("#a71d2a")  # such a cell with no mistake in it


class MistakesView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mistakes: Mistakes | None = None
        self.title = plain_label(QLabel(messages.MISTAKES_NONE))
        self.title.setWordWrap(True)
        self.summary = plain_label(QLabel(""))
        self.summary.setWordWrap(True)
        self.costly = plain_label(QLabel(""))
        self.costly.setWordWrap(True)
        self.costly.setStyleSheet("color: #a71d2a; font-weight: bold;")
        self.costly.hide()
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.cellClicked.connect(lambda row, column: self.show_cell(row, column))
        self.cell_title = plain_label(QLabel(messages.MISTAKES_CELL_HINT))
        self.cell_questions = QListWidget()
        layout = QVBoxLayout(self)
        for w in (self.title, self.costly, self.summary, self.table, self.cell_title, self.cell_questions):
            layout.addWidget(w)

    def set_mistakes(self, mistakes: Mistakes | None) -> None:
        self.mistakes = mistakes
        self.cell_questions.clear()
        self.cell_title.setText(messages.MISTAKES_CELL_HINT)
        if mistakes is None:
            self.title.setText(messages.MISTAKES_NONE)
            self.summary.setText("")
            self.costly.hide()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        name = messages.SHIPPED_NAMES.get(mistakes.method) or behaviors.label(mistakes.method)
        self.title.setText(messages.MISTAKES_TITLE.format(name=name))
        self.summary.setText("\n".join(mistakes.lines()))
        self.costly.setText(mistakes.costly_line())
        self.costly.setVisible(bool(mistakes.costly_line()))
        rows, columns = mistakes.expected_labels(), list(mistakes.labels)
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(columns))
        self.table.setVerticalHeaderLabels(rows)
        self.table.setHorizontalHeaderLabels(columns)
        for i, expected in enumerate(rows):
            for j, given in enumerate(columns):
                n = mistakes.count(expected, given)
                item = QTableWidgetItem(str(n))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if n:
                    item.setBackground(QBrush(RIGHT if expected == given else WRONG))
                if mistakes.is_costly(expected, given) and mistakes.costs is not None:
                    item.setToolTip(messages.COSTLY_CELL_TIP.format(times=times(mistakes.costs.cost(expected, given))))
                    font = QFont(item.font())
                    font.setBold(True)  # a costly cell stands out even when empty
                    item.setFont(font)
                    if n:
                        item.setBackground(QBrush(COSTLY))
                    else:
                        item.setForeground(QBrush(COSTLY_TEXT))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def show_cell(self, row: int, column: int) -> None:
        """The questions of one cell (right answer, given answer), listed below the table."""
        if self.mistakes is None:
            return
        expected = self.mistakes.expected_labels()[row]
        given = self.mistakes.labels[column]
        found = self.mistakes.questions.get((expected, given), ())
        self.cell_title.setText(messages.MISTAKES_CELL.format(expected=expected, given=given, n=len(found)))
        self.cell_questions.clear()
        self.cell_questions.addItems(list(found))

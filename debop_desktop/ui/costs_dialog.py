"""Mistake costs in the window: one line per mistake ("Missing urgent (answering routine) is
[5] × as bad"), used by the import wizard's scoring page and by the Tasks page's "Mistake
costs…" dialog. The words and the checks are core's (`core.costs`); task labels are escaped."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.costs import (
    MAX_EDITOR_LABELS,
    CostsError,
    MistakeCosts,
    make_costs,
    number,
    set_task_costs,
)
from debop_desktop.core.store import Store


class CostsEditor(QWidget):
    """A cost field for each mistake between the labels; `costs()` reads them (or raises
    `CostsError` with the sentence to show). `edited`: the person typed in a field."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, most_height: int = 150) -> None:
        super().__init__(parent)
        self.labels: tuple[str, ...] = ()
        self.fields: dict[tuple[str, str], QLineEdit] = {}
        self.most_height = most_height  # more lines than fit scroll
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(inner)
        self.too_many = QLabel()
        self.too_many.setWordWrap(True)
        self.too_many.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        layout.addWidget(self.too_many)

    def set_labels(self, labels: tuple[str, ...] | list[str], costs: MistakeCosts | None = None) -> None:
        """One line per ordered pair of different labels, each filled in from `costs` (else 1)."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.labels, self.fields = tuple(labels), {}
        self.too_many.setVisible(len(self.labels) > MAX_EDITOR_LABELS)
        self.too_many.setText(messages.COSTS_TOO_MANY_LABELS.format(n=len(self.labels)))
        self.scroll.setVisible(len(self.labels) <= MAX_EDITOR_LABELS)
        if len(self.labels) > MAX_EDITOR_LABELS:
            return
        row = 0
        for expected in self.labels:
            for given in self.labels:
                if given == expected:
                    continue
                words = QLabel(messages.COSTS_EDITOR_ROW.format(expected=html.escape(expected),
                                                                given=html.escape(given)))
                field = QLineEdit(number(costs.cost(expected, given) if costs else 1.0))
                field.setMaximumWidth(70)
                field.setAccessibleName(f"{expected}>{given}")
                field.textEdited.connect(self.edited)
                self.grid.addWidget(words, row, 0)
                self.grid.addWidget(field, row, 1)
                self.grid.addWidget(QLabel(messages.COSTS_EDITOR_TIMES), row, 2)
                self.fields[(expected, given)] = field
                row += 1
        self.grid.setColumnStretch(3, 1)
        self.scroll.setFixedHeight(min(self.scroll.widget().sizeHint().height() + 2, self.most_height))

    def field(self, expected: str, given: str) -> QLineEdit:
        return self.fields[(expected, given)]

    def reset(self) -> None:
        for field in self.fields.values():
            field.setText("1")

    def costs(self) -> MistakeCosts:
        return make_costs(self.labels, ((e, g, f.text()) for (e, g), f in self.fields.items()))


class MistakeCostsDialog(QDialog):
    """The Tasks page's editor of one task's mistake costs; Save keeps them with the task."""

    def __init__(self, store: Store, dataset_id: int, name: str, costs: MistakeCosts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.dataset_id, self.saved = store, dataset_id, None
        self.setWindowTitle(messages.COSTS_DIALOG_TITLE.format(name=name))
        intro = QLabel(messages.COSTS_EDITOR_INTRO)
        intro.setWordWrap(True)
        self.editor = CostsEditor(most_height=320)
        self.editor.set_labels(costs.labels, costs)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.reset_button = QPushButton(messages.COSTS_EDITOR_RESET)
        self.buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_button.clicked.connect(self.editor.reset)
        self.editor.edited.connect(self.problem.clear)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, self.editor, self.problem, self.buttons):
            layout.addWidget(w)
        layout.addStretch(1)
        self.setMinimumWidth(520)

    def save(self) -> None:
        """Keep the costs with the task and close, or say what is wrong and stay open."""
        try:
            costs = self.editor.costs()
        except CostsError as exc:
            self.problem.setText(exc.message)
            self.adjustSize()  # room for the sentence
            return
        set_task_costs(self.store, self.dataset_id, costs)
        self.saved = costs
        self.accept()

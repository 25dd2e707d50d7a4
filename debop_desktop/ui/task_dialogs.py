"""The Tasks page's small dialogs: add one example, edit a task, make a sample task."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.datasets.repository import NewExample
from debop_desktop.core.samples import SAMPLE_TASKS
from debop_desktop.core.scoring.scorers import SCORERS

SPLITS = ("train", "dev", "test")


class ExampleDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an example")
        self.question, self.answer, self.split = QPlainTextEdit(), QLineEdit(), QComboBox()
        for split in SPLITS:  # plain words on screen; the split's technical name in the tooltip
            self.split.addItem(messages.SPLIT_NAMES[split], split)
            self.split.setItemData(self.split.count() - 1, messages.SPLIT_HELP[split], Qt.ItemDataRole.ToolTipRole)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Question", self.question)
        form.addRow("Expected answer", self.answer)
        form.addRow("Used as", self.split)
        form.addRow(self.buttons)
        for signal in (self.question.textChanged, self.answer.textChanged):
            signal.connect(self._check)
        self._check()

    def _check(self) -> None:
        ok = bool(self.question.toPlainText().strip() and self.answer.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def example(self) -> NewExample:
        return NewExample(self.question.toPlainText().strip(), self.answer.text().strip(), self.split.currentData())


class EditTaskDialog(QDialog):
    """Rename a task, write its instruction, or change how its answers are judged."""

    def __init__(self, dataset: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit task")
        self.name, self.instruction, self.scorer = QLineEdit(dataset.name), QPlainTextEdit(dataset.instruction), \
            QComboBox()
        for name, scorer in SCORERS.items():
            self.scorer.addItem(scorer.label, name)
        self.scorer.setCurrentIndex(self.scorer.findData(dataset.scorer))
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.scorer.currentIndexChanged.connect(lambda: self.explain.setText(SCORERS[self.scorer.currentData()]
                                                                             .description))
        self.explain.setText(SCORERS[dataset.scorer].description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Instruction", self.instruction)
        form.addRow("Judge answers by", self.scorer)
        form.addRow(self.explain)
        form.addRow(QLabel("Runs already made keep the rule and instruction they used."))
        form.addRow(buttons)


class SampleTaskDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New sample task")
        self.task = QComboBox()
        for name, task in SAMPLE_TASKS.items():
            self.task.addItem(task.title, name)
        self.n, self.difficulty, self.seed = QSpinBox(), QSpinBox(), QSpinBox()
        self.n.setRange(10, 100_000)
        self.n.setValue(200)
        self.difficulty.setRange(1, 3)
        self.seed.setRange(0, 10**6)
        self.seed.setValue(1)
        form = QFormLayout(self)
        form.addRow(QLabel("Try the app with a task it can generate, answers checked. Level 1 suits very small "
                           "models; level 3 challenges 3–8B models."))
        form.addRow("Task", self.task)
        form.addRow("Examples", self.n)
        form.addRow("Level", self.difficulty)
        self.seed.setToolTip(messages.SAMPLE_SEED_HELP)
        form.addRow(messages.SAMPLE_SEED_LABEL, self.seed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

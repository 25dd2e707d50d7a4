"""The Tasks page: your tasks, their examples (a model over the database, loaded as you
scroll, so 100,000 rows stay quick), inline editing, new sample tasks, delete and export."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.datasets.answer_types import suggest_answer_type
from debop_desktop.core.datasets.repository import DatasetRepository, Example, NewExample
from debop_desktop.core.errors import DebopError
from debop_desktop.core.samples import SAMPLE_TASKS
from debop_desktop.core.samples.dataset import create_sample_dataset
from debop_desktop.core.scoring.scorers import SCORERS
from debop_desktop.core.store import Store
from debop_desktop.ui.errors import show_error

_Index = QModelIndex | QPersistentModelIndex
PAGE = 500
SPLITS = ("train", "dev", "test")


class ExamplesModel(QAbstractTableModel):
    """Examples of one task, fetched from SQLite PAGE rows at a time; edits write through."""

    HEADERS = ("used as", "question", "expected answer")
    FIELDS = ("split", "input", "answer")

    def __init__(self, repo: DatasetRepository, parent: Any = None) -> None:
        super().__init__(parent)
        self.repo, self.dataset_id, self.total = repo, None, 0
        self.rows: list[Example] = []

    def set_dataset(self, dataset_id: int | None) -> None:
        self.beginResetModel()
        self.dataset_id, self.rows = dataset_id, []
        self.total = self.repo.get(dataset_id).size if dataset_id is not None else 0
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        if parent.isValid() or self.dataset_id is None:
            return
        more = self.repo.examples(self.dataset_id, limit=PAGE, offset=len(self.rows))
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        value = getattr(self.rows[index.row()], self.FIELDS[index.column()])
        if index.column() == 0 and role == Qt.ItemDataRole.DisplayRole:
            return messages.SPLIT_NAMES.get(value, value)  # plain words; edited as train, dev or test
        if index.column() == 0 and role == Qt.ItemDataRole.ToolTipRole:
            return messages.SPLIT_HELP.get(value, value) + " Type train, dev or test to move it."
        return value

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable if index.isValid() else Qt.ItemFlag.NoItemFlags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        field = self.FIELDS[index.column()]
        text = str(value).strip()
        text = {name: key for key, name in messages.SPLIT_NAMES.items()}.get(text, text) if field == "split" else text
        if role != Qt.ItemDataRole.EditRole or not text or (field == "split" and text not in SPLITS):
            return False
        self.rows[index.row()] = self.repo.update_example(self.rows[index.row()].id, **{field: text})
        self.dataChanged.emit(index, index)
        return True


class ExampleDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an example")
        self.question, self.answer, self.split = QPlainTextEdit(), QLineEdit(), QComboBox()
        self.split.addItems(SPLITS)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Question", self.question)
        form.addRow("Expected answer", self.answer)
        form.addRow("Split", self.split)
        form.addRow(self.buttons)
        for signal in (self.question.textChanged, self.answer.textChanged):
            signal.connect(self._check)
        self._check()

    def _check(self) -> None:
        ok = bool(self.question.toPlainText().strip() and self.answer.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def example(self) -> NewExample:
        return NewExample(self.question.toPlainText().strip(), self.answer.text().strip(), self.split.currentText())


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
        form.addRow("Seed", self.seed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class TasksPage(QWidget):
    tasks_changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo = DatasetRepository(store)
        self.list = QListWidget()
        self.list.setMaximumWidth(280)
        self.import_button = QPushButton("Import from a file…")
        self.import_button.setToolTip("Import a spreadsheet of questions and answers (Ctrl+I, from any page).")
        self.sample_button, self.delete_button = QPushButton("New sample task…"), QPushButton("Delete task")
        self.export_button = QPushButton("Export…")
        self.edit_button = QPushButton("Edit task…")
        self.add_example_button, self.delete_example_button = QPushButton("Add example…"), QPushButton(
            "Delete example")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.model = ExamplesModel(self.repo, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMaximumSectionSize(400)  # a long expected answer is elided, not the question pushed away
        self.table.setWordWrap(False)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        for b in (self.import_button, self.sample_button, self.edit_button, self.delete_button, self.export_button):
            left.addWidget(b)
        example_buttons = QHBoxLayout()
        example_buttons.addStretch(1)
        example_buttons.addWidget(self.add_example_button)
        example_buttons.addWidget(self.delete_example_button)
        right = QVBoxLayout()
        right.addWidget(self.info)
        right.addWidget(self.table, 1)
        right.addLayout(example_buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self.list.currentItemChanged.connect(self._show)
        self.import_button.clicked.connect(self.import_file)
        self.edit_button.clicked.connect(self.edit_current)
        self.add_example_button.clicked.connect(self.add_example)
        self.delete_example_button.clicked.connect(self.delete_example)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.sample_button.clicked.connect(self.new_sample)
        self.delete_button.clicked.connect(lambda: self.delete_current())  # not clicked(bool) as `confirm`
        self.export_button.clicked.connect(self.export_current)
        self.refresh()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def refresh(self, select: int | None = None) -> None:
        self.list.clear()
        for d in self.repo.list():
            item = QListWidgetItem(f"{d.name}  ({d.size})")
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.list.addItem(item)
            if d.id == select:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._show()

    def _show(self, *_args: Any) -> None:
        dataset_id = self.current_id()
        self.delete_button.setEnabled(dataset_id is not None)
        self.export_button.setEnabled(dataset_id is not None)
        self.add_example_button.setEnabled(dataset_id is not None)
        self.edit_button.setEnabled(dataset_id is not None)
        self.delete_example_button.setEnabled(dataset_id is not None)
        if dataset_id is None:
            self.info.setText("No tasks yet. Click “Import from a file…” to bring a spreadsheet of questions "
                              "and expected answers, or “New sample task…” to try the app with a generated task.")
            self.model.set_dataset(None)
            return
        d = self.repo.get(dataset_id)
        scorer = SCORERS[d.scorer]
        words = messages.SPLIT_NAMES
        self.info.setText(f"<b>{html.escape(d.name)}</b>: {d.size} examples ({d.counts['train']} {words['train']}, "
                          f"{d.counts['dev']} {words['dev']}, {d.counts['test']} for the {words['test']}; the "
                          f"final exam is never shown while tuning).<br>Instruction: "
                          f"{html.escape(d.instruction or '—')}<br>Answers judged by <b>{scorer.label}</b>: "
                          f"{scorer.description} Double-click a cell to edit it.")
        self.model.set_dataset(dataset_id)

    def import_file(self, wizard: Any = None) -> Any:
        from debop_desktop.ui.import_wizard import ImportWizard

        wizard = wizard or ImportWizard(self.repo.store, self)
        wizard.imported.connect(self._imported)
        if not wizard.isVisible():
            wizard.open()
        return wizard

    def _imported(self, dataset_id: int) -> None:
        self.refresh(select=dataset_id)
        self.tasks_changed.emit()

    def edit_current(self, dialog: EditTaskDialog | None = None) -> None:
        dataset_id = self.current_id()
        if dataset_id is None:
            return
        d = self.repo.get(dataset_id)
        dialog = dialog or EditTaskDialog(d, self)
        if dialog.result() != QDialog.DialogCode.Accepted and not dialog.exec():
            return
        scorer = dialog.scorer.currentData()
        options = None
        if scorer != d.scorer:  # fresh options (labels, choices) when the answers suggest this very rule
            suggestion = suggest_answer_type([e.answer for e in self.repo.examples(dataset_id)])
            options = suggestion.scorer_options if suggestion.scorer == scorer else {}
        try:
            self.repo.update(dataset_id, name=dialog.name.text(), instruction=dialog.instruction.toPlainText().strip(),
                             scorer=scorer if scorer != d.scorer else None, scorer_options=options)
        except DebopError as exc:
            show_error(self, exc)
            return
        self.refresh(select=dataset_id)
        self.tasks_changed.emit()

    def add_example(self, dialog: ExampleDialog | None = None) -> int | None:
        dataset_id = self.current_id()
        if dataset_id is None:
            return None
        dialog = dialog or ExampleDialog(self)
        if dialog.result() != QDialog.DialogCode.Accepted and not dialog.exec():
            return None
        example = self.repo.add_example(dataset_id, dialog.example())
        self.refresh(select=dataset_id)
        self.tasks_changed.emit()
        return example.id

    def delete_example(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}, reverse=True)
        dataset_id = self.current_id()
        if not rows or dataset_id is None:
            return
        for row in rows:
            self.repo.delete_example(self.model.rows[row].id)
        self.refresh(select=dataset_id)
        self.tasks_changed.emit()

    def new_sample(self, dialog: SampleTaskDialog | None = None) -> int | None:
        dialog = dialog or SampleTaskDialog(self)
        if dialog.result() != QDialog.DialogCode.Accepted and not dialog.exec():
            return None
        result = create_sample_dataset(self.repo, dialog.task.currentData(), n=dialog.n.value(),
                                       seed=dialog.seed.value(), difficulty=dialog.difficulty.value())
        self.refresh(select=result.dataset.id)
        self.tasks_changed.emit()
        return result.dataset.id

    def delete_current(self, confirm: bool = True) -> None:
        dataset_id = self.current_id()
        if dataset_id is None:
            return
        d = self.repo.get(dataset_id)
        runs = sum(self.repo.runs_using(dataset_id).values())
        question = (messages.TASK_DELETE_CONFIRM_RUNS.format(name=d.name, size=d.size, count=runs) if runs
                    else messages.TASK_DELETE_CONFIRM.format(name=d.name, size=d.size))
        if confirm and QMessageBox.question(self, "Delete task", question) != QMessageBox.StandardButton.Yes:
            return
        try:
            self.repo.delete(dataset_id, with_runs=True)  # the person has just confirmed, runs named
        except DebopError as exc:  # a run going on uses it
            show_error(self, exc)
            return
        self.refresh()
        self.tasks_changed.emit()

    def export_current(self, path: str | None = None) -> str | None:
        dataset_id = self.current_id()
        if dataset_id is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export examples", "examples.csv",
                                                  "CSV for spreadsheets (*.csv);;JSON lines (*.jsonl)")
            if not path:
                return None
        return str(self.repo.export(dataset_id, path))

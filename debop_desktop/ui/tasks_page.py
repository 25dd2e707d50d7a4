"""The Tasks page: your tasks, their examples (a model over the database, loaded as you
scroll, so 100,000 rows stay quick), inline editing, new sample tasks, delete and export."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.costs import COST_SCORERS, task_costs
from debop_desktop.core.datasets.answer_types import suggest_answer_type
from debop_desktop.core.datasets.repository import DatasetRepository, Example
from debop_desktop.core.errors import DebopError
from debop_desktop.core.samples.dataset import create_sample_dataset
from debop_desktop.core.scoring.scorers import SCORERS
from debop_desktop.core.store import Store
from debop_desktop.ui.duplicates_bar import DuplicatesBar
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.plain_text import literal
from debop_desktop.ui.task_dialogs import SPLITS, EditTaskDialog, ExampleDialog, SampleTaskDialog

__all__ = ["PAGE", "EditTaskDialog", "ExampleDialog", "ExamplesModel", "SampleTaskDialog", "TasksPage"]

_Index = QModelIndex | QPersistentModelIndex
PAGE = 500


class ExamplesModel(QAbstractTableModel):
    """Examples of one task, fetched from SQLite PAGE rows at a time; edits write through."""

    HEADERS = ("used as", "question", "expected answer")
    FIELDS = ("split", "input", "answer")

    def __init__(self, repo: DatasetRepository, parent: Any = None) -> None:
        super().__init__(parent)
        self.repo, self.dataset_id, self.total, self.filtered = repo, None, 0, False
        self.rows: list[Example] = []

    def set_dataset(self, dataset_id: int | None, only: list[Example] | None = None) -> None:
        """All of a task's examples, loaded as you scroll; or `only` these (e.g. its repeats)."""
        self.beginResetModel()
        self.dataset_id, self.rows, self.filtered = dataset_id, list(only or []), only is not None
        self.total = len(self.rows) if only is not None else \
            (self.repo.get(dataset_id).size if dataset_id is not None else 0)
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
        if parent.isValid() or self.dataset_id is None or self.filtered:
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
            return messages.SPLIT_HELP.get(value, value) + messages.EXAMPLE_SPLIT_EDIT_HELP
        return literal(value) if role == Qt.ItemDataRole.ToolTipRole else value

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


class SplitDelegate(QStyledItemDelegate):
    """Moves an example to another group with a choice of the three plain names."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:  # noqa: N802
        box = QComboBox(parent)
        for split in SPLITS:
            box.addItem(messages.SPLIT_NAMES[split], split)
        # choosing a group is the whole edit: save it and close the editor at once
        box.activated.connect(lambda _i: (self.commitData.emit(box), self.closeEditor.emit(box)))
        return box

    def setEditorData(self, editor: QWidget, index: _Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


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
        self.compare_button = QPushButton(messages.COMPARE_BUTTON)
        self.compare_button.setToolTip(messages.COMPARE_BUTTON_TOOLTIP)
        self.compare_dialog: Any = None
        self.edit_button = QPushButton("Edit task…")
        self.costs_button = QPushButton(messages.COSTS_BUTTON)
        self.costs_button.setToolTip(messages.COSTS_BUTTON_TIP)
        self.add_example_button, self.delete_example_button = QPushButton("Add example…"), QPushButton(
            "Delete example")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.duplicates = DuplicatesBar(self.repo)
        self.model = ExamplesModel(self.repo, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(0, SplitDelegate(self.table))
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMaximumSectionSize(400)  # a long expected answer is elided, not the question pushed away
        self.table.setWordWrap(False)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        for b in (self.import_button, self.sample_button, self.edit_button, self.costs_button, self.delete_button,
                  self.export_button, self.compare_button):
            left.addWidget(b)
        example_buttons = QHBoxLayout()
        example_buttons.addStretch(1)
        example_buttons.addWidget(self.add_example_button)
        example_buttons.addWidget(self.delete_example_button)
        right = QVBoxLayout()
        right.addWidget(self.info)
        right.addWidget(self.duplicates)
        right.addWidget(self.table, 1)
        right.addLayout(example_buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self.list.currentItemChanged.connect(self._show)
        # lambdas: clicked(bool) must not arrive as the wizard, dialog, `confirm` or file path of a handler
        self.import_button.clicked.connect(lambda: self.import_file())
        self.edit_button.clicked.connect(lambda: self.edit_current())
        self.costs_button.clicked.connect(lambda: self.edit_costs())
        self.add_example_button.clicked.connect(lambda: self.add_example())
        self.delete_example_button.clicked.connect(self.delete_example)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.sample_button.clicked.connect(lambda: self.new_sample())
        self.delete_button.clicked.connect(lambda: self.delete_current())
        self.export_button.clicked.connect(lambda: self.export_current())
        self.compare_button.clicked.connect(lambda: self.compare_models())
        self.duplicates.show_rows.connect(lambda rows: self.model.set_dataset(self.current_id(), rows))
        self.duplicates.removed.connect(self._changed)
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
        self.compare_button.setEnabled(dataset_id is not None)
        self.add_example_button.setEnabled(dataset_id is not None)
        self.edit_button.setEnabled(dataset_id is not None)
        self.costs_button.setEnabled(False)
        self.delete_example_button.setEnabled(dataset_id is not None)
        self.duplicates.set_dataset(dataset_id)
        if dataset_id is None:
            self.info.setText("No tasks yet. Click “Import from a file…” to bring a spreadsheet of questions "
                              "and expected answers, or “New sample task…” to try the app with a generated task.")
            self.model.set_dataset(None)
            return
        d = self.repo.get(dataset_id)
        self.costs_button.setEnabled(d.scorer in COST_SCORERS)
        scorer = SCORERS[d.scorer]
        words = messages.SPLIT_NAMES
        self.info.setText(f"<b>{html.escape(d.name)}</b>: {d.size} examples ({d.counts['train']} {words['train']}, "
                          f"{d.counts['dev']} {words['dev']}, {d.counts['test']} for the {words['test']}; the "
                          f"final exam is never shown while tuning).<br>Instruction: "
                          f"{html.escape(d.instruction or '—')}<br>Answers judged by <b>{scorer.label}</b>: "
                          f"{scorer.description} Double-click a cell to edit it.")
        costs = task_costs(self.repo.store, d.id) if d.scorer in COST_SCORERS else None
        if costs is not None and costs.is_set:
            self.info.setText(self.info.text() + "<br>" + html.escape(messages.COSTS_TASK_LINE.format(
                costs=costs.describe())))
        self.model.set_dataset(dataset_id)

    def import_file(self, wizard: Any = None) -> Any:
        from debop_desktop.ui.import_wizard import ImportWizard

        wizard = wizard or ImportWizard(self.repo.store, self)
        wizard.imported.connect(self._imported)
        if not wizard.isVisible():
            wizard.open()
        return wizard

    def _imported(self, dataset_id: int) -> None:
        self._changed(dataset_id)

    def _changed(self, dataset_id: int) -> None:
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

    def edit_costs(self, dialog: Any = None) -> Any:
        """The task's mistake costs in a small editor (tasks whose answers are a few labels)."""
        from debop_desktop.ui.costs_dialog import MistakeCostsDialog

        dataset_id = self.current_id()
        costs = task_costs(self.repo.store, dataset_id) if dataset_id is not None else None
        if dataset_id is None or costs is None:
            return None
        dialog = dialog or MistakeCostsDialog(self.repo.store, dataset_id, self.repo.get(dataset_id).name, costs, self)
        dialog.accepted.connect(self._show)
        dialog.open()
        return dialog

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
        if confirm and QMessageBox.question(self, "Delete task", literal(question)) != QMessageBox.StandardButton.Yes:
            return
        try:
            self.repo.delete(dataset_id, with_runs=True)  # the person has just confirmed, runs named
        except DebopError as exc:  # a run going on uses it
            show_error(self, exc)
            return
        self.refresh()
        self.tasks_changed.emit()

    def compare_models(self) -> Any:
        """Open the comparison of models on the chosen task (one window; a second click brings it back)."""
        from debop_desktop.ui.compare_dialog import CompareDialog

        dataset_id = self.current_id()
        if dataset_id is None:
            return None
        if self.compare_dialog is None or self.compare_dialog.dataset_id != dataset_id:
            if self.compare_dialog is not None:
                self.compare_dialog.close()
            self.compare_dialog = CompareDialog(self.repo.store, dataset_id, self)
        self.compare_dialog.show()
        self.compare_dialog.raise_()
        return self.compare_dialog

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

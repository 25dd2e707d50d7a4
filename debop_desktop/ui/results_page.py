"""The Results page: every run, and for one run its scores on the held-out test split, the
questions it fixed or broke, the winning demonstration, and Export."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core.optimizer.export import export_behavior
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.optimizer.report import RunSummary, list_runs, question_changes
from debop_desktop.core.store import Store
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.score_chart import ScoreChart

_Index = QModelIndex | QPersistentModelIndex
EXPORTS = {"Plain text (*.txt)": ("text", ".txt"), "Chat messages JSON (*.json)": ("chat-json", ".json"),
           "Ollama Modelfile (*.Modelfile)": ("modelfile", ".Modelfile"),
           "Provenance card (*.card.json)": ("card", ".card.json")}


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of tuples."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers, self.rows, self.keys = headers, [], []

    def set_rows(self, rows: list[tuple], keys: list[Any]) -> None:
        self.beginResetModel()
        self.rows, self.keys = rows, keys
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(self.rows[index.row()][index.column()])
        return None


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ResultsPage(QWidget):
    resume_requested = Signal(int, int)  # run id, model id

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runs_model = RowsModel(["#", "model", "task", "status", "best dev", "tuned test", "started"], self)
        self.runs = _table(self.runs_model)
        self.resume_button, self.export_button = QPushButton("Resume"), QPushButton("Export…")
        self.chart = ScoreChart()
        self.filter = QComboBox()
        self.filter.addItems(["all", "fixed", "broken", "unchanged"])
        self.examples_model = RowsModel(["question", "expected", "direct", "tuned", "change"], self)
        self.examples = _table(self.examples_model)
        self.demo = QTextBrowser()
        self.hint = QLabel("Finished and stopped runs are listed here. Choose one to see how it did.")
        self._example_rows: list[tuple] = []
        top = QHBoxLayout()
        top.addWidget(self.hint, 1)
        top.addWidget(self.resume_button)
        top.addWidget(self.export_button)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Test questions:"))
        filter_row.addWidget(self.filter)
        filter_row.addStretch(1)
        lower = QSplitter()
        examples_box = QWidget()
        box = QVBoxLayout(examples_box)
        box.addLayout(filter_row)
        box.addWidget(self.examples)
        lower.addWidget(examples_box)
        lower.addWidget(self.demo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.runs, 1)
        layout.addWidget(self.chart)
        layout.addWidget(lower, 2)
        self.runs.selectionModel().selectionChanged.connect(self._show_selected)
        self.filter.currentTextChanged.connect(self._apply_filter)
        self.resume_button.clicked.connect(self._resume)
        self.export_button.clicked.connect(self.export)
        self.refresh()

    def refresh(self) -> None:
        runs = list_runs(self.store)

        def pct(value: float | None) -> str:
            return "" if value is None else f"{value:.0%}"

        self.runs_model.set_rows([(r.id, r.model, r.dataset, r.status, pct(r.best_dev), pct(r.tuned_test), r.created)
                                  for r in runs], runs)
        self._update_buttons()

    def selected(self) -> RunSummary | None:
        picked = self.runs.selectionModel().selectedRows()
        return self.runs_model.keys[picked[0].row()] if picked else None

    def _update_buttons(self) -> None:
        sel = self.selected()
        self.resume_button.setEnabled(sel is not None and sel.resumable)
        self.export_button.setEnabled(sel is not None and sel.status == "finished")

    def _show_selected(self) -> None:
        self._update_buttons()
        sel = self.selected()
        if sel is None:
            return
        run_id = sel.id
        self.chart.set_scores(RunRecorder(self.store, run_id).summary().get("baselines", []))
        self._example_rows = [(q.question, q.expected, q.direct, q.tuned, q.change)
                              for q in question_changes(self.store, run_id)]
        self._apply_filter()
        best = self.store.execute("SELECT demo_json FROM nodes WHERE id = (SELECT best_node_id FROM runs WHERE id = ?)",
                                  (run_id,)).fetchone()
        if best:
            demo = json.loads(best[0])
            steps = "".join(f"<li><b>{k}</b>: {v}</li>" for k, v in demo["steps"])
            self.demo.setHtml(f"<h3>The winning demonstration</h3><p><b>Question:</b> {demo['question']}</p>"
                              f"<ol>{steps}</ol>")
        else:
            self.demo.setPlainText("This run has no tuned behavior yet.")

    def _apply_filter(self) -> None:
        wanted = self.filter.currentText()
        rows = [r for r in self._example_rows if wanted == "all" or r[4] == wanted]
        self.examples_model.set_rows(rows, list(range(len(rows))))

    def _resume(self) -> None:
        sel = self.selected()
        if sel is not None and sel.resumable:
            self.resume_requested.emit(sel.id, sel.model_id)

    def export(self, path: str | None = None, label: str | None = None) -> str | None:
        sel = self.selected()
        if sel is None:
            return None
        if path is None:
            path, label = QFileDialog.getSaveFileName(self, "Export the tuned behavior", f"run-{sel.id}",
                                                      ";;".join(EXPORTS))
            if not path:
                return None
        fmt, suffix = EXPORTS.get(label or "", ("text", ".txt"))
        if not path.endswith(suffix):
            path += suffix
        try:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(export_behavior(self.store, sel.id, fmt))
        except Exception as exc:  # a full disk or a read-only folder: say so plainly
            show_error(self, exc)
            return None
        self.hint.setText(f"Exported to {path}")
        return path

"""The Results page: every run, and for one run its scores on the held-out test split, the
questions it fixed or broke with both raw outputs side by side, the winning demonstration,
a comparison with another run on the same task, and Export."""

from __future__ import annotations

import html
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
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core.optimizer.baselines import METHOD_LABELS
from debop_desktop.core.optimizer.export import export_behavior
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.optimizer.report import (
    QuestionChange,
    RunSummary,
    compare_runs,
    list_runs,
    question_changes,
)
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
        self.raw = {side: QPlainTextEdit() for side in ("direct", "tuned")}
        self.compare_box = QComboBox()
        self.comparison = QTextBrowser()
        self.tabs = self._tabs()
        self.hint = QLabel("Finished and stopped runs are listed here. Choose one to see how it did.")
        self._example_rows: list[QuestionChange] = []
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
        lower.addWidget(self.tabs)
        lower.setSizes([640, 560])
        self.runs.setMaximumHeight(170)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.runs, 1)
        layout.addWidget(self.chart)
        layout.addWidget(lower, 3)
        self.runs.selectionModel().selectionChanged.connect(self._show_selected)
        self.filter.currentTextChanged.connect(self._apply_filter)
        self.examples.selectionModel().selectionChanged.connect(self._show_outputs)
        self.compare_box.currentIndexChanged.connect(self._compare)
        self.resume_button.clicked.connect(self._resume)
        self.export_button.clicked.connect(self.export)
        self.refresh()

    def _tabs(self) -> QTabWidget:
        tabs = QTabWidget()
        tabs.addTab(self.demo, "Winning demonstration")
        raw = QWidget()
        row = QHBoxLayout(raw)
        for side, title in (("direct", "Before (direct prompting)"), ("tuned", "After (tuned behavior)")):
            self.raw[side].setReadOnly(True)
            self.raw[side].setPlaceholderText(f"{title}: choose a test question on the left.")
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(self.raw[side])
            row.addLayout(column)
        tabs.addTab(raw, "Raw outputs")
        compare = QWidget()
        column = QVBoxLayout(compare)
        choose = QHBoxLayout()
        choose.addWidget(QLabel("Compare with"))
        choose.addWidget(self.compare_box, 1)
        column.addLayout(choose)
        column.addWidget(self.comparison)
        tabs.addTab(compare, "Compare runs")
        return tabs

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
        self._example_rows = question_changes(self.store, run_id)
        self._apply_filter()
        self._fill_compare_choices(sel)
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
        picked = [q for q in self._example_rows if wanted == "all" or q.change == wanted]
        self.examples_model.set_rows([(q.question, q.expected, q.direct, q.tuned, q.change) for q in picked], picked)
        for pane in self.raw.values():
            pane.clear()

    def _show_outputs(self) -> None:
        rows = self.examples.selectionModel().selectedRows()
        if rows:
            q: QuestionChange = self.examples_model.keys[rows[0].row()]
            self.raw["direct"].setPlainText(q.direct_output or "(not answered)")
            self.raw["tuned"].setPlainText(q.tuned_output)

    def _fill_compare_choices(self, sel: RunSummary) -> None:
        self.compare_box.blockSignals(True)
        self.compare_box.clear()
        for r in self.runs_model.keys:
            if r.id != sel.id and r.dataset == sel.dataset and r.tuned_test is not None:
                self.compare_box.addItem(f"Run {r.id}: {r.model}, {r.preset or 'custom'} ({r.created})", r.id)
        self.compare_box.blockSignals(False)
        self._compare()

    def _compare(self) -> None:
        sel, other = self.selected(), self.compare_box.currentData()
        if sel is None or other is None:
            self.comparison.setHtml("<p>No other finished run on this task yet. Run the same task with another "
                                    "model or preset, then compare them here.</p>")
            return
        c = compare_runs(self.store, sel.id, other)

        def pct(v: float | None) -> str:
            return "—" if v is None else f"{v:.0%}"

        def table(head: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> str:
            cells = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td><td>{html.escape(d)}</td></tr>"
                            for a, b, d in rows)
            return (f"<table border='1' cellspacing='0' cellpadding='4'><tr><th>{head[0]}</th><th>{head[1]}</th>"
                    f"<th>{head[2]}</th></tr>{cells}</table>")

        head = ("", f"run {c.a}", f"run {c.b}")
        self.comparison.setHtml(
            "<h3>Accuracy on the held-out test split</h3>"
            + table(head, [(METHOD_LABELS.get(m, m), pct(x), pct(y)) for m, x, y in c.methods])
            + f"<p>On the same test questions, tuned: both right {c.both_right}, only run {c.a} right {c.only_a}, "
              f"only run {c.b} right {c.only_b}, both wrong {c.both_wrong}.</p><h3>What differs</h3>"
            + (table(("setting", *head[1:]), c.settings) if c.settings else "<p>Nothing: same model and "
               "settings.</p>"))

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

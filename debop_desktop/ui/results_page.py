"""The Results page: every run, and for one run first the verdict (did tuning help?), then its
final-exam scores, the questions it fixed or broke with both raw outputs side by side, the
behavior that ships, the tree of tries, a comparison with another run, and Export."""

from __future__ import annotations

import contextlib
import dataclasses
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.errors import DebopError
from debop_desktop.core.optimizer.demos import readable_output
from debop_desktop.core.optimizer.export import export_behavior, load_tuned
from debop_desktop.core.optimizer.mistakes import run_mistakes
from debop_desktop.core.optimizer.report import (
    QuestionChange,
    RunSummary,
    RunView,
    list_runs,
    question_changes,
    run_view,
)
from debop_desktop.core.optimizer.verdict import stored_name
from debop_desktop.core.output_files import open_for_writing
from debop_desktop.core.store import Store
from debop_desktop.ui.demo_view import demonstration_html, kept_behavior_html, node_html, node_technical
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.mistakes_view import MistakesView
from debop_desktop.ui.plain_text import plain_label
from debop_desktop.ui.run_compare_view import RunCompareView
from debop_desktop.ui.score_chart import ScoreChart
from debop_desktop.ui.search_tree import SearchTreeView
from debop_desktop.ui.serve_switch import ServeSwitch
from debop_desktop.ui.tables import RowsModel, make_table
from debop_desktop.ui.verdict_banner import VerdictBanner, verdict_colours

__all__ = ["EXPORTS", "ResultsPage", "RowsModel"]
EXPORTS = {"Plain text (*.txt)": ("text", ".txt"), "Chat messages JSON (*.json)": ("chat-json", ".json"),
           "Ollama Modelfile (*.Modelfile)": ("modelfile", ".Modelfile"),
           "LM Studio preset (*.preset.json)": ("lmstudio", ".preset.json"),
           "Provenance card (*.card.json)": ("card", ".card.json")}
SPLIT = messages.SPLIT_NAMES


class RunsModel(RowsModel):
    """The runs list; a finished run's verdict cell in the verdict's own colours (the banner's)."""

    VERDICT = 6

    @staticmethod
    def verdict(run: RunSummary) -> str:
        return messages.VERDICT_SHORT.get(run.verdict, "") if run.status == "finished" else ""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if (index.isValid() and index.column() == self.VERDICT and self.keys[index.row()].status == "finished"
                and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)):
            background, accent = verdict_colours(self.keys[index.row()].verdict)
            return QColor(background if role == Qt.ItemDataRole.BackgroundRole else accent)
        return super().data(index, role)


class ResultsPage(QWidget):
    resume_requested = Signal(int, int)  # run id, model id

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.view: RunView | None = None
        self.runs_model = RunsModel(
            ["#", "Model", "Task", "Status", "Best try", messages.RESULTS_FINAL_EXAM_COLUMN, "Verdict", "Started"],
            self,
            ["", "", "", "", f"Share right of the best try on the {SPLIT['dev']} (dev split)",
             messages.RESULTS_KEPT_COLUMN_HELP, messages.RESULTS_VERDICT_COLUMN_HELP, ""])
        self.runs = make_table(self.runs_model, stretch=(1, 2))
        self.resume_button, self.export_button = QPushButton("Resume"), QPushButton("Export…")
        self.export_button.setToolTip("Save the behavior that ships, to use in Ollama, LM Studio or any chat.")
        self.apply_button = QPushButton("Use on a file…")
        self.apply_button.setToolTip("Answer every row of a spreadsheet or file of new questions with what the app "
                                     "keeps, exactly as it was scored; the answers go to a new file beside it.")
        self.apply_dialog = None
        self.serve_switch = ServeSwitch(str(store.path), self._finished_run_id)
        self.banner = VerdictBanner()
        self.chart = ScoreChart()
        self.filter = QComboBox()
        self.filter.addItems(["all", "fixed", "broken", "unchanged"])
        self.examples_model = RowsModel(["Question", "Expected", "Before", "After", "Change"], self,
                                        ["", "The answer you gave in the file", "Plain prompting's answer",
                                         messages.RESULTS_AFTER_HELP, ""])
        self.examples = make_table(self.examples_model, stretch=(0,))
        self.demo = QTextBrowser()
        self.mistakes = MistakesView()
        self.raw = {side: QPlainTextEdit() for side in ("direct", "tuned")}
        self.raw_titles = {side: QLabel() for side in ("direct", "tuned")}
        self.tree, self.node_details = SearchTreeView(), QTextBrowser()
        self.compare = RunCompareView(store)
        self.tabs = self._tabs()
        self.hint = plain_label(QLabel(messages.RESULTS_HINT))  # it may name a file
        self.hint.setWordWrap(True)
        self._example_rows: list[QuestionChange] = []
        self._layout()
        self.runs.selectionModel().selectionChanged.connect(self._show_selected)
        self.filter.currentTextChanged.connect(self._apply_filter)
        self.examples.selectionModel().selectionChanged.connect(self._show_outputs)
        self.resume_button.clicked.connect(self._resume)
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        self.apply_button.clicked.connect(lambda _checked=False: self.use_on_file())
        self.tree.node_clicked.connect(self._show_node)
        self.refresh()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.hint, 1)
        top.addWidget(self.resume_button)
        top.addWidget(self.export_button)
        top.addWidget(self.apply_button)
        top.addWidget(self.serve_switch)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Final exam questions:"))
        filter_row.addWidget(self.filter)
        filter_row.addStretch(1)
        lower = QSplitter()
        examples_box = QWidget()
        box = QVBoxLayout(examples_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(filter_row)
        box.addWidget(self.examples)
        lower.addWidget(examples_box)
        lower.addWidget(self.tabs)
        lower.setSizes([560, 560])
        self.runs.setMaximumHeight(150)
        two_rows = 2 * self.runs.verticalHeader().defaultSectionSize()  # never a run cut in half at the top
        self.runs.setMinimumHeight(self.runs.horizontalHeader().sizeHint().height() + two_rows
                                   + 2 * self.runs.frameWidth())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.runs, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.chart)
        layout.addWidget(lower, 3)

    def _tabs(self) -> QTabWidget:
        tabs = QTabWidget()
        tabs.addTab(self.demo, "What ships")
        raw = QWidget()
        row = QHBoxLayout(raw)
        for side, title in (("direct", "Before (plain prompting)"),
                            ("tuned", messages.RESULTS_AFTER_TITLE.format(name=messages.SHIPPED_NAMES["tuned"]))):
            self.raw_titles[side].setText(title)
            self.raw[side].setReadOnly(True)
            self.raw[side].setPlaceholderText("Choose a question on the left.")
            column = QVBoxLayout()
            column.addWidget(self.raw_titles[side])
            column.addWidget(self.raw[side])
            row.addLayout(column)
        tabs.addTab(raw, "Raw answers")
        mistakes = QScrollArea()  # its table and questions scroll; the page keeps its minimum height
        mistakes.setWidget(self.mistakes)
        mistakes.setWidgetResizable(True)
        tabs.addTab(mistakes, messages.MISTAKES_TAB)
        tree = QSplitter(Qt.Orientation.Vertical)
        tree.addWidget(self.tree)
        tree.addWidget(self.node_details)
        self.node_details.setMinimumHeight(40)  # the page's height goes to the verdict's sentence on a small screen
        tree.setSizes([260, 140])
        tabs.addTab(tree, "Tries")
        tabs.addTab(self.compare, "Compare runs")
        return tabs

    def refresh(self, select: int | None = None) -> None:
        """Reload the runs list and keep a run selected: `select`, else the one already
        selected, else the newest finished run, else the newest."""
        current = self.selected()
        runs = list_runs(self.store)

        def pct(value: float | None) -> str:
            return "" if value is None else f"{value:.0%}"

        self.runs_model.set_rows([(r.id, r.model, r.dataset, r.status, pct(r.best_dev), pct(r.kept_test),
                                   RunsModel.verdict(r), r.created) for r in runs], runs)
        wanted = select if select is not None else (current.id if current is not None else None)
        if wanted is None or not any(r.id == wanted for r in runs):
            wanted = next((r.id for r in runs if r.status == "finished"), runs[0].id if runs else None)
        if wanted is not None:
            row = next(i for i, r in enumerate(runs) if r.id == wanted)
            self.runs.selectRow(row)
            self.runs.scrollTo(self.runs_model.index(row, 0))
        else:
            self._show_selected()
        self.hint.setText(messages.RESULTS_HINT if runs else messages.RESULTS_NONE)

    def selected(self) -> RunSummary | None:
        picked = self.runs.selectionModel().selectedRows()
        return self.runs_model.keys[picked[0].row()] if picked else None

    def _update_buttons(self) -> None:
        sel = self.selected()
        self.resume_button.setEnabled(sel is not None and sel.resumable)
        self.export_button.setEnabled(sel is not None and sel.status == "finished")
        self.apply_button.setEnabled(sel is not None and sel.status == "finished")

    def _show_selected(self) -> None:
        self._update_buttons()
        sel = self.selected()
        self.view = view = run_view(self.store, sel.id) if sel is not None else None
        self.banner.show_view(view)
        self.chart.set_scores([dataclasses.asdict(b) for b in view.baselines] if view else [],
                              stored_name(view.shipped) if view else "tuned")
        self._example_rows = question_changes(self.store, view.id) if view else []
        self.mistakes.set_mistakes(run_mistakes(self.store, view.id) if view else None)
        self._apply_filter()
        if view is not None:
            self.tree.load_run(view)
        else:
            self.tree.clear_tree()
        self.node_details.setHtml(f"<p style='color:gray'>{html.escape(messages.TRY_DETAILS_PLACEHOLDER)}</p>")
        self.compare.set_runs(sel, self.runs_model.keys)
        self.demo.setHtml(self._shipped_html(view))
        if view is not None:  # the answers on the right are those of what the app keeps
            self.raw_titles["tuned"].setText(messages.RESULTS_AFTER_TITLE.format(name=view.shipped_name))

    def _shipped_html(self, view: RunView | None) -> str:
        """The kept behavior as the model receives it; the search's best try below it, marked
        as not used, when the app keeps something else."""
        if view is None:
            return ""
        best, ships = view.best, messages.RESULT_SHIPS.format(name=view.shipped_name)
        if view.shipped == "tuned":
            if best is None:
                return "<p>This run has no tuned behavior yet.</p>"
            return demonstration_html(best.demo, "The tuned behavior: the model sees this worked example first",
                                      ships)
        text = f"<p><b>{html.escape(ships)}</b></p>"
        with contextlib.suppress(DebopError):  # a run stopped before it chose: nothing is kept yet
            text += kept_behavior_html(load_tuned(self.store, view.id))
        if best is not None:
            text += demonstration_html(best.demo, messages.KEPT_SEARCH_BEST)
        return text

    def _show_node(self, node_id: int) -> None:
        node = self.view.node(node_id) if self.view else None
        if node is not None:
            self.node_details.setHtml(node_html(node))
            self.node_details.setToolTip(node_technical(node))

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
            self.raw["direct"].setPlainText(readable_output(q.direct_output) or "(not answered)")
            self.raw["tuned"].setPlainText(readable_output(q.tuned_output))

    def _resume(self) -> None:
        sel = self.selected()
        if sel is not None and sel.resumable:
            self.resume_requested.emit(sel.id, sel.model_id)

    def _finished_run_id(self) -> int | None:
        sel = self.selected()
        return sel.id if sel is not None and sel.status == "finished" else None

    def use_on_file(self):
        """Ask for a file of new rows, then open the dialog that answers it (ui/apply_dialog.py)."""
        from debop_desktop.ui.apply_dialog import FILE_FILTER, ApplyDialog

        sel = self.selected()
        if sel is None:
            return None
        path, _ = QFileDialog.getOpenFileName(self, "Use the tuned behavior on a file", "", FILE_FILTER)
        if not path:
            return None
        self.apply_dialog = ApplyDialog(str(self.store.path), sel.id, path, self)
        self.apply_dialog.show()
        return self.apply_dialog

    def export(self) -> str | None:
        """Ask where to save the behavior that ships (and in which format), then write it."""
        sel = self.selected()
        if sel is None:
            return None
        path, label = QFileDialog.getSaveFileName(self, "Export the tuned behavior", f"run-{sel.id}",
                                                  ";;".join(EXPORTS))
        if not path:
            return None
        return self.export_to(path, label)

    def export_to(self, path: str, label: str | None = None) -> str | None:
        sel = self.selected()
        if sel is None:
            return None
        fmt, suffix = EXPORTS.get(label or "", ("text", ".txt"))
        if not path.endswith(suffix):
            path += suffix
        try:
            text = export_behavior(self.store, sel.id, fmt, file_name=path)
            # the save dialog asked before replacing a file; the file appears whole or not at all
            with open_for_writing(path, overwrite=True) as fh:
                fh.write(text)
        except Exception as exc:  # a full disk or a read-only folder: say so plainly
            show_error(self, exc)
            return None
        self.hint.setText(messages.RESULT_EXPORTED.format(path=path))
        return path

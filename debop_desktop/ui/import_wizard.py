"""Import a spreadsheet of examples as a task, one question per numbered step: file (with a
preview) → columns → scoring rule → split sizes → the check before importing → import.

All the work is core's (`read_table`, `plan_table`, `commit_import`); the wizard only asks.
Nothing is written until the last page, and then all or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from debop_desktop.core import messages
from debop_desktop.core.costs import keep_costs
from debop_desktop.core.datasets.importer import ImportPlan, commit_import, plan_table
from debop_desktop.core.datasets.mapping import ColumnMapping, suggest_mapping
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.datasets.tables import Table, read_table
from debop_desktop.core.errors import DebopError
from debop_desktop.core.store import Store
from debop_desktop.ui.background import run_in_background
from debop_desktop.ui.errors import describe
from debop_desktop.ui.import_pages import (
    ProgressPage,
    ReportPage,
    ScoringPage,
    SplitPage,
    WizardPage,
    repeated_lines,
    top_form,
    without_repeats,
)
from debop_desktop.ui.plain_text import plain_label

NONE = "(none)"
PREVIEW_LINES, PREVIEW_BYTES = 8, 8192
STEPS = 5  # the sixth page is the import itself
FILE_FILTER = "Examples (*.csv *.tsv *.txt *.xlsx *.json *.jsonl);;All files (*)"


class FilePage(WizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Choose a file of examples")
        self.setSubTitle("A spreadsheet (.xlsx), CSV, or JSON lines file with one example per row: "
                         "a question and the answer you expect.")
        self.path = QLineEdit()
        self.path.setPlaceholderText("Click Browse… to choose a file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.sheet = QComboBox()
        self.sheet_label = QLabel("Sheet")
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setPlaceholderText(messages.FILE_PREVIEW_EMPTY)
        self.preview.setMinimumHeight(150)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = top_form(self)
        form.addRow("File", row)
        form.addRow(self.sheet_label, self.sheet)
        form.addRow("First lines", self.preview)
        form.addRow(self.problem)
        self.sheet_label.hide()
        self.sheet.hide()
        self.path.textChanged.connect(self.completeChanged)
        self.path.textChanged.connect(lambda _t: self.sheet.clear())
        self.path.textChanged.connect(self._preview)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a file of examples", "", FILE_FILTER)
        if path:
            self.path.setText(path)

    def _preview(self, text: str) -> None:
        """The file as it is, its first lines: enough to recognise it and see its columns."""
        path = Path(text.strip())
        self.preview.clear()
        if not path.is_file():
            return
        try:
            with path.open("rb") as fh:
                head = fh.read(PREVIEW_BYTES)
        except OSError:
            return
        if b"\0" in head or head.startswith(b"PK"):  # a workbook or another binary file
            self.preview.setPlainText(messages.FILE_PREVIEW_BINARY)
            return
        lines = head.decode("utf-8", errors="replace").splitlines()[:PREVIEW_LINES]
        self.preview.setPlainText("\n".join(line[:300] for line in lines))

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:  # noqa: N802
        try:
            table = read_table(self.path.text().strip(), sheet=self.sheet.currentData())
        except DebopError as exc:
            self.problem.setText(exc.message)
            return False
        self.problem.clear()
        if table.sheets and len(table.sheets) > 1 and self.sheet.count() == 0:
            for name in table.sheets:  # let the person pick, then Next again
                hidden = messages.XLSX_SHEET_HIDDEN if name in table.hidden_sheets else ""
                self.sheet.addItem(name + hidden, name)
            self.sheet.setCurrentIndex(self.sheet.findData(table.sheet))
            self.sheet.show()
            self.sheet_label.show()
        self.w.table = table
        return True


class ColumnsPage(WizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Which columns hold what?")
        self.setSubTitle("The first rows of your file are shown below. Tick the column(s) with the question; "
                         "several are joined as 'Header: value' lines.")
        self.source = plain_label(QLabel())  # which sheet of a workbook, and the hidden ones left out
        self.source.setWordWrap(True)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.setMaximumHeight(170)
        self.inputs = QListWidget()
        self.inputs.setMaximumHeight(110)
        self.answer, self.split, self.notes = QComboBox(), QComboBox(), QComboBox()
        form = QFormLayout()
        form.addRow("Question column(s)", self.inputs)
        form.addRow("Expected answer", self.answer)
        form.addRow("Split (optional)", self.split)
        form.addRow("Notes (optional)", self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(self.preview)
        layout.addLayout(form)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:  # noqa: N802
        table = self.w.table
        assert table is not None
        hidden = f"{table.hidden_note()} {messages.XLSX_HIDDEN_SHEETS_BACK}" if table.hidden_note() else ""
        self.source.setText(" ".join(filter(None, [messages.XLSX_SHEET_SHOWN.format(sheet=table.sheet)
                                                   if table.sheet else "", hidden])))
        self.source.setVisible(bool(table.sheet))
        rows = table.preview(5)
        self.preview.setColumnCount(len(table.headers))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(table.headers)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem(value[:200]))
        suggested = suggest_mapping(table.headers)
        self.inputs.clear()
        for h in table.headers:
            item = QListWidgetItem(h)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if h in suggested.input_columns else Qt.CheckState.Unchecked)
            self.inputs.addItem(item)
        for box, value, optional in ((self.answer, suggested.answer_column, False),
                                     (self.split, suggested.split_column, True),
                                     (self.notes, suggested.notes_column, True)):
            box.clear()
            box.addItems(([NONE] if optional else []) + table.headers)
            box.setCurrentText(value or NONE)

    def mapping(self) -> ColumnMapping:
        inputs = [self.inputs.item(i).text() for i in range(self.inputs.count())
                  if self.inputs.item(i).checkState() == Qt.CheckState.Checked]

        def opt(box: QComboBox) -> str | None:
            return None if box.currentText() == NONE else box.currentText()

        return ColumnMapping(inputs, self.answer.currentText(), opt(self.split), opt(self.notes))

    def validatePage(self) -> bool:  # noqa: N802
        mapping = self.mapping()
        if not mapping.input_columns:
            self.problem.setText("Tick at least one column that holds the question.")
            return False
        try:
            self.w.plan = plan_table(self.w.table_path, self.w.table, mapping=mapping,  # type: ignore[arg-type]
                                     context_tokens=self.w.context_tokens)
        except DebopError as exc:
            self.problem.setText(exc.message)
            return False
        self.problem.clear()
        return True


class ImportWizard(QWizard):
    """`imported` carries the new dataset's id once the import has been written."""

    imported = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None, context_tokens: int = 4096) -> None:
        super().__init__(parent)
        self.store, self.context_tokens = store, context_tokens
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.dataset_id: int | None = None
        self.removed_repeats = 0
        self.setWindowTitle("Import examples")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.file_page, self.columns_page, self.scoring_page = FilePage(self), ColumnsPage(self), ScoringPage(self)
        self.split_page, self.report_page, self.progress_page = SplitPage(self), ReportPage(self), ProgressPage(self)
        for page in (self.file_page, self.columns_page, self.scoring_page, self.split_page, self.report_page,
                     self.progress_page):
            self.addPage(page)
        for n, page in enumerate((self.file_page, self.columns_page, self.scoring_page, self.split_page,
                                  self.report_page), 1):
            page.setTitle(messages.WIZARD_STEP.format(n=n, total=STEPS, title=page.title()))
        self.resize(720, 560)

    def chosen_scorer(self) -> str | None:
        """The scoring rule chosen, or None when it is the suggested one (keeps its options)."""
        scorer = self.scoring_page.scorer.currentData()
        return None if self.plan is None or scorer == self.plan.suggestion.scorer else scorer

    @property
    def table_path(self) -> Path:
        return Path(self.file_page.path.text().strip())

    def start_import(self, progress: Any) -> Any:
        plan, db_path = self.plan, self.store.path
        assert plan is not None
        self.removed_repeats = len(repeated_lines(plan)) if self.report_page.remove_repeats.isChecked() else 0
        if self.removed_repeats:
            plan = without_repeats(plan)
        args = dict(name=self.scoring_page.name.text().strip() or plan.path.stem,
                    instruction=self.scoring_page.instruction.toPlainText().strip(),
                    scorer=self.chosen_scorer(), split=self.split_page.spec(),
                    seed=self.split_page.seed.value(), skip_invalid=self.report_page.skip.isChecked())
        costs = self.scoring_page.chosen_costs()  # checked when Next left the scoring page

        def work() -> Any:
            store = Store(db_path, migrate=False)  # one connection per thread
            try:
                result = commit_import(DatasetRepository(store), plan, progress=progress, **args)
                if costs is not None:
                    keep_costs(store, result.dataset.id, costs)
                return result
            finally:
                store.close()

        return run_in_background(work, self._imported, self._failed)

    def _imported(self, result: Any) -> None:
        page = self.progress_page
        page.done = True
        page.bar.setValue(page.bar.maximum())
        skipped = f" {len(result.skipped_lines)} row(s) with problems were left out." if result.skipped_lines else ""
        if self.removed_repeats:
            skipped += " " + messages.DUPLICATES_REMOVED.format(rows=self.removed_repeats)
        warn = " ".join(result.split_warnings)
        counts, words = result.dataset.counts, messages.SPLIT_NAMES
        page.status.setText(f"Imported “{result.dataset.name}”: {result.dataset.size} examples "
                            f"({counts['train']} {words['train']}, {counts['dev']} {words['dev']}, "
                            f"{counts['test']} for the {words['test']}).{skipped} {warn}".strip())
        self.dataset_id = result.dataset.id
        page.completeChanged.emit()
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)  # it is written: Finish, not Cancel
        self.imported.emit(result.dataset.id)

    def _failed(self, exc: BaseException) -> None:
        text, _details = describe(exc)
        self.progress_page.status.setText(f"Nothing was imported. {text}")
        self.progress_page.status.setStyleSheet("color: #b00020")
        self.progress_page.done = True  # let Finish close the wizard; nothing was written
        self.progress_page.completeChanged.emit()

"""Import a spreadsheet of examples as a task, one question per page: file → preview and
columns → scoring rule → split sizes → validation report → import with progress.

All the work is core's (`read_table`, `plan_table`, `commit_import`); the wizard only asks.
Nothing is written until the last page, and then all or nothing.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from debop_desktop.core.datasets.importer import ImportPlan, commit_import, plan_table
from debop_desktop.core.datasets.mapping import ColumnMapping, suggest_mapping
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.datasets.tables import Table, read_table
from debop_desktop.core.errors import DebopError
from debop_desktop.core.scoring.scorers import SCORERS
from debop_desktop.core.store import Store
from debop_desktop.ui.background import run_in_background
from debop_desktop.ui.errors import describe

NONE = "(none)"
FILE_FILTER = "Examples (*.csv *.tsv *.txt *.xlsx *.json *.jsonl);;All files (*)"


def _top_form(page: QWizardPage) -> QFormLayout:
    """A form kept at the top of the page instead of spread over its height."""
    outer = QVBoxLayout(page)
    form = QFormLayout()
    outer.addLayout(form)
    outer.addStretch(1)
    return form


class _Page(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.problem = QLabel()  # what stops Next, in plain words
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")

    def validatePage(self) -> bool:  # noqa: N802 - Next is refused, not only greyed out
        return self.isComplete()


class FilePage(_Page):
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
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = _top_form(self)
        form.addRow("File", row)
        form.addRow(self.sheet_label, self.sheet)
        form.addRow(self.problem)
        self.sheet_label.hide()
        self.sheet.hide()
        self.path.textChanged.connect(self.completeChanged)
        self.path.textChanged.connect(lambda _t: self.sheet.clear())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a file of examples", "", FILE_FILTER)
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:  # noqa: N802
        try:
            table = read_table(self.path.text().strip(), sheet=self.sheet.currentText() or None)
        except DebopError as exc:
            self.problem.setText(exc.message)
            return False
        self.problem.clear()
        if table.sheets and len(table.sheets) > 1 and self.sheet.count() == 0:
            self.sheet.addItems(table.sheets)  # let the person pick, then Next again
            self.sheet.setCurrentText(table.sheet)
            self.sheet.show()
            self.sheet_label.show()
        self.w.table = table
        return True


class ColumnsPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Which columns hold what?")
        self.setSubTitle("The first rows of your file are shown below. Tick the column(s) with the question; "
                         "several are joined as 'Header: value' lines.")
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
        layout.addWidget(self.preview)
        layout.addLayout(form)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:  # noqa: N802
        table = self.w.table
        assert table is not None
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


class ScoringPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Name the task and choose how answers are judged")
        self.name = QLineEdit()
        self.instruction = QPlainTextEdit()
        self.instruction.setPlaceholderText("What should the model do? e.g. “Classify the ticket's urgency "
                                            "as low, medium or high.”")
        self.instruction.setMaximumHeight(70)
        self.scorer = QComboBox()
        for name, scorer in SCORERS.items():
            self.scorer.addItem(scorer.label, name)
        self.explain, self.suggested = QLabel(), QLabel()
        for label in (self.explain, self.suggested):
            label.setWordWrap(True)
        form = _top_form(self)
        form.addRow("Task name", self.name)
        form.addRow("Instruction", self.instruction)
        form.addRow(self.suggested)
        form.addRow("Judge answers by", self.scorer)
        form.addRow(self.explain)
        self.scorer.currentIndexChanged.connect(self._explain)

    def initializePage(self) -> None:  # noqa: N802
        plan = self.w.plan
        assert plan is not None
        if not self.name.text():
            self.name.setText(plan.path.stem)
        s = plan.suggestion
        self.suggested.setText(f"<i>{html.escape(s.explanation)}</i> Suggested rule: "
                               f"<b>{html.escape(SCORERS[s.scorer].label)}</b>.")
        self.scorer.setCurrentIndex(self.scorer.findData(s.scorer))
        self._explain()

    def _explain(self) -> None:
        name = self.scorer.currentData()
        if name:
            self.explain.setText(SCORERS[name].description)


class SplitPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("How many examples go where?")
        self.setSubTitle("Train examples are what the optimizer learns from, dev examples score its "
                         "candidates, and the test examples are kept aside to judge the result fairly.")
        self.train, self.dev, self.test, self.seed = QSpinBox(), QSpinBox(), QSpinBox(), QSpinBox()
        for box, value in ((self.train, 60), (self.dev, 20), (self.test, 20)):
            box.setRange(0, 100)
            box.setSuffix(" %")
            box.setValue(value)
            box.valueChanged.connect(self._update)
        self.seed.setRange(0, 10**6)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        form = _top_form(self)
        form.addRow("Train", self.train)
        form.addRow("Dev", self.dev)
        form.addRow("Test", self.test)
        form.addRow("Shuffle seed", self.seed)
        form.addRow(self.counts)

    def spec(self) -> str:
        return f"{self.train.value()}/{self.dev.value()}/{self.test.value()}"

    def initializePage(self) -> None:  # noqa: N802
        self._update()

    def _update(self) -> None:
        total = self.train.value() + self.dev.value() + self.test.value()
        plan = self.w.plan
        n = len(plan.rows) if plan else 0
        given = sum(1 for r in plan.rows if r.split) if plan else 0
        text = f"{n} examples: about {round(n * self.train.value() / 100)} train, " \
               f"{round(n * self.dev.value() / 100)} dev, {round(n * self.test.value() / 100)} test."
        if given:
            text += f" {given} rows name their split in the file and keep it."
        if total != 100:
            text = f"The three sizes add up to {total} %; make them add up to 100 %."
        self.counts.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.train.value() + self.dev.value() + self.test.value() == 100


class ReportPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Check before importing")
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setTextFormat(Qt.TextFormat.RichText)
        self.skip = QCheckBox()
        self.skip.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.report)
        layout.addWidget(self.skip)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")

    def initializePage(self) -> None:  # noqa: N802
        plan = self.w.plan
        assert plan is not None
        r = plan.report
        lines = [f"<p><b>{r.total}</b> rows read from {html.escape(plan.path.name)}.</p>"]
        lines += [f"<p style='color:#b00020'>✗ {html.escape(i.message)}</p>" for i in r.errors]
        lines += [f"<p>⚠ {html.escape(i.message)}</p>" for i in r.warnings]
        if r.ok and not r.warnings:
            lines.append("<p>✓ No problems found.</p>")
        self.report.setText("".join(lines))
        blocked = len(r.blocked_lines)
        self.skip.setText(f"Leave out the {blocked} row(s) with problems and import the rest")
        self.skip.setVisible(blocked > 0)
        self.skip.setChecked(False)

    def isComplete(self) -> bool:  # noqa: N802
        return self.w.plan is not None and (self.w.plan.report.ok or self.skip.isChecked())


class ProgressPage(_Page):
    _progress = Signal(int, int)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Importing")
        self.bar = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._progress.connect(lambda done, total: (self.bar.setMaximum(max(total, 1)), self.bar.setValue(done)))
        self.done = False

    def initializePage(self) -> None:  # noqa: N802
        self.done = False
        self.bar.setValue(0)
        self.status.setText("Writing the examples…")
        self.w.start_import(lambda done, total: self._progress.emit(done, total))

    def isComplete(self) -> bool:  # noqa: N802
        return self.done


class ImportWizard(QWizard):
    """`imported` carries the new dataset's id once the import has been written."""

    imported = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None, context_tokens: int = 4096) -> None:
        super().__init__(parent)
        self.store, self.context_tokens = store, context_tokens
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.dataset_id: int | None = None
        self.setWindowTitle("Import examples")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.file_page, self.columns_page, self.scoring_page = FilePage(self), ColumnsPage(self), ScoringPage(self)
        self.split_page, self.report_page, self.progress_page = SplitPage(self), ReportPage(self), ProgressPage(self)
        for page in (self.file_page, self.columns_page, self.scoring_page, self.split_page, self.report_page,
                     self.progress_page):
            self.addPage(page)
        self.resize(720, 560)

    @property
    def table_path(self) -> Path:
        return Path(self.file_page.path.text().strip())

    def start_import(self, progress: Any) -> Any:
        plan, db_path = self.plan, self.store.path
        assert plan is not None
        args = dict(name=self.scoring_page.name.text().strip() or plan.path.stem,
                    instruction=self.scoring_page.instruction.toPlainText().strip(),
                    scorer=self.scoring_page.scorer.currentData(), split=self.split_page.spec(),
                    seed=self.split_page.seed.value(), skip_invalid=self.report_page.skip.isChecked())
        if args["scorer"] == plan.suggestion.scorer:
            args["scorer"] = None  # keep the suggestion's options (labels, choices)

        def work() -> Any:
            store = Store(db_path, migrate=False)  # one connection per thread
            try:
                return commit_import(DatasetRepository(store), plan, progress=progress, **args)
            finally:
                store.close()

        return run_in_background(work, self._imported, self._failed)

    def _imported(self, result: Any) -> None:
        page = self.progress_page
        page.done = True
        page.bar.setValue(page.bar.maximum())
        skipped = f" {len(result.skipped_lines)} row(s) with problems were left out." if result.skipped_lines else ""
        warn = " ".join(result.split_warnings)
        page.status.setText(f"Imported “{result.dataset.name}”: {result.dataset.size} examples "
                            f"(train {result.dataset.counts['train']}, dev {result.dataset.counts['dev']}, "
                            f"test {result.dataset.counts['test']}).{skipped} {warn}".strip())
        self.dataset_id = result.dataset.id
        page.completeChanged.emit()
        self.imported.emit(result.dataset.id)

    def _failed(self, exc: BaseException) -> None:
        text, _details = describe(exc)
        self.progress_page.status.setText(f"Nothing was imported. {text}")
        self.progress_page.status.setStyleSheet("color: #b00020")
        self.progress_page.done = True  # let Finish close the wizard; nothing was written
        self.progress_page.completeChanged.emit()

"""The import wizard's later pages: scoring rule → split sizes → the check before importing
(with repeated questions and split leaks said plainly, and a way to remove them) → import."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from debop_desktop.core import messages
from debop_desktop.core.costs import CostsError, MistakeCosts, cost_labels
from debop_desktop.core.datasets.importer import ImportPlan, shared_questions
from debop_desktop.core.scoring.answer_space import suggest_instruction
from debop_desktop.core.scoring.scorers import SCORERS
from debop_desktop.ui.costs_dialog import CostsEditor
from debop_desktop.ui.plain_text import plain_label

if TYPE_CHECKING:
    from debop_desktop.ui.import_wizard import ImportWizard

SPLIT = messages.SPLIT_NAMES
SMALL_TEST = 30  # fewer final-exam questions than this cannot tell a small improvement from luck
REPEATS = ("duplicate", "conflicting")  # validation issues whose lines repeat an earlier question


def top_form(page: QWizardPage) -> QFormLayout:
    """A form kept at the top of the page instead of spread over its height."""
    outer = QVBoxLayout(page)
    form = QFormLayout()
    outer.addLayout(form)
    outer.addStretch(1)
    return form


class WizardPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.problem = plain_label(QLabel())  # what stops Next, in plain words (it may quote a column)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")

    def validatePage(self) -> bool:  # noqa: N802 - Next is refused, not only greyed out
        return self.isComplete()


def repeated_lines(plan: ImportPlan) -> set[int]:
    """File lines that repeat an earlier question (the first of each is not among them)."""
    return {line for issue in plan.report.issues if issue.kind in REPEATS for line in issue.lines}


def without_repeats(plan: ImportPlan) -> ImportPlan:
    """The same plan without the repeated rows (a big file's rows stay on disk)."""
    return plan.without_lines(repeated_lines(plan))


class ScoringPage(WizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Name the task and choose how answers are judged")
        self.name = QLineEdit()
        self.instruction = QPlainTextEdit()
        self.instruction.setPlaceholderText("What should the model do? e.g. “Classify the ticket's urgency "
                                            "as low, medium or high.”")
        self.instruction.setMaximumHeight(70)
        self.instruction_hint = QLabel(messages.INSTRUCTION_SUGGESTED)
        self.instruction_hint.setWordWrap(True)
        self._suggestion = ""  # the instruction last filled in for the person; replaced while untouched
        self.scorer = QComboBox()
        for name, scorer in SCORERS.items():
            self.scorer.addItem(scorer.label, name)
        self.explain, self.suggested = QLabel(), QLabel()
        for label in (self.explain, self.suggested):
            label.setWordWrap(True)
        form = top_form(self)
        form.addRow("Task name", self.name)
        form.addRow("Instruction", self.instruction)
        form.addRow(self.instruction_hint)
        form.addRow(self.suggested)
        form.addRow("Judge answers by", self.scorer)
        form.addRow(self.explain)
        self.costs_toggle = QCheckBox(messages.COSTS_WIZARD_TOGGLE)  # optional: which mistakes are worse
        self.costs_toggle.setToolTip(messages.COSTS_EDITOR_INTRO)
        self.costs_editor = CostsEditor()
        self.costs_editor.hide()
        self.costs_toggle.toggled.connect(self.costs_editor.setVisible)
        self.costs_editor.edited.connect(self.problem.clear)
        form.addRow(self.costs_toggle)
        form.addRow(self.costs_editor)
        form.addRow(self.problem)
        self.scorer.currentIndexChanged.connect(self._explain)
        self.instruction.textChanged.connect(self._show_hint)

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
        self._suggest()
        self._offer_costs()

    def _offer_costs(self) -> None:
        """The mistake costs, offered when the chosen rule's answers are a few labels."""
        plan, name = self.w.plan, self.scorer.currentData()
        if plan is None or not name:
            return
        options = plan.suggestion.scorer_options if name == plan.suggestion.scorer else {}
        labels = cost_labels(name, options, (r.answer for r in plan.rows))
        if labels != self.costs_editor.labels:
            self.costs_editor.set_labels(labels)
        self.costs_toggle.setVisible(bool(labels))
        self.costs_editor.setVisible(bool(labels) and self.costs_toggle.isChecked())

    def chosen_costs(self) -> MistakeCosts | None:
        """The mistake costs set here (raises `CostsError`), or None when none were."""
        if not self.costs_toggle.isChecked() or not self.costs_editor.labels:
            return None
        costs = self.costs_editor.costs()
        return costs if costs.is_set else None

    def validatePage(self) -> bool:  # noqa: N802
        try:
            self.chosen_costs()
        except CostsError as exc:
            self.problem.setText(exc.message)
            return False
        self.problem.clear()
        return True

    def _suggest(self) -> None:
        """Fill in the instruction suggested for the chosen scoring rule and the file's answers,
        unless the person has written their own."""
        plan, name = self.w.plan, self.scorer.currentData()
        if plan is None or not name:
            return
        options = plan.suggestion.scorer_options if name == plan.suggestion.scorer else {}
        suggestion = suggest_instruction(name, options, (r.answer for r in plan.rows))  # one pass
        current = self.instruction.toPlainText().strip()
        if not current or current == self._suggestion:
            self._suggestion = suggestion
            self.instruction.setPlainText(suggestion)
        self._show_hint()

    def _show_hint(self) -> None:
        self.instruction_hint.setVisible(bool(self._suggestion)
                                         and self.instruction.toPlainText().strip() == self._suggestion)


class SplitPage(WizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("How many examples go where?")
        self.setSubTitle(f"The app learns from the {SPLIT['train']}, picks its best try with the "
                         f"{SPLIT['dev']}, and keeps the {SPLIT['test']} aside to judge the result fairly.")
        self.train, self.dev, self.test, self.seed = QSpinBox(), QSpinBox(), QSpinBox(), QSpinBox()
        for box, value in ((self.train, 60), (self.dev, 20), (self.test, 20)):
            box.setRange(0, 100)
            box.setSuffix(" %")
            box.setValue(value)
            box.valueChanged.connect(self._update)
        self.seed.setRange(0, 10**6)
        self.seed.setToolTip("The same number gives the same shuffle (random seed).")
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        form = top_form(self)
        for key, box in (("train", self.train), ("dev", self.dev), ("test", self.test)):
            form.addRow(SPLIT[key].capitalize(), box)
            form.labelForField(box).setToolTip(messages.SPLIT_HELP[key])
            box.setToolTip(messages.SPLIT_HELP[key])
        form.addRow(messages.IMPORT_SHUFFLE_LABEL, self.seed)
        form.addRow(self.counts)

    def spec(self) -> str:
        return f"{self.train.value()}/{self.dev.value()}/{self.test.value()}"

    def initializePage(self) -> None:  # noqa: N802
        self._update()

    def _update(self) -> None:
        total = self.train.value() + self.dev.value() + self.test.value()
        plan = self.w.plan
        n = len(plan.rows) if plan else 0
        given = plan.given_splits if plan else 0
        text = f"{n} examples: about {round(n * self.train.value() / 100)} {SPLIT['train']}, " \
               f"{round(n * self.dev.value() / 100)} {SPLIT['dev']}, {round(n * self.test.value() / 100)} " \
               f"for the {SPLIT['test']}."
        if given:
            text += f" {given} rows name their group in the file and keep it."
        n_test = round(n * self.test.value() / 100)
        if 0 < n_test < SMALL_TEST:
            text += " " + messages.SPLIT_SMALL_TEST.format(n=n_test)
        if total != 100:
            text = f"The three sizes add up to {total} %; make them add up to 100 %."
        self.counts.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.train.value() + self.dev.value() + self.test.value() == 100


class ReportPage(WizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Check before importing")
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setTextFormat(Qt.TextFormat.RichText)
        self.repeats = QLabel()
        self.repeats.setWordWrap(True)
        self.repeats.setStyleSheet("QLabel { background: #fff6e0; color: #1d1d1d; border-left: 5px solid #b26a00; "
                                   "padding: 6px 8px; }")
        self.remove_repeats = QCheckBox(messages.DUPLICATES_REMOVE)
        self.skip = QCheckBox()
        self.skip.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.report)
        layout.addWidget(self.repeats)
        layout.addWidget(self.remove_repeats)
        layout.addWidget(self.skip)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")

    def initializePage(self) -> None:  # noqa: N802
        plan = self.w.plan
        assert plan is not None
        r = plan.report
        t = plan.table
        source = plan.path.name + (f" ({t.sheet_words()})" if t.sheet else "")
        lines = [f"<p><b>{r.total}</b> rows read from {html.escape(source)}.</p>"]
        if t.hidden_note():
            lines.append(f"<p>{html.escape(t.hidden_note())} {html.escape(messages.XLSX_HIDDEN_SHEETS_BACK)}</p>")
        lines += [f"<p style='color:#b00020'>✗ {html.escape(i.message)}</p>" for i in r.errors]
        lines += [f"<p>⚠ {html.escape(i.message)}</p>" for i in r.warnings]
        if r.ok and not r.warnings:
            lines.append("<p>✓ No problems found.</p>")
        self.report.setText("".join(lines))
        repeated = len(repeated_lines(plan))
        if repeated:
            shared = self.shared_questions(plan)
            text = messages.DUPLICATES_BEFORE_IMPORT.format(rows=repeated)
            self.repeats.setText(text + (" " + messages.DUPLICATES_LEAK.format(shared=shared) if shared else ""))
        self.repeats.setVisible(repeated > 0)
        self.remove_repeats.setVisible(repeated > 0)
        self.remove_repeats.setChecked(repeated > 0)
        blocked = len(r.blocked_lines)
        self.skip.setText(f"Leave out the {blocked} row(s) with problems and import the rest")
        self.skip.setVisible(blocked > 0)
        self.skip.setChecked(False)

    def shared_questions(self, plan: ImportPlan) -> int:
        """Repeated questions that, with the chosen sizes and shuffle, would sit in two groups."""
        return shared_questions(plan, scorer=self.w.chosen_scorer(), split=self.w.split_page.spec(),
                                seed=self.w.split_page.seed.value())

    def isComplete(self) -> bool:  # noqa: N802
        return self.w.plan is not None and (self.w.plan.report.ok or self.skip.isChecked())


class ProgressPage(WizardPage):
    _progress = Signal(int, int)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Importing")
        self.bar = QProgressBar()
        self.status = plain_label(QLabel())  # it names the task
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

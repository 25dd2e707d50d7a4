"""Compare runs on the Results page: another run on the same task, chosen by its model and
date, compared by what each keeps (core `run_compare.compare_kept`)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from debop_desktop.core import messages
from debop_desktop.core.optimizer.report import RunSummary
from debop_desktop.core.optimizer.run_compare import KeptComparison, compare_kept, plain_method
from debop_desktop.core.store import Store
from debop_desktop.ui.verdict_banner import verdict_colours


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Cells are HTML already escaped by the caller."""
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    titles = "".join(f"<th>{h}</th>" for h in head)
    return f"<table border='1' cellspacing='0' cellpadding='4'><tr>{titles}</tr>{cells}</table>"


def _verdict_cell(label: str | None) -> str:
    background, accent = verdict_colours(label)
    text = html.escape(messages.VERDICT_SHORT.get(label, messages.VERDICT_SHORT[None]))
    return f"<span style='background-color:{background}; color:{accent}'><b>&nbsp;{text}&nbsp;</b></span>"


def comparison_html(c: KeptComparison) -> str:
    """What each run keeps first, then every behavior's score, then the settings that differ."""
    a, b = (html.escape(n) for n in c.names())
    head = ("", a, b)

    def score(side) -> str:
        if side.right is None:
            return "—"
        return f"{side.right / side.total:.0%} ({side.right} of {side.total})" if side.total else "—"

    kept = [(html.escape(messages.COMPARE_ROW_KEPT), html.escape(c.a.kept_name), html.escape(c.b.kept_name)),
            (html.escape(messages.COMPARE_ROW_SCORE), score(c.a), score(c.b)),
            (html.escape(messages.COMPARE_ROW_VERDICT), _verdict_cell(c.a.verdict), _verdict_cell(c.b.verdict))]
    text = f"<h3>{html.escape(messages.COMPARE_TITLE.format(task=c.a.task))}</h3>" + _table(head, kept)
    if c.shared:
        text += "<p>" + html.escape(messages.COMPARE_SAME_QUESTIONS.format(
            n=c.shared, both=c.both_right, a=c.short_names()[0], b=c.short_names()[1], only_a=c.only_a,
            only_b=c.only_b,
            neither=c.both_wrong)) + "</p>"
    text += f"<h3>{html.escape(messages.COMPARE_EVERY_BEHAVIOR)}</h3>" + _table(
        head, [(html.escape(plain_method(m)), _pct(x), _pct(y)) for m, x, y in c.methods])
    text += f"<h3>{html.escape(messages.COMPARE_DIFFERS)}</h3>"
    if not c.settings:
        return text + f"<p>{html.escape(messages.COMPARE_SAME_SETTINGS)}</p>"
    return text + _table((html.escape(messages.COMPARE_SETTING), a, b),
                         [tuple(html.escape(v) for v in row) for row in c.settings])


class RunCompareView(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.run_id: int | None = None
        self.choice = QComboBox()
        self.text = QTextBrowser()
        choose = QHBoxLayout()
        choose.addWidget(QLabel(messages.COMPARE_WITH))
        choose.addWidget(self.choice, 1)
        column = QVBoxLayout(self)
        column.addLayout(choose)
        column.addWidget(self.text)
        self.choice.currentIndexChanged.connect(self._compare)

    def set_runs(self, selected: RunSummary | None, runs: Sequence[RunSummary]) -> None:
        """Offer every other run on `selected`'s task that has a final exam, by model and date."""
        self.run_id = selected.id if selected is not None else None
        self.choice.blockSignals(True)
        self.choice.clear()
        def name(r: RunSummary) -> str:
            return messages.COMPARE_RUN_NAME.format(model=r.model or "?", date=r.created)

        for r in runs:
            if selected is not None and r.id != selected.id and r.dataset == selected.dataset \
                    and r.kept_test is not None:
                twin = sum(name(o) == name(r) for o in runs if o.dataset == r.dataset) > 1
                self.choice.addItem(name(r) + (f" (#{r.id})" if twin else ""), r.id)
                self.choice.setItemData(self.choice.count() - 1, f"Run {r.id}, {r.preset or 'custom'}",
                                        Qt.ItemDataRole.ToolTipRole)
        self.choice.blockSignals(False)
        self._compare()

    def _compare(self) -> None:
        other = self.choice.currentData()
        if self.run_id is None or other is None:
            self.text.setHtml(f"<p>{html.escape(messages.COMPARE_NONE)}</p>")
            return
        self.text.setHtml(comparison_html(compare_kept(self.store, self.run_id, other)))

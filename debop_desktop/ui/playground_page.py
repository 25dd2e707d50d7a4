"""The Playground: pick a finished run, ask a question, and read the untuned and the tuned
answers side by side as they are written. Stop ends the answer being written."""

from __future__ import annotations

import html
import random
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.llm.host import model_host
from debop_desktop.core.optimizer.demos import readable_output
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.playground import PlaygroundAnswer, ask_both, playground_runs
from debop_desktop.core.optimizer.report import run_view
from debop_desktop.core.runtime import open_model
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store
from debop_desktop.ui.background import run_in_background
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.model_swap import confirm_model_swap
from debop_desktop.ui.plain_text import plain_label
from debop_desktop.ui.verdict_banner import VerdictBanner

TITLES = {"untuned": "Before tuning (plain prompting)", "tuned": "With the tuned behavior"}


class AnswerPane(QGroupBox):
    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.answer)

    def clear(self, waiting: str) -> None:
        self.text.clear()
        self.answer.setText(waiting)

    def append(self, chunk: str) -> None:
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)
        self.text.insertPlainText(chunk)


class PlaygroundPage(QWidget):
    _chunk = Signal(str, str)  # side, text; emitted on the worker thread
    _loaded = Signal(str)  # the model's name, once loaded; emitted on the worker thread
    model_in_use = Signal(str)  # the loaded model's name, "" once let go

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.run_box = QComboBox()
        self.verdict = VerdictBanner()  # the run's verdict first, as on the Results page
        self.run_box.currentIndexChanged.connect(self._run_changed)
        self._shown_run: int | None = None  # the run whose answers the panes may show
        self.question = QPlainTextEdit()
        self.question.setPlaceholderText("Type a question for your task, then press Ask (Ctrl+Enter).")
        self.question.textChanged.connect(lambda: self.expected.clear() if not self.question.toPlainText() else None)
        self.question.setMaximumHeight(70)
        self.expected = plain_label(QLabel())  # the task's answer, as written
        self.ask_button, self.stop_button = QPushButton("Ask"), QPushButton("Stop")
        self.ask_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.sample_button = QPushButton("Use a final exam question")
        self.apply_button = QPushButton("Use on a file…")  # every row of a file, answered (ui/apply_dialog.py)
        self.apply_dialog = None
        self.status = plain_label(QLabel())
        self.status.setWordWrap(True)
        self.panes = {side: AnswerPane(title) for side, title in TITLES.items()}
        self.model_name = ""
        self.cancel_token: CancelToken | None = None
        self.busy = False
        self.blocked_reason = ""
        form = QFormLayout()
        form.addRow("Run", self.run_box)
        form.addRow("Question", self.question)
        form.addRow("", self.expected)
        buttons = QHBoxLayout()
        for b in (self.ask_button, self.stop_button, self.sample_button, self.apply_button):
            buttons.addWidget(b)
        buttons.addWidget(self.status, 1)
        answers = QHBoxLayout()
        answers.addWidget(self.panes["untuned"])
        answers.addWidget(self.panes["tuned"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addLayout(answers, 1)
        self._chunk.connect(self._on_chunk)
        self._loaded.connect(self.model_in_use)  # delivered on the UI thread
        self.ask_button.clicked.connect(self.ask)
        self.stop_button.clicked.connect(self.stop)
        self.sample_button.clicked.connect(self.use_test_question)
        self.apply_button.clicked.connect(lambda _checked=False: self.use_on_file())
        self.refresh()

    def refresh(self) -> None:
        current = self.run_box.currentData()
        self.run_box.blockSignals(True)  # rebuilding the list is not choosing another run
        self.run_box.clear()
        for run in playground_runs(self.store):
            self.run_box.addItem(run.label, run.run_id)
        if current is not None and self.run_box.findData(current) >= 0:
            self.run_box.setCurrentIndex(self.run_box.findData(current))
        self.run_box.blockSignals(False)
        self._run_changed()
        self._update()

    def _run_changed(self) -> None:
        """Another run chosen: its verdict, and no answers of the previous run under its name."""
        self._show_verdict()
        if self.run_box.currentData() == self._shown_run:
            return
        self._shown_run = self.run_box.currentData()
        self.stop()
        for pane in self.panes.values():
            pane.clear("")
        self.status.clear()  # e.g. "its model was removed" was said of the other run
        self._update()

    def _show_verdict(self) -> None:
        run_id = self.run_box.currentData()
        view = run_view(self.store, run_id) if run_id is not None else None
        self.verdict.show_view(view)
        self.panes["tuned"].setTitle(TITLES["tuned"] if view is None or view.shipped == "tuned" else
                                     messages.PLAYGROUND_SHIPPED_TITLE.format(name=view.shipped_name))

    def _update(self) -> None:
        has_run = self.run_box.count() > 0
        self.ask_button.setEnabled(has_run and not self.busy and not self.blocked_reason)
        self.sample_button.setEnabled(has_run and not self.busy)
        self.apply_button.setEnabled(has_run and not self.busy)
        self.stop_button.setEnabled(self.busy)
        if not has_run:
            self.status.setText("No finished run yet. Run an optimization on the Optimize page, then try it here.")
        elif self.blocked_reason and not self.busy:
            self.status.setText(self.blocked_reason)

    def use_on_file(self):
        """The Results page's 'Use on a file…' for the run chosen here."""
        from debop_desktop.ui.apply_dialog import FILE_FILTER, ApplyDialog

        run_id = self.run_box.currentData()
        path = QFileDialog.getOpenFileName(self, "Use the tuned behavior on a file", "", FILE_FILTER)[0] \
            if run_id is not None else ""
        if path:
            self.apply_dialog = ApplyDialog(str(self.store.path), run_id, path, self)
            self.apply_dialog.show()
        return self.apply_dialog

    def set_blocked(self, reason: str) -> None:
        """An optimization holds the model: wait for it (and let go of ours to save memory)."""
        self.blocked_reason = reason
        if reason:
            self.stop()  # the run shares the loaded model (core/llm/host.py); nothing to unload
        else:
            self.status.clear()
        self._update()

    def use_test_question(self) -> None:
        run_id = self.run_box.currentData()
        if run_id is None:
            return
        dataset_id = load_tuned(self.store, run_id).run["dataset_id"]
        test = DatasetRepository(self.store).examples(dataset_id, split="test")
        if test:
            example = random.choice(test)
            self.question.setPlainText(example.input)
            self.expected.setText(f"Expected answer (from the final exam): {example.answer}")

    def ask(self) -> Any:
        run_id, question = self.run_box.currentData(), self.question.toPlainText().strip()
        if run_id is None or not question or self.busy:
            return None
        model_id = load_tuned(self.store, run_id).run["model_id"]
        if model_id is None:
            self.status.setText("The model this run used has been removed from the library.")
            return None
        record = ModelLibrary(self.store).get(model_id)
        if not confirm_model_swap(self, record):
            return None
        self.model_name = record.name
        self.busy, self.cancel_token = True, CancelToken()
        self.panes["untuned"].clear("Writing…")
        self.panes["tuned"].clear("Waiting for the first answer…")
        if not model_host().holds(record.path):
            self.status.setText("Loading the model…")
        self._update()
        db_path, cancel = self.store.path, self.cancel_token

        def on_text(side: str, text: str) -> None:
            if not cancel.cancelled:  # a stopped answer's last words never reach the next one
                self._chunk.emit(side, text)

        def work() -> list[PlaygroundAnswer]:
            store = Store(db_path, migrate=False)  # one connection per thread
            opened = None
            try:
                # the app's one model owner: shared with a run and Say hello, never loaded twice
                opened = open_model(record, Settings(store), user="playground")
                if not cancel.cancelled:
                    self._loaded.emit(record.name)  # the status bar names it now, not once answered
                return ask_both(store, run_id, question, opened.backend, on_text=on_text, cancel=cancel)
            finally:
                if opened is not None:
                    opened.release()
                store.close()

        def if_current(callback: Any) -> Any:  # a stopped question (another run chosen since) changes nothing
            return lambda value: callback(value) if cancel is self.cancel_token and not cancel.cancelled else None

        return run_in_background(work, if_current(self._answered), if_current(self._failed_or_stopped))

    def _on_chunk(self, side: str, text: str) -> None:
        if not self.busy:
            return  # stopped: the last token of a cancelled answer may still arrive
        if side == "tuned" and self.panes["tuned"].answer.text() != "Writing…":
            self.panes["untuned"].answer.setText("Done.")
            self.panes["tuned"].answer.setText("Writing…")
        if self.status.text().startswith("Loading"):
            self.status.setText("")
        self.panes[side].append(text)

    def _answered(self, answers: list[PlaygroundAnswer]) -> None:
        self._done()
        self.model_in_use.emit(self.model_name)
        for a in answers:
            found = a.answer if a.answer is not None else messages.PLAYGROUND_NO_ANSWER
            self.panes[a.side].text.setPlainText(readable_output(a.output))
            said = messages.PLAYGROUND_ANSWER if a.asks_model else messages.PLAYGROUND_ANSWER_NO_CALL
            self.panes[a.side].answer.setText(said.format(  # a model's answer may hold "<"
                answer=html.escape(found), pieces=a.tokens, seconds=a.seconds))

    def _failed_or_stopped(self, exc: BaseException) -> None:
        self._done()
        show_error(self, exc)

    def _done(self) -> None:
        self.busy = False
        if self.cancel_token is not None and self.cancel_token.cancelled:
            for pane in self.panes.values():
                if pane.answer.text() in ("Writing…", "Waiting for the first answer…"):
                    pane.answer.setText("Stopped.")
        self._update()

    def stop(self) -> None:
        if self.busy and self.cancel_token is not None:
            self.cancel_token.cancel()
            self._done()  # the worker ends silently at the next token

    def release_model(self, wait: bool = False) -> None:
        """Unload the app's model (on closing, `wait`; otherwise off the UI thread, since
        unloading waits for an answer being written to finish)."""
        self.model_in_use.emit("")
        if wait:
            model_host().unload()
        else:
            run_in_background(model_host().unload, lambda _r: None, lambda _e: None)

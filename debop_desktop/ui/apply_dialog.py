"""'Use on a file…': answer every row of a person's file with a run's shipped behavior.

The file is read and its question columns matched off the UI thread (core/apply
`preview_apply`); Start runs `apply_job` through a `RunController` (pause between batches,
resume, stop within one token; a stopped or closed job continues on the next start with the
same file). When it is done, *Open the file* opens the answers in the person's own program.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.apply import ApplyFinished, ApplyProgress, ApplyStarted, apply_job
from debop_desktop.core.apply.answering import write_answers_now
from debop_desktop.core.apply.plan import ApplyPreview, preview_apply
from debop_desktop.ui.background import run_in_background
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.plain_text import plain_label
from debop_desktop.ui.run_controller import RunController

FILE_FILTER = "Tables (*.csv *.tsv *.txt *.xlsx *.json *.jsonl);;All files (*)"


class ApplyController(RunController):
    """A RunController for answering a file: its progress is kept and delivered throttled."""

    def _on_event(self, event: object) -> None:
        if isinstance(event, ApplyProgress):
            self._latest = event  # type: ignore[assignment]
        else:
            self._flush_progress()
            self.event.emit(event)


class ApplyDialog(QDialog):
    def __init__(self, db_path: str, run_id: int, input_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path, self.run_id, self.input_path = db_path, run_id, input_path
        self.output_path: str | None = None
        self.saved_path: str | None = None
        self.preview: ApplyPreview | None = None
        self.setWindowTitle(f"Use run {run_id} on a file")
        self.file_label = plain_label(QLabel(f"Reading {input_path}…"))
        self.columns = QListWidget()
        self.columns.setToolTip("The columns whose text is the question (several are joined as 'Name: value').")
        self.columns.setMaximumHeight(120)
        self.note = plain_label(QLabel(""))
        self.target = plain_label(QLabel(""))
        for label in (self.file_label, self.note, self.target):
            label.setWordWrap(True)
        self.bar = QProgressBar()
        self.status = plain_label(QLabel(""))
        self.start_button, self.pause_button = QPushButton("Start"), QPushButton("Pause")
        self.stop_button, self.open_button = QPushButton("Stop"), QPushButton("Open the file")
        self.save_button = QPushButton("Save the answers so far")
        self.save_button.setToolTip("Write the file now with the rows answered so far (the rest stay empty); "
                                    "the job goes on and writes it again when it is done.")
        self.job_id: int | None = None
        self.close_button = QPushButton("Close")
        self.controller = ApplyController(self)
        self._layout()
        self._wire()
        self._set_buttons("reading")
        run_in_background(lambda: preview_apply(db_path, run_id, input_path), self._previewed, self._failed)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(QLabel("Question columns:"))
        layout.addWidget(self.columns)
        layout.addWidget(self.note)
        layout.addWidget(self.target)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button, self.save_button, self.open_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.resize(620, 420)

    def _wire(self) -> None:
        self.start_button.clicked.connect(lambda _checked=False: self.start())
        self.pause_button.clicked.connect(lambda _checked=False: self._pause_or_resume())
        self.stop_button.clicked.connect(lambda _checked=False: self.controller.cancel())
        self.open_button.clicked.connect(lambda _checked=False: self.open_output())
        self.save_button.clicked.connect(lambda _checked=False: self.save_so_far())
        self.close_button.clicked.connect(lambda _checked=False: self.close())
        self.columns.itemChanged.connect(lambda _item: self._columns_changed())
        self.controller.event.connect(self._on_event)
        self.controller.progress.connect(self._on_progress)
        self.controller.failed.connect(self._failed)
        self.controller.state_changed.connect(self._on_state)

    def _previewed(self, preview: ApplyPreview) -> None:
        self.preview = preview
        self.file_label.setText(f"{preview.path}: {preview.rows} rows.")
        self.columns.blockSignals(True)
        for header in preview.headers:
            item = QListWidgetItem(header)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if header in preview.columns else Qt.CheckState.Unchecked)
            self.columns.addItem(item)
        self.columns.blockSignals(False)
        self.note.setText(preview.problem or messages.APPLY_COLUMNS_USED.format(
            columns=", ".join(f"'{c}'" for c in preview.columns), rows=preview.rows))
        self.target.setText(messages.APPLY_TARGET.format(path=preview.output))
        self.bar.setRange(0, max(preview.rows, 1))
        self._set_buttons("ready")

    def chosen_columns(self) -> list[str]:
        return [self.columns.item(i).text() for i in range(self.columns.count())
                if self.columns.item(i).checkState() == Qt.CheckState.Checked]

    def _columns_changed(self) -> None:
        self.start_button.setEnabled(bool(self.chosen_columns()) and not self.controller.running)

    def start(self) -> None:
        columns = self.chosen_columns()
        if not columns or self.controller.running:
            return
        self.status.setText("Loading the model…")
        self.controller.start_job(apply_job, self.db_path, self.run_id, self.input_path, columns=columns)

    def _pause_or_resume(self) -> None:
        if self.controller.state == "paused":
            self.controller.resume()
        else:
            self.controller.pause()

    def _on_event(self, event: object) -> None:
        match event:
            case ApplyStarted():
                self.job_id = event.job_id
                self.save_button.setEnabled(True)
                self.status.setText(event.message)
                self.target.setText(messages.APPLY_TARGET.format(path=event.output_path))
                self.bar.setRange(0, max(event.total, 1))
                self.bar.setValue(event.already_done)
            case ApplyFinished():
                self.status.setText(event.message)
                self.bar.setValue(event.done)
                if event.status == "finished":
                    self.output_path = event.output_path

    def _on_progress(self, progress: ApplyProgress) -> None:
        self.bar.setValue(progress.done)
        left = progress.time_left_words()
        self.status.setText(f"{progress.done} of {progress.total} rows" + (f", {left}" if left else "") + ".")

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("")
        show_error(self, exc)
        self._set_buttons("ready" if self.preview else "reading")

    def _on_state(self, state: str) -> None:
        self._set_buttons(state)

    def _set_buttons(self, state: str) -> None:
        working = state in ("running", "paused", "stopping")
        self.start_button.setEnabled(state in ("ready", "idle") and bool(self.chosen_columns())
                                     and self.output_path is None)
        self.start_button.setText("Continue" if state == "idle" and self.output_path is None and
                                  self.bar.value() > 0 else "Start")
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.stop_button.setEnabled(state in ("running", "paused"))
        self.open_button.setEnabled(not working and self.output_path is not None)
        self.save_button.setEnabled(self.job_id is not None and self.output_path is None)
        self.columns.setEnabled(not working)

    def save_so_far(self) -> None:
        """Write the file as it stands, off the UI thread; then it can be opened."""
        if self.job_id is None:
            return
        job_id = self.job_id

        def saved(path: str) -> None:
            self.target.setText(messages.APPLY_SAVED_SO_FAR.format(path=path))
            self.saved_path = path

        run_in_background(lambda: write_answers_now(self.db_path, job_id), saved, self._failed)

    def open_output(self) -> None:
        if self.output_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.output_path))))

    def stop_and_wait(self) -> None:
        """Stop the job and let it record its end (the main window is closing)."""
        if self.controller.running:
            self.controller.cancel()
            while self.controller.running:
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Closing stops the job; it continues from the first row not answered next time."""
        if self.controller.running:
            self.controller.cancel()
        super().closeEvent(event)


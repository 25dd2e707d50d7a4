"""Compare models on one task: choose the models and a target, watch each model's run, read
one table, a chart and the recommendation (issue 24).

The comparison runs off the UI thread through the same `RunController` as a run (cancel is a
stop, resumable); this window only reads the core's `comparison_view` and draws it."""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.compare.cells import COLUMNS, view_cells
from debop_desktop.core.compare.events import ComparisonFinished, ModelDone, ModelSkipped, ModelStarting
from debop_desktop.core.compare.job import comparison_job
from debop_desktop.core.compare.records import ComparisonStore
from debop_desktop.core.compare.table import ComparisonView, comparison_view
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.optimizer.config import PRESETS
from debop_desktop.core.optimizer.events import Progress, StageChanged
from debop_desktop.core.store import Store
from debop_desktop.core.units import human_bytes
from debop_desktop.ui.compare_chart import CompareChart
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.run_controller import RunController
from debop_desktop.ui.tables import RowsModel, make_table


class CompareDialog(QDialog):
    def __init__(self, store: Store, dataset_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.dataset_id = store, dataset_id
        self.records = ComparisonStore(store)
        self.controller = RunController(self)
        self.job_args: dict[str, Any] = {}  # passed to comparison_job (tests drive scripted models)
        self.view: ComparisonView | None = None
        task = DatasetRepository(store).get(dataset_id).name
        self.setWindowTitle(messages.COMPARE_TITLE.format(task=task))
        self._build()
        self._fill_models()
        latest = self.records.list(dataset_id)
        self.comparison_id: int | None = latest[0].id if latest else None
        if latest:
            self._show_settings(latest[0].id)
        self.refresh()
        self._update_buttons(self.controller.state)

    # -- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        """The choices and buttons on the left, the sentence and chart on the right, the table
        below at full width (every column in view)."""
        intro = QLabel(messages.COMPARE_INTRO)
        intro.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self._upper_half())
        split.addWidget(self._build_table())
        split.setSizes([460, 130])
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addWidget(split, 1)
        self._connect()
        self.resize(1000, 640)

    def _upper_half(self) -> QWidget:
        top = QHBoxLayout()
        top.addWidget(self._build_controls())
        top.addWidget(self._build_chart_column(), 1)
        upper = QWidget()
        upper.setLayout(top)
        return upper

    def _build_controls(self) -> QWidget:
        """Which models, how long, the target, Start/Resume/Stop and where the comparison stands."""
        self.models = QListWidget()
        self.start_button = QPushButton(messages.COMPARE_START)
        self.resume_button = QPushButton(messages.COMPARE_RESUME)
        self.stop_button = QPushButton(messages.COMPARE_STOP)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.resume_button, self.stop_button):
            buttons.addWidget(b)
        self.status = QLabel(messages.COMPARE_EMPTY)
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        left = QVBoxLayout()
        left.addWidget(QLabel(messages.COMPARE_MODELS_LABEL))
        left.addWidget(self.models, 1)
        left.addLayout(self._build_settings())
        left.addLayout(buttons)
        left.addWidget(self.status)
        left.addWidget(self.progress)
        controls = QWidget()
        controls.setLayout(left)
        controls.setMaximumWidth(330)
        return controls

    def _build_settings(self) -> QFormLayout:
        self.preset_box = QComboBox()
        for key in PRESETS:
            self.preset_box.addItem(messages.PRESET_NAMES.get(key, key), key)
        self.first_look = QCheckBox(messages.COMPARE_FIRST_LOOK)
        self.first_look.setToolTip(messages.COMPARE_FIRST_LOOK_TOOLTIP)
        self.first_look.setChecked(True)
        self.target = QSpinBox()
        self.target.setRange(0, 100)
        self.target.setSuffix(" %")
        self.target.setSpecialValueText(messages.COMPARE_TARGET_NONE)
        self.target.setToolTip(messages.COMPARE_TARGET_TOOLTIP)
        self.prefer = _combo(messages.COMPARE_PREFER)
        form = QFormLayout()
        form.addRow(messages.COMPARE_HOW_LONG, self.preset_box)
        form.addRow(self.first_look)
        form.addRow(messages.COMPARE_TARGET_LABEL, self.target)
        form.addRow(messages.COMPARE_PREFER_LABEL, self.prefer)
        return form

    def _build_chart_column(self) -> QWidget:
        """The recommendation sentence, its notes, and the chart with its choice of axis."""
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setTextFormat(Qt.TextFormat.RichText)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.chart = CompareChart()
        self.axis = _combo(messages.COMPARE_CHART_X)
        axis_row = QHBoxLayout()
        axis_row.addStretch(1)
        axis_row.addWidget(QLabel(messages.COMPARE_CHART_AXIS))
        axis_row.addWidget(self.axis)
        chart_box = QWidget()
        chart_column = QVBoxLayout(chart_box)
        chart_column.setContentsMargins(0, 0, 0, 0)
        chart_column.addWidget(self.sentence)
        chart_column.addWidget(self.notes)
        chart_column.addWidget(self.chart, 1)
        chart_column.addLayout(axis_row)
        return chart_box

    def _build_table(self) -> QWidget:
        self.table_model = RowsModel(list(COLUMNS), self, tooltips=list(messages.COMPARE_COLUMN_HELP))
        self.table = make_table(self.table_model, stretch=(0,))
        return self.table

    def _connect(self) -> None:
        self.start_button.clicked.connect(lambda: self.start())
        self.resume_button.clicked.connect(lambda: self.resume())
        self.stop_button.clicked.connect(self.controller.cancel)
        self.target.valueChanged.connect(self._goal_changed)
        self.prefer.currentIndexChanged.connect(self._goal_changed)
        self.axis.currentIndexChanged.connect(lambda: self.chart.set_x_axis(self.axis.currentData()))
        self.controller.event.connect(self._on_event)
        self.controller.progress.connect(self._on_progress)
        self.controller.failed.connect(lambda exc: show_error(self, exc))
        self.controller.finished.connect(lambda _result: self.refresh())
        self.controller.state_changed.connect(self._update_buttons)

    def _fill_models(self) -> None:
        for record in ModelLibrary(self.store).list():
            size = f"  ({human_bytes(record.size_bytes)})" if record.size_bytes else messages.MODEL_ON_SERVER
            item = QListWidgetItem(record.name + size)
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.models.addItem(item)

    def _show_settings(self, comparison_id: int) -> None:
        """Tick the models and set the fields of an earlier comparison, so Resume and the
        recommendation read as they were left."""
        c = self.records.get(comparison_id)
        chosen = {e.model_id for e in c.entries}
        for i in range(self.models.count()):
            item = self.models.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen
                               else Qt.CheckState.Unchecked)
        self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(c.preset)))
        self.first_look.setChecked(c.first_look)
        self.target.blockSignals(True)  # the comparison's own goal, not a change of it
        self.target.setValue(round((c.target or 0) * 100))
        self.target.blockSignals(False)
        self.prefer.blockSignals(True)
        self.prefer.setCurrentIndex(max(0, self.prefer.findData(c.prefer)))
        self.prefer.blockSignals(False)

    # -- actions ----------------------------------------------------------------------
    def chosen_models(self) -> list[int]:
        return [self.models.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.models.count())
                if self.models.item(i).checkState() == Qt.CheckState.Checked]

    def target_share(self) -> float | None:
        return self.target.value() / 100 if self.target.value() else None

    def start(self) -> int | None:
        """A new comparison of the ticked models with these settings; its number."""
        if self.controller.running:
            return None
        ids = self.chosen_models()
        if len(ids) < 2:
            self.status.setText(messages.COMPARE_PICK_TWO)
            return None
        preset = self.preset_box.currentData()
        config = replace(PRESETS[preset], search=not self.first_look.isChecked())
        self.comparison_id = self.records.create(self.dataset_id, ids, config, preset=preset,
                                                 target=self.target_share(), prefer=self.prefer.currentData())
        self._run()
        return self.comparison_id

    def resume(self) -> None:
        if self.comparison_id is not None and not self.controller.running:
            self._run()

    def _run(self) -> None:
        self.status.setText(messages.COMPARE_STARTING)
        self.progress.setValue(0)
        self.refresh()
        self.controller.start_job(comparison_job, Path(self.store.path), self.comparison_id, **self.job_args)

    def _goal_changed(self) -> None:
        """A new target or preference changes the recommendation, never the runs."""
        if self.comparison_id is not None:
            self.records.set_goal(self.comparison_id, self.target_share(), self.prefer.currentData())
        self.refresh()

    # -- what the comparison says -------------------------------------------------------
    def _on_event(self, event: Any) -> None:
        match event:
            case ModelStarting():
                template = messages.COMPARE_MODEL_RESUMING if event.resumed else messages.COMPARE_MODEL_STARTING
                self.status.setText(template.format(n=event.position + 1, count=event.count, model=event.model))
                self.progress.setValue(0)
            case StageChanged():
                self.progress.setFormat(event.message)
                self.progress.setToolTip(event.message)
            case ModelSkipped() | ModelDone():
                self.refresh()
            case ComparisonFinished():
                self.status.setText(messages.COMPARE_FINISHED if event.status == "finished" else event.message)
                if event.status == "finished":  # the last run's own progress stops short of its end
                    self.progress.setValue(self.progress.maximum())
                self.refresh()

    def _on_progress(self, event: Progress) -> None:
        self.progress.setMaximum(max(event.total, 1))
        self.progress.setValue(min(event.done, event.total))

    def refresh(self) -> None:
        """Read the comparison again and redraw the table, the chart and the sentence."""
        if self.comparison_id is None:
            self.view = None
            self.table_model.set_rows([], [])
            self.chart.set_view(None)
            self.sentence.setText("")
            self.notes.setText("")
            return
        self.view = comparison_view(self.store, self.comparison_id, target=self.target_share(),
                                    prefer=self.prefer.currentData())
        self.table_model.set_rows(view_cells(self.view), [r.position for r in self.view.rows])
        self.chart.set_view(self.view, self.target_share())
        self.sentence.setText(f"<b>{html.escape(self.view.recommendation.sentence)}</b>")
        self.notes.setText("\n".join(self.view.recommendation.warnings))

    def _update_buttons(self, state: str) -> None:
        running = state != "idle"
        status = self.records.get(self.comparison_id).status if self.comparison_id is not None else None
        self.start_button.setEnabled(not running)
        self.resume_button.setEnabled(not running and status in ("cancelled", "running", "created"))
        self.stop_button.setEnabled(running and state != "stopping")
        self.models.setEnabled(not running)

    def stop_and_wait(self) -> None:
        """Stop the comparison, let its run record its end, and close (the main window is closing)."""
        self._stop_and_wait()
        self.close()

    def _stop_and_wait(self) -> None:
        """Cooperative: the run stops between two answers, everything answered is kept, and
        Resume (or `debop compare --resume`) continues it."""
        if self.controller.running:
            self.controller.cancel()
            while self.controller.running:
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing stops the comparison; what was done is kept and Resume continues it."""
        self._stop_and_wait()
        super().closeEvent(event)


def _combo(choices: dict[str, str]) -> QComboBox:
    """A drop-down of `choices`' words, each carrying its key."""
    box = QComboBox()
    for key, words in choices.items():
        box.addItem(words, key)
    return box

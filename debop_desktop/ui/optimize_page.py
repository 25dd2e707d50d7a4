"""The Optimize page: choose a model, a task and how long to tune; run, pause, resume, cancel;
watch the tree of tries grow; click a try to read it; at the end, the verdict and a way on."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.optimizer.config import PRESET_DESCRIPTIONS, PRESETS, OptimizerConfig, estimate_for
from debop_desktop.core.optimizer.eta import no_progress_words, time_left_words
from debop_desktop.core.optimizer.events import (
    BestImproved,
    Event,
    NodeAdded,
    NodeScored,
    RunFinished,
    RunStarted,
    StageChanged,
)
from debop_desktop.core.optimizer.events import Warning as RunWarning
from debop_desktop.core.optimizer.report import list_runs, run_view
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.runtime import parallel_for
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store
from debop_desktop.ui.advanced_form import AdvancedForm
from debop_desktop.ui.demo_view import node_html, node_technical
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.plain_text import plain_label
from debop_desktop.ui.reward_chart import RewardChart
from debop_desktop.ui.run_controller import RunController
from debop_desktop.ui.search_tree import SearchTreeView
from debop_desktop.ui.verdict_banner import verdict_style


class OptimizePage(QWidget):
    show_result = Signal(int)  # run id: "See the result" was pressed

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.controller = RunController(self)
        self.run_id: int | None = None
        self._headline = ""  # what the run is doing (its last stage), said again at once on Resume
        self.model_box, self.task_box, self.preset_box = QComboBox(), QComboBox(), QComboBox()
        for key in PRESETS:
            self.preset_box.addItem(messages.PRESET_NAMES.get(key, key), key)
            self.preset_box.setItemData(self.preset_box.count() - 1, PRESET_DESCRIPTIONS.get(key, ""),
                                        Qt.ItemDataRole.ToolTipRole)  # the technical description
        self.estimate = QLabel()
        self.estimate.setWordWrap(True)
        self.advanced = AdvancedForm()
        self.advanced.toggled.connect(self._update_estimate)
        self.advanced.changed.connect(self._update_estimate)
        self.start_button, self.pause_button = QPushButton("Start"), QPushButton("Pause")
        self.cancel_button = QPushButton("Cancel")
        self.start_button.setShortcut("Ctrl+R")
        self.stage = plain_label(QLabel(messages.OPTIMIZE_IDLE))  # a headline may quote the task's answers
        self.stage.setWordWrap(True)
        self.result_button = QPushButton("See the result")
        self.result_button.hide()
        self.bar = QProgressBar()
        self.speed = QLabel()
        self._progress, self._progress_at, self._paused_at = None, 0.0, None  # the last Progress, when it came
        self._ticker = QTimer(self)  # between events the time left ticks down (eta.time_left_now)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_progress_line)
        self.warnings = QListWidget()
        self.warnings.setMaximumHeight(70)
        self.warnings.setWordWrap(True)
        self.bar.hide()  # both appear with a run: an empty bar and an empty list only puzzle
        self.warnings.hide()
        self.tree = SearchTreeView()
        self.details = QTextBrowser()
        self._clear_details()
        self.chart = RewardChart()
        self._layout()
        self.preset_box.currentIndexChanged.connect(lambda _i: self._preset_changed(self.preset()))
        self.task_box.currentIndexChanged.connect(self._update_estimate)
        self.model_box.currentIndexChanged.connect(self._update_estimate)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.controller.event.connect(self._on_event)
        self.controller.progress.connect(self._on_progress)
        self.controller.failed.connect(lambda exc: show_error(self, exc))
        self.controller.state_changed.connect(self._on_state)
        self.tree.node_clicked.connect(self.show_node)
        self.result_button.clicked.connect(self._see_result)
        self.refresh_choices()
        self._preset_changed("quick")
        self._on_state("idle")
        self.show_last_run()

    def _layout(self) -> None:
        top = QFormLayout()
        labels = messages.OPTIMIZE_LABELS
        top.addRow(labels["model"], self.model_box)
        top.addRow(labels["task"], self.task_box)
        top.addRow(labels["preset"], self.preset_box)
        top.labelForField(self.preset_box).setToolTip(messages.OPTIMIZE_PRESET_HELP)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.estimate)
        left.addLayout(buttons)
        scroll = QScrollArea()
        holder = QWidget()  # keeps the Advanced box at its own height, at the top
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.advanced)
        column.addStretch(1)
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.addWidget(scroll, 1)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        status = QHBoxLayout()
        status.addWidget(self.stage, 1)
        status.addWidget(self.result_button)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.details)
        side.addWidget(self.chart)
        side.setSizes([330, 270])
        splitter.addWidget(side)
        splitter.setSizes([600, 340])
        right = QVBoxLayout()
        right.addLayout(status)
        right.addWidget(self.bar)
        right.addWidget(self.speed)
        right.addWidget(self.warnings)
        right.addWidget(splitter, 1)
        layout = QHBoxLayout(self)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setMaximumWidth(400)
        layout.addWidget(left_widget)
        layout.addLayout(right, 1)

    def refresh_choices(self) -> None:
        self.model_box.clear()
        for r in ModelLibrary(self.store).list():
            self.model_box.addItem(r.name + (messages.MODEL_ON_SERVER if r.is_remote else ""), r.id)
        self.task_box.clear()
        for d in DatasetRepository(self.store).list():
            self.task_box.addItem(f"{d.name} ({d.size} examples)", d.id)
        self._update_estimate()

    def _preset_changed(self, preset: str) -> None:
        self.advanced.set_config(PRESETS[preset])
        self._update_estimate()

    def preset(self) -> str:
        return self.preset_box.currentData() or "quick"

    def config(self) -> OptimizerConfig:
        return self.advanced.config() if self.advanced.isChecked() else PRESETS[self.preset()]

    def _update_estimate(self) -> None:
        preset = self.preset()
        text = messages.PRESET_HELP.get(preset, PRESET_DESCRIPTIONS.get(preset, ""))
        if self.task_box.currentData() is not None:
            d = DatasetRepository(self.store).get(self.task_box.currentData())
            est = estimate_for(self.config(), d, parallel=self._parallel())
            text += "\n" + messages.ESTIMATE_BEFORE_RUN.format(estimate=est.in_words())
        self.estimate.setText(text)

    def _parallel(self) -> int:
        """Questions the chosen model will score together (for the estimate)."""
        model_id = self.model_box.currentData()
        if model_id is None:
            return 1
        try:
            return parallel_for(ModelLibrary(self.store).get(model_id), Settings(self.store))
        except Exception:  # noqa: BLE001 - an estimate never stops the page
            return 1

    def start(self) -> None:
        if self.model_box.currentData() is None or self.task_box.currentData() is None:
            self.stage.setText(messages.OPTIMIZE_NEEDS_MODEL if self.model_box.currentData() is None
                               else messages.OPTIMIZE_NEEDS_TASK)
            return
        self.tree.clear_tree()
        self.chart.clear()
        self.warnings.clear()
        self.warnings.hide()
        self._clear_details()
        self.result_button.hide()
        self.bar.setValue(0)
        self.bar.show()
        self.controller.start(str(self.store.path), self.model_box.currentData(),
                              dataset_id=self.task_box.currentData(), config=self.config(),
                              preset=self.preset())

    def resume_run(self, run_id: int, model_id: int) -> None:
        self.tree.clear_tree()
        self.result_button.hide()
        self.bar.show()
        self.chart.clear()
        self.controller.start(str(self.store.path), model_id, resume_run=run_id)

    def toggle_pause(self) -> None:
        if self.controller.state == "paused":
            self.controller.resume()
        else:
            self.controller.pause()

    def _on_state(self, state: str) -> None:
        self.start_button.setEnabled(state == "idle")
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.cancel_button.setEnabled(state in ("running", "paused"))
        self._tick_while(state)
        if state == "paused":
            self.stage.setText(messages.OPTIMIZE_PAUSED)
        elif state == "stopping":
            self.stage.setText(messages.OPTIMIZE_STOPPING)
        elif state == "running":  # on Start and on Resume, not only at the run's next event
            self.stage.setText(self._headline or messages.OPTIMIZE_STARTING)
            self.stage.setStyleSheet("")  # a verdict's colours only around a verdict
        else:
            self._headline = ""

    def _on_event(self, e: Event) -> None:
        match e:
            case RunStarted():
                self.run_id = e.run_id
            case StageChanged():
                self._headline = e.message
                if self.controller.state not in ("paused", "stopping"):  # those words stay until they end
                    self.stage.setText(e.message)
            case NodeAdded():
                self.tree.add_node(e.node_id, e.parent_id, e.operator)
            case NodeScored():
                self.tree.score_node(e.node_id, e.reward, e.raced_out, e.dev_accuracy)
                self.chart.add(e.dev_accuracy)
            case BestImproved():
                self.tree.set_best(e.node_id)
            case RunWarning():
                self.warnings.addItem(e.message)
                self.warnings.show()
                self.warnings.scrollToBottom()
            case RunFinished():
                self._finished(e)

    def _finished(self, e: RunFinished) -> None:
        finished = e.status == "finished"
        view = run_view(self.store, e.run_id)
        self.stage.setText(messages.RUN_DONE.format(headline=view.headline) if finished else e.message)
        self._verdict_colours(view)
        self.result_button.setVisible(finished)
        self.bar.setValue(self.bar.maximum())
        self._progress = None
        self._ticker.stop()
        self.speed.setText("")

    def _on_progress(self, p) -> None:
        self.bar.setMaximum(max(p.total, 1))
        self.bar.setValue(min(p.done, p.total))
        self._progress, self._progress_at = p, time.monotonic()
        self._show_progress_line()
        if not self._ticker.isActive() and self._paused_at is None:
            self._ticker.start()

    def _show_progress_line(self) -> None:
        """The time left, ticked down since the last event; after a minute without one, what
        the run is doing (eta.time_left_words, eta.no_progress_words)."""
        p = self._progress
        if p is not None:
            since = time.monotonic() - self._progress_at
            quiet = no_progress_words(p, since)
            eta = time_left_words(p, since) + (f"; {quiet}" if quiet else "") + "; "
            self.speed.setText(messages.PROGRESS_LINE.format(eta=eta, speed=p.tokens_per_second,
                                                             saved=p.calls_saved))
            self.speed.setToolTip(messages.PROGRESS_SPEED.format(speed=p.tokens_per_second))

    def _tick_while(self, state: str) -> None:
        """Tick only while the run runs; a pause does not count as time spent."""
        if state == "paused" and self._paused_at is None:
            self._paused_at = time.monotonic()
            self._ticker.stop()
        elif state != "paused" and self._paused_at is not None:
            self._progress_at += time.monotonic() - self._paused_at
            self._paused_at = None
            if state == "running" and self._progress is not None:
                self._ticker.start()
        if state == "idle":
            self._ticker.stop()

    def show_last_run(self) -> None:
        """After a restart, the most recent run's tree of tries, its chart and its verdict."""
        runs = list_runs(self.store)
        if not runs:
            return
        view = run_view(self.store, runs[0].id)
        self.run_id = view.id
        self.tree.load_run(view)
        self.chart.load([n.dev_accuracy for n in view.nodes if n.dev_accuracy is not None])
        self.stage.setText(messages.LAST_RUN.format(run_id=view.id, status=view.status, headline=view.headline))
        self._verdict_colours(view)
        self.result_button.setVisible(view.status == "finished")

    def _verdict_colours(self, view) -> None:
        """A finished run's verdict in the banner's colours (the one scale of every verdict)."""
        finished = view.status == "finished" and view.verdict is not None
        self.stage.setStyleSheet(verdict_style(view.verdict.label, "2px 6px") if finished else "")

    def _see_result(self) -> None:
        if self.run_id is not None:
            self.show_result.emit(self.run_id)

    def _clear_details(self) -> None:
        self.details.setHtml(f"<p style='color:gray'>{html.escape(messages.TRY_DETAILS_PLACEHOLDER)}</p>")

    def show_node(self, node_id: int) -> None:
        """A try of the run on screen, read from the store (the same view the Results page uses)."""
        run_id = self.run_id or RunRepository(self.store).run_of_node(node_id)
        if run_id is None:
            return
        node = run_view(self.store, run_id).node(node_id)
        if node is not None:
            self.details.setHtml(node_html(node))
            self.details.setToolTip(node_technical(node))

"""The main window: a sidebar of pages and a status bar that says nothing leaves the computer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEventLoop, QSettings
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from debop_desktop import APP_NAME, __version__
from debop_desktop.core import messages
from debop_desktop.core.memory import gpu_offload_supported
from debop_desktop.core.optimizer.report import mark_interrupted
from debop_desktop.core.store import Store
from debop_desktop.ui.first_run import FirstRunChecklist
from debop_desktop.ui.models_page import ModelsPage
from debop_desktop.ui.optimize_page import OptimizePage
from debop_desktop.ui.plain_text import plain_label
from debop_desktop.ui.playground_page import PlaygroundPage
from debop_desktop.ui.results_page import ResultsPage
from debop_desktop.ui.settings_page import SettingsPage
from debop_desktop.ui.tasks_page import TasksPage


def window_settings(store: Store) -> QSettings:
    """Where the window keeps its size and layout: a file in the data folder, so a `--home`
    folder (or $DEBOP_HOME) holds everything the app writes, never the user's ~/.config."""
    return QSettings(str(Path(store.path).parent / "window.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: QSettings | None = None) -> None:
        super().__init__()
        self.store = store
        self.qsettings = settings or window_settings(store)
        self._ask_before_stopping = True
        self.setWindowTitle(f"{APP_NAME} {__version__}")
        mark_interrupted(store)  # runs a crash or a killed app left 'running' can be resumed
        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(120)
        self.pages = QStackedWidget()
        self.models_page = ModelsPage(store)
        self.tasks_page = TasksPage(store)
        self.optimize_page = OptimizePage(store)
        self.results_page = ResultsPage(store)
        self.playground_page = PlaygroundPage(store)
        self.settings_page = SettingsPage(store)
        for title, page in (("Models", self.models_page), ("Tasks", self.tasks_page),
                            ("Optimize", self.optimize_page), ("Results", self.results_page),
                            ("Playground", self.playground_page), ("Settings", self.settings_page)):
            self._add_page(title, page)
        self.optimize_page.controller.finished.connect(lambda _result: self.playground_page.refresh())
        self.settings_page.changed.connect(self.models_page.refresh)
        self.playground_page.model_in_use.connect(
            lambda name: self.model_status.setText(messages.MODEL_STATUS_PLAYGROUND.format(name=name) if name
                                                   else messages.MODEL_STATUS_NONE))
        self.models_page.details.model_loaded.connect(
            lambda name: self.model_status.setText(messages.MODEL_STATUS_HELLO.format(name=name)))
        self.tasks_page.tasks_changed.connect(self.optimize_page.refresh_choices)
        self.optimize_page.controller.finished.connect(
            lambda result: self.results_page.refresh(select=getattr(result, "run_id", None)))
        self.optimize_page.show_result.connect(self.show_run)
        self.results_page.resume_requested.connect(self._resume_run)
        self.optimize_page.controller.state_changed.connect(self._show_model_in_use)
        self.models_page.library_changed.connect(self.optimize_page.refresh_choices)
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        self.checklist = FirstRunChecklist(store)
        self.checklist.step_chosen.connect(self._first_run_step)
        for signal in (self.models_page.library_changed, self.tasks_page.tasks_changed,
                       self.optimize_page.controller.state_changed):
            signal.connect(self.checklist.refresh)
        central = QWidget()
        column = QVBoxLayout(central)
        column.addWidget(self.checklist)
        row = QHBoxLayout()
        row.addWidget(self.sidebar)
        row.addWidget(self.pages, 1)
        column.addLayout(row, 1)
        self.setCentralWidget(central)
        self.model_status = plain_label(QLabel("No model loaded"))  # it names the model
        self.device_status = QLabel("Runs on: graphics card (GPU)" if gpu_offload_supported()
                                    else "Runs on: processor (CPU)")
        self.offline_status = QLabel(messages.OFFLINE_BADGE)
        bar = self.statusBar()
        bar.addWidget(self.model_status, 1)
        bar.addPermanentWidget(self.device_status)
        bar.addPermanentWidget(self.offline_status)
        self.models_page.library_changed.connect(self.update_privacy_badge)
        self.update_privacy_badge()
        QShortcut(QKeySequence.StandardKey.Quit, self, activated=self.close)
        # app-wide, whatever page is showing
        QShortcut(QKeySequence("Ctrl+O"), self, activated=lambda: self._first_run_step(0))
        QShortcut(QKeySequence("Ctrl+I"), self, activated=lambda: self._first_run_step(1))
        self.resize(1000, 600)  # with the frame, fits a 1024×640 screen
        self._restore_state()

    def update_privacy_badge(self) -> None:
        """Say plainly whether anything can leave the computer: only to servers the person added."""
        from urllib.parse import urlsplit

        servers = sorted({urlsplit(r.endpoint or "").netloc for r in self.models_page.library.list() if r.is_remote})
        text = messages.SERVER_BADGE.format(servers=", ".join(servers)) if servers else messages.OFFLINE_BADGE
        self.offline_status.setText(text)

    def _show_model_in_use(self, state: str) -> None:
        self.playground_page.set_blocked("" if state == "idle" else
                                         "An optimization is using the model; the playground is ready when it ends.")
        if state == "idle":
            self.model_status.setText("No model loaded")
        elif state == "running":
            self.model_status.setText(f"Model in use by a run: {self.optimize_page.model_box.currentText()}")
        elif state == "paused":
            self.model_status.setText(f"Run paused; model loaded: {self.optimize_page.model_box.currentText()}")

    def _resume_run(self, run_id: int, model_id: int) -> None:
        if not self.optimize_page.controller.running:
            self.sidebar.setCurrentRow(self.pages.indexOf(self.optimize_page))
            index = self.optimize_page.model_box.findData(model_id)
            if index >= 0:  # so the status bar names the model the run resumes with
                self.optimize_page.model_box.setCurrentIndex(index)
            self.optimize_page.resume_run(run_id, model_id)

    def _first_run_step(self, step: int) -> None:
        """The checklist's buttons and the app-wide shortcuts: go to the page and start the step."""
        if step == 0:
            self.show_page(self.models_page)
            self.models_page.choose_and_add()
        elif step == 1:
            self.show_page(self.tasks_page)
            self.tasks_page.import_file()
        elif step == 2:
            self.show_page(self.optimize_page)
        else:
            self.show_run(None)

    def show_run(self, run_id: int | None) -> None:
        self.results_page.refresh(select=run_id)
        self.show_page(self.results_page)

    def _add_page(self, title: str, page: QWidget) -> None:
        self.sidebar.addItem(title)
        self.pages.addWidget(page)
        number = self.pages.count()
        self.sidebar.item(number - 1).setToolTip(f"{title} (Ctrl+{number})")
        QShortcut(QKeySequence(f"Ctrl+{number}"), self, activated=lambda: self.sidebar.setCurrentRow(number - 1))

    def show_page(self, page: QWidget) -> None:
        self.sidebar.setCurrentRow(self.pages.indexOf(page))

    def _restore_state(self) -> None:
        geometry = self.qsettings.value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.qsettings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def close_for_termination(self) -> None:
        """SIGTERM or SIGHUP (a logout, `kill`, a service stop; see ui/termination.py): close as
        if the person had answered Yes, so a run in progress stops, resumable, and every window
        (an open dialog too) closes."""
        self._ask_before_stopping = False
        QApplication.closeAllWindows()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        comparing = self.tasks_page.compare_dialog
        if comparing is not None and comparing.controller.running and self._ask_before_stopping:
            answer = QMessageBox.question(self, messages.COMPARE_CLOSE_TITLE, messages.COMPARE_CLOSE_QUESTION)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        controller = self.optimize_page.controller
        if controller.running:
            if self._ask_before_stopping:
                answer = QMessageBox.question(
                    self, "A run is in progress",
                    "Stop the optimization and close? Everything done so far is saved; you can resume it later.")
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
            controller.cancel()
            while controller.running:  # checkpoint: let the run record its end
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if comparing is not None:  # a comparison stops between two answers, resumable
            comparing.stop_and_wait()
        for page in (self.results_page, self.playground_page):  # a file being answered stops, resumable
            if page.apply_dialog is not None:
                page.apply_dialog.stop_and_wait()
        self.results_page.serve_switch.stop()  # no server outlives the window
        self.playground_page.stop()
        self.playground_page.release_model(wait=True)  # the run has let go of the model lock
        self.qsettings.setValue("main_window/geometry", self.saveGeometry())
        self.qsettings.setValue("main_window/state", self.saveState())
        self.qsettings.sync()  # now: after a SIGTERM the process ends soon
        super().closeEvent(event)

"""The switch that serves the chosen run's shipped behavior to other programs on this computer
(core/serve): off by default, on 127.0.0.1 only; while on, it says where it listens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from debop_desktop.core import messages
from debop_desktop.ui.background import run_in_background
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.plain_text import plain_label

DEFAULT_PORT = 8321


@dataclass
class Serving:
    server: Any  # core.serve.LocalServer
    release: Callable[[], None]
    words: str
    model: str


def start_serving(db_path: str, run_id: int, port: int) -> Serving:
    """On a worker thread: load the run's model and start serving (its own database connection)."""
    from debop_desktop.core.apply.job import check_run_model
    from debop_desktop.core.optimizer.export import load_tuned
    from debop_desktop.core.runtime import open_model
    from debop_desktop.core.serve.session import model_name, serving
    from debop_desktop.core.settings import Settings
    from debop_desktop.core.store import Store

    store = Store(Path(db_path), migrate=False)
    try:
        tuned = load_tuned(store, run_id)
        opened = open_model(check_run_model(store, run_id), Settings(store), user="serve")
        try:
            server, words = serving(store, tuned, opened.backend, "127.0.0.1", port)
        except BaseException:
            opened.release()
            raise
        return Serving(server.start(), opened.release, words, model_name(run_id))
    finally:
        store.close()


class ServeSwitch(QWidget):
    """'Serve to other apps' for the run `run_id()` names; `port` 0 takes any free port (tests)."""

    def __init__(self, db_path: str, run_id: Callable[[], int | None], port: int = DEFAULT_PORT,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path, self.run_id, self.port = db_path, run_id, port
        self.serving: Serving | None = None
        self.check = QCheckBox("Serve to other apps")
        self.check.setToolTip(messages.SERVE_SWITCH_HELP)
        self.state = plain_label(QLabel(""))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.state)
        self.check.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        if on and self.serving is None:
            run_id = self.run_id()
            if run_id is None:
                self.check.setChecked(False)
                return
            self.state.setText("Starting…")
            self.check.setEnabled(False)
            run_in_background(lambda: start_serving(self.db_path, run_id, self.port), self._started, self._failed)
        elif not on:
            self.stop()

    def _started(self, serving: Serving) -> None:
        self.serving = serving
        self.check.setEnabled(True)
        self.state.setText(messages.SERVE_ON.format(host=serving.server.host, port=serving.server.port))
        self.state.setToolTip(messages.SERVE_ON_DETAILS.format(url=serving.server.url, model=serving.model))

    def _failed(self, exc: BaseException) -> None:
        self.check.setEnabled(True)
        self.check.blockSignals(True)
        self.check.setChecked(False)
        self.check.blockSignals(False)
        self.state.setText("")
        show_error(self, exc)

    def stop(self) -> None:
        """Stop serving (also when the window closes) and hand the model back."""
        serving, self.serving = self.serving, None
        if serving is not None:
            serving.server.stop()
            serving.release()
        self.state.setText("")
        if self.check.isChecked():
            self.check.blockSignals(True)
            self.check.setChecked(False)
            self.check.blockSignals(False)

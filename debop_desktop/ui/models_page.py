"""The Models page: the library as a table; Add (a file dialog, or drop .gguf files on the
page), Find models on this computer, Remove; a details panel with a memory estimate and a
"Say hello" test."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.library import ModelLibrary, ModelRecord
from debop_desktop.core.runtime import choose_context, memory_for
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store
from debop_desktop.core.units import human_bytes, human_params
from debop_desktop.ui.background import run_in_background
from debop_desktop.ui.errors import show_error
from debop_desktop.ui.model_panels import DetailsPanel, DiscoveryDialog, fit_badge_brush, fit_key
from debop_desktop.ui.plain_text import literal
from debop_desktop.ui.tables import make_table

_Index = QModelIndex | QPersistentModelIndex


class ModelTableModel(QAbstractTableModel):
    """Adapter over a list of `ModelRecord` (plain data in, cells out)."""

    HEADERS = ("Name", "Fits?", "Parameters", "Quantization", "File size")  # the rest: in the details panel
    FIT_COLUMN = 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[ModelRecord, str, str]] = []

    def set_records(self, rows: list[tuple[ModelRecord, str, bool | str]]) -> None:
        """(record, memory sentence, fit): fit is a FIT_BADGE key, or True/False."""
        self.beginResetModel()
        self._rows = [(r, text, fit if isinstance(fit, str) else ("fits" if fit else "no")) for r, text, fit in rows]
        self.endResetModel()

    def record(self, row: int) -> ModelRecord:
        return self._rows[row][0]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, fit_text, fit = self._rows[index.row()]
        if index.column() == self.FIT_COLUMN and role in (Qt.ItemDataRole.BackgroundRole,
                                                          Qt.ItemDataRole.ForegroundRole):
            return fit_badge_brush(fit, role == Qt.ItemDataRole.BackgroundRole)
        if role == Qt.ItemDataRole.DisplayRole and r.is_remote:
            return (f"{r.name}  (remote)", messages.FIT_BADGE["remote"], "", "", "")[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and r.is_remote:
            return literal(f"{r.remote_model} on {r.endpoint}")
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                r.name + ("" if r.file_present else "  (file missing)"), messages.FIT_BADGE[fit],
                human_params(r.parameter_count), r.quantization or "", human_bytes(r.size_bytes or 0),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return literal(f"{r.path}\n{fit_text}")
        return None


class ModelsPage(QWidget):
    library_changed = Signal()
    _hash_progress = Signal(int)  # emitted on the worker thread, delivered on the UI thread

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.library = ModelLibrary(store)
        self.settings = Settings(store)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.table_model = ModelTableModel(self)
        self.table = make_table(self.table_model, stretch=(0,))  # the name gives way; the badge stays in sight
        self.add_button = QPushButton("Add model…")
        self.add_button.setToolTip("Choose a .gguf model file (Ctrl+O, from any page).")
        self.find_button = QPushButton("Find models on this computer…")
        self.server_button = QPushButton("Add a server model…")
        self.remove_button = QPushButton("Remove from library")
        self.progress = QProgressBar()
        self.progress.hide()
        self._hash_progress.connect(self.progress.setValue)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.find_button)
        buttons.addWidget(self.server_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.details = DetailsPanel(store)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.details.setMaximumWidth(440)
        layout.addWidget(splitter, 1)
        self.setAcceptDrops(True)
        self._queue: list[str] = []
        self.add_button.clicked.connect(self.choose_and_add)
        self.find_button.clicked.connect(lambda: self.find_models())  # clicked(bool) is not a dialog
        self.remove_button.clicked.connect(self.remove_selected)
        self.server_button.clicked.connect(self.add_server)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        rows = []
        for record in self.library.list():
            if record.is_remote:
                rows.append((record, f"Runs on {record.endpoint}", True))
                continue
            estimate = memory_for(record, choose_context(record, None, self.settings))
            rows.append((record, estimate.summary, fit_key(estimate)))
        self.table_model.set_records(rows)
        if rows:
            self.hint.setText("These are the models in your library. Files stay where they are; "
                              "the app only remembers where to find them.")
        else:
            self.hint.setText("No models yet. Click “Add model…” and choose a .gguf file "
                              "(the kind LM Studio, Ollama or GPT4All download).")
        self._update_buttons()

    def _update_buttons(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.remove_button.setEnabled(bool(rows))
        record = self.table_model.record(rows[0].row()) if rows else None
        if record is not self.details.record:
            self.details.show_record(record)

    # -- drag and drop of .gguf files -----------------------------------------------
    @staticmethod
    def _gguf_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf")]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._gguf_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        for path in self._gguf_paths(event):
            self.add_path(path)
        event.acceptProposedAction()

    def find_models(self, dialog: DiscoveryDialog | None = None) -> DiscoveryDialog:
        dialog = dialog or DiscoveryDialog(self.store, self)
        dialog.accepted.connect(lambda: [self.add_path(f.path) for f in dialog.selected()])
        dialog.open()
        dialog.start()
        return dialog

    def choose_and_add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a model", "", "GGUF models (*.gguf);;All files (*)")
        if path:
            self.add_path(path)

    def add_path(self, path: str) -> Any:
        """Validate and hash off the UI thread; the table refreshes when done. Files dropped
        or chosen while one is being added wait their turn."""
        if not self.add_button.isEnabled():
            self._queue.append(path)
            return None
        self.add_button.setEnabled(False)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.show()
        db_path = self.store.path

        def work() -> Any:
            store = Store(db_path, migrate=False)  # one connection per thread
            try:
                return ModelLibrary(store).add(path, progress=self._report)
            finally:
                store.close()

        return run_in_background(work, self._added, self._failed)

    def _report(self, done: int, total: int) -> None:
        self._hash_progress.emit(int(100 * done / total) if total else 100)

    def _added(self, result: Any) -> None:
        self._finish()
        self.refresh()
        self.select_model(result.record.id)
        self.library_changed.emit()

    def select_model(self, model_id: int) -> None:
        for row in range(self.table_model.rowCount()):
            if self.table_model.record(row).id == model_id:
                self.table.selectRow(row)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        show_error(self, exc)

    def _finish(self) -> None:
        self.progress.hide()
        self.add_button.setEnabled(True)
        if self._queue:
            self.add_path(self._queue.pop(0))

    def add_server(self) -> None:
        from debop_desktop.ui.server_dialog import AddServerDialog

        dialog = AddServerDialog(self)
        if dialog.exec():
            c = dialog.config()
            record = self.library.add_server(c.base_url, c.model, api_key=c.api_key, concurrency=c.max_concurrency)
            self.refresh()
            self.select_model(record.id)
            self.library_changed.emit()

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.library.remove(self.table_model.record(rows[0].row()).id)
            self.refresh()
            self.library_changed.emit()

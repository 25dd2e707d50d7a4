"""Parts of the Models page: the details panel with its "Say hello" test, and the checklist
of models found on this computer."""

from __future__ import annotations

import html
import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.discovery import DiscoveryReport, FoundModel, discover_models
from debop_desktop.core.library import ModelLibrary, ModelRecord
from debop_desktop.core.llm.base import CancelToken, ChatMessage, GenerationParams
from debop_desktop.core.runtime import choose_parallel, memory_for, open_model
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store
from debop_desktop.core.units import human_bytes, human_params
from debop_desktop.ui.background import run_in_background
from debop_desktop.ui.errors import describe
from debop_desktop.ui.model_swap import confirm_model_swap
from debop_desktop.ui.plain_text import literal, plain_label

HELLO = "Say hello and tell me in one sentence what you can do."
# fit badge: (background, text) colours, readable on light and dark palettes alike
FIT_COLOURS = {"fits": ("#d7f0dc", "#14532d"), "partly": ("#fff0c2", "#6b4e00"), "no": ("#fbd5d5", "#7f1d1d"),
               "remote": ("#e3e8ef", "#334155")}


def fit_key(e: Any) -> str:
    """A memory estimate as a FIT_BADGE key: fits, partly (some layers on the graphics card), no."""
    if not e.fits:
        return "no"
    return "partly" if e.gpu_offload and 0 < e.gpu_layers < e.n_layers else "fits"


def fit_badge_brush(key: str, background: bool) -> QColor:
    return QColor(FIT_COLOURS[key][0 if background else 1])
CONTEXTS = (1024, 2048, 4096, 8192, 16384, 32768)


class DetailsPanel(QWidget):
    """Everything known about one model, its memory need for a chosen context, and a quick test."""

    _text = Signal(str)  # streamed reply, emitted on the worker thread
    _loaded = Signal(str)  # emitted on the worker thread
    model_loaded = Signal(str)  # the name of the model Say hello has just loaded (or found loaded)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.record = store, None
        self.info = QTextBrowser()
        self.context = QComboBox()
        for n in CONTEXTS:
            self.context.addItem(f"{n:,} tokens", n)
        self.context.setCurrentIndex(CONTEXTS.index(4096))
        self.memory = QLabel()
        self.memory.setWordWrap(True)
        self.badge = QLabel()
        self.hello_button, self.stop_button = QPushButton("Say hello"), QPushButton("Stop")
        self.hello_button.setToolTip("Load the model and let it write a short reply, to check that it works.")
        self.reply = QPlainTextEdit()
        self.reply.setReadOnly(True)
        self.reply.setPlaceholderText("“Say hello” loads the model and streams its reply here.")
        self.reply.setMaximumHeight(110)
        self.cancel: CancelToken | None = None
        context_row = QHBoxLayout()
        context_row.addWidget(QLabel("Memory needed with a context of"))
        context_row.addWidget(self.context)
        context_row.addWidget(self.badge)
        context_row.addStretch(1)
        hello_row = QHBoxLayout()
        hello_row.addWidget(self.hello_button)
        hello_row.addWidget(self.stop_button)
        hello_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.info, 1)
        layout.addLayout(context_row)
        layout.addWidget(self.memory)
        layout.addLayout(hello_row)
        layout.addWidget(self.reply)
        self._text.connect(self._append)
        self._loaded.connect(self.model_loaded)  # delivered on the UI thread
        self.context.currentIndexChanged.connect(self._show_memory)
        self.hello_button.clicked.connect(self.say_hello)
        self.stop_button.clicked.connect(self.stop)
        self.show_record(None)

    def show_record(self, record: ModelRecord | None) -> None:
        self.stop()
        self.record = record
        self.reply.clear()
        self.hello_button.setEnabled(record is not None and record.file_present)
        self.stop_button.setEnabled(False)
        if record is None:
            self.info.setHtml("<p>Choose a model in the table to see everything about it.</p>")
            self.memory.clear()
            return
        if record.is_remote:
            rows = [("Server", record.endpoint), ("Model on the server", record.remote_model)]
        else:
            rows = [("File", record.path + ("" if record.file_present else "  (missing: moved or deleted?)")),
                    ("Architecture", record.architecture), ("Parameters", human_params(record.parameter_count)),
                    ("Quantization", record.quantization), ("File size", human_bytes(record.size_bytes or 0)),
                    ("Layers", record.n_layers), ("Trained context", f"{record.context_length or 0:,} tokens"),
                    ("Vocabulary", f"{record.vocab_size or 0:,} tokens"),
                    ("Chat template", "yes" if record.has_chat_template else "no (a plain transcript is used)"),
                    ("SHA-256", record.sha256)]
        rows.append(("Added", time.strftime("%Y-%m-%d %H:%M", time.localtime(record.added_at))))
        cells = "".join(f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(str(v or '—'))}</td></tr>"
                        for k, v in rows)
        base = "" if record.is_remote or record.has_chat_template else (  # why plain questions go poorly
            f"<p><b>This is a {html.escape(messages.BASE_MODEL_NOTE)}.</b> "
            f"{html.escape(messages.BASE_MODEL_TOOLTIP)}</p>")
        self.info.setHtml(f"<h3>{html.escape(record.name)}</h3>{base}<table>{cells}</table>")
        self._show_memory()

    def _show_memory(self) -> None:
        r = self.record
        if r is None or r.is_remote:
            self.memory.setText("Runs on the server; it uses none of this computer's memory." if r else "")
            self._show_badge("remote" if r else None)
            return
        n_ctx = min(self.context.currentData(), r.context_length or self.context.currentData())
        parallel = choose_parallel(r, n_ctx, Settings(self.store))
        e = memory_for(r, n_ctx, parallel)
        where = (f" {e.gpu_layers} of {e.n_layers} layers would go on the graphics card." if e.gpu_offload
                 else " It runs on the processor.")
        memory_parts = messages.MEMORY_PARTS_PARALLEL if parallel > 1 else messages.MEMORY_PARTS
        parts = memory_parts.format(total=human_bytes(e.total_bytes), ctx=n_ctx, n=parallel,
                                             weights=human_bytes(e.weights_bytes), kv=human_bytes(e.kv_cache_bytes),
                                             overhead=human_bytes(e.overhead_bytes))
        self.memory.setText(f"{parts} {e.summary}{where}")
        self._show_badge(fit_key(e))

    def _show_badge(self, key: str | None) -> None:
        """A coloured word: Fits / Partly on the graphics card / Too big."""
        self.badge.setVisible(key is not None)
        if key is not None:
            background, text = FIT_COLOURS[key]
            self.badge.setText(messages.FIT_BADGE[key])
            self.badge.setStyleSheet(f"QLabel {{ background: {background}; color: {text}; border-radius: 4px; "
                                     "padding: 2px 8px; font-weight: bold; }")

    def say_hello(self) -> Any:
        record, db_path = self.record, self.store.path
        if record is None:
            return None
        if not confirm_model_swap(self, record):
            return None
        self.cancel = token = CancelToken()
        self.reply.setPlainText("Loading the model…")
        self.hello_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        started: list[bool] = []

        def on_text(chunk: str) -> None:
            if not started:
                started.append(True)
                self._text.emit("\0")  # clear the "Loading" line first
            self._text.emit(chunk)

        def work() -> Any:
            store = Store(db_path, migrate=False)
            opened = None
            try:
                opened = open_model(record, Settings(store), user="hello")  # shared, never a second copy
                self._loaded.emit(record.name)
                return opened.backend.chat([ChatMessage("user", HELLO)], GenerationParams(max_tokens=64),
                                           cancel=token, on_text=on_text)
            finally:
                if opened is not None:
                    opened.release()
                store.close()

        return run_in_background(work, self._done, self._failed)

    def _append(self, chunk: str) -> None:
        if chunk == "\0":
            self.reply.clear()
            return
        self.reply.moveCursor(self.reply.textCursor().MoveOperation.End)
        self.reply.insertPlainText(chunk)

    def _done(self, result: Any) -> None:
        self._finish()
        speed = f"{result.completion_tokens / result.seconds:.0f} tokens/s" if result.seconds else ""
        self.reply.setPlainText(f"{result.text.strip()}\n\n— It works: {result.completion_tokens} tokens, {speed}.")

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.reply.setPlainText(describe(exc)[0])

    def _finish(self) -> None:
        self.hello_button.setEnabled(self.record is not None and self.record.file_present)
        self.stop_button.setEnabled(False)
        self.cancel = None

    def stop(self) -> None:
        if self.cancel is not None:
            self.cancel.cancel()
            self._finish()
            self.reply.appendPlainText("\n(stopped)")


class DiscoveryDialog(QDialog):
    """Scan the places other local-AI apps keep models, then tick the ones to add."""

    _folder = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None, home: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find models on this computer")
        self.library, self.home = ModelLibrary(store), home
        self.status = plain_label(QLabel("Looking in the folders of LM Studio, Ollama, GPT4All, Jan and Hugging Face…"))
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the scan ends
        self.list = QListWidget()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("Add selected", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.status, self.bar, self.list, self.buttons):
            layout.addWidget(w)
        self._folder.connect(lambda f: self.status.setText(f"Looking in {f}…"))
        self.list.itemChanged.connect(lambda _item: self.add_button.setEnabled(bool(self.selected())))
        self.finished_scan = False
        self.resize(640, 420)

    def start(self) -> Any:
        return run_in_background(lambda: discover_models(self.home, on_folder=self._folder.emit),
                                 self.show_found, lambda exc: self.status.setText(describe(exc)[0]))

    def show_found(self, report: DiscoveryReport) -> None:
        self.bar.hide()
        known = {r.path for r in self.library.list() if r.path}
        for f in report.found:
            item = QListWidgetItem(f"{f.name}   ({f.app}, {human_bytes(f.size_bytes)})")
            item.setToolTip(literal(f.path))
            item.setData(Qt.ItemDataRole.UserRole, f)
            if f.path in known:
                item.setText(item.text() + "  — already in your library")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        new = sum(1 for f in report.found if f.path not in known)
        searched = len(report.folders_searched)
        self.status.setText(f"Found {len(report.found)} model file(s) in {searched} folder(s); {new} not in your "
                            "library yet. Tick the ones to add." if report.found else
                            f"No models found ({searched} known folder(s) searched). Use “Add model…” to "
                            "choose a .gguf file yourself.")
        self.add_button.setEnabled(bool(self.selected()))
        self.finished_scan = True

    def selected(self) -> list[FoundModel]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
                and self.list.item(i).checkState() == Qt.CheckState.Checked]

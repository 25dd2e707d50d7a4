"""Settings: how models run on this computer, where the data lives, and the saved answers."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import messages
from debop_desktop.core.cpu import extra_bufts_default, has_amx
from debop_desktop.core.llm.cache import cache_stats, clear_cache
from debop_desktop.core.llm.llama_engine import default_threads
from debop_desktop.core.memory import gpu_offload_supported
from debop_desktop.core.settings import PARALLEL_MAX, Settings, threads_max
from debop_desktop.core.store import Store
from debop_desktop.core.units import human_bytes
from debop_desktop.ui.plain_text import plain_label


class SettingsPage(QWidget):
    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.settings = store, Settings(store)
        self.threads, self.context, self.gpu_layers = QSpinBox(), QComboBox(), QSpinBox()
        self.threads.setRange(0, threads_max())
        self.threads.setSpecialValueText(f"automatic ({default_threads()} on this computer)")
        for n in (1024, 2048, 4096, 8192, 16384, 32768):
            self.context.addItem(f"{n:,} tokens", n)
        self.parallel = QSpinBox()
        self.parallel.setRange(0, PARALLEL_MAX)
        self.parallel.setSpecialValueText(messages.PARALLEL_AUTOMATIC)
        self.parallel.setToolTip(messages.PARALLEL_TOOLTIP)
        self.gpu_mode = QComboBox()
        self.gpu_mode.addItem("Automatic (as much as fits)", "auto")
        self.gpu_mode.addItem("Processor only", 0)
        self.gpu_mode.addItem("A set number of layers", "layers")
        self.gpu_layers.setRange(1, 999)
        gpu_note = QLabel("This build of the app can use the graphics card." if gpu_offload_supported() else
                          "This build of the app runs models on the processor; graphics-card settings have "
                          "no effect.")
        self.cpu_features = QCheckBox(messages.CPU_FEATURES_LABEL)
        self.cpu_features_note = QLabel(messages.CPU_FEATURES_AMX if has_amx() else messages.CPU_FEATURES_HELP)
        self.cpu_features_note.setWordWrap(True)
        self.cache_label = QLabel()
        self.clear_cache = QPushButton("Forget saved answers")
        self.data_label = plain_label(QLabel(str(store.path.parent)))
        self.data_label.setWordWrap(True)
        self.open_data = QPushButton("Open the data folder")
        for label in (gpu_note, self.cache_label):
            label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(QLabel("<b>Running models</b>"))
        form.addRow("Processor threads", self.threads)
        form.addRow("Longest context", self.context)
        form.addRow(QLabel("More context lets longer questions and demonstrations fit, and needs more memory. "
                           "A model never gets more than it was trained for."))  # says what the row above does
        form.addRow(messages.PARALLEL_LABEL, self.parallel)
        form.addRow("Graphics card", self.gpu_mode)
        form.addRow("Layers on the graphics card", self.gpu_layers)
        form.addRow(gpu_note)
        form.addRow("", self.cpu_features)
        form.addRow(self.cpu_features_note)
        form.addRow(QLabel("<b>Your data</b>"))
        form.addRow("Data folder", self.data_label)
        form.addRow(QLabel("Models stay where they are; only this folder is written to. Nothing is sent "
                           "anywhere: the app has no telemetry and never checks for updates."))
        cache_row = QHBoxLayout()
        cache_row.addWidget(self.cache_label, 1)
        cache_row.addWidget(self.clear_cache)
        form.addRow("Saved answers", cache_row)
        form.addRow("", self.open_data)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        for label in self.findChildren(QLabel):  # long sentences wrap instead of widening the window
            label.setWordWrap(label.wordWrap() or len(label.text()) > 60)
        self.load()
        self.threads.valueChanged.connect(self.save)
        self.context.currentIndexChanged.connect(self.save)
        self.parallel.valueChanged.connect(self.save)
        self.gpu_mode.currentIndexChanged.connect(self.save)
        self.gpu_layers.valueChanged.connect(self.save)
        self.cpu_features.toggled.connect(self.save)
        self.clear_cache.clicked.connect(self.forget_answers)
        self.open_data.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(store.path.parent))))

    def load(self) -> None:
        s = self.settings
        self.threads.setValue(int(s.get("threads")))
        self.parallel.setValue(int(s.get("parallel") or 0))
        index = self.context.findData(int(s.get("context_length")))
        self.context.setCurrentIndex(index if index >= 0 else self.context.findData(4096))
        layers = s.get("gpu_layers")
        if layers == "auto":
            self.gpu_mode.setCurrentIndex(0)
        elif int(layers) == 0:
            self.gpu_mode.setCurrentIndex(1)
        else:
            self.gpu_mode.setCurrentIndex(2)
            self.gpu_layers.setValue(int(layers))
        self.gpu_layers.setEnabled(self.gpu_mode.currentIndex() == 2)
        chosen = s.get("faster_cpu_features")
        self.cpu_features.setChecked(extra_bufts_default() if chosen in (None, "auto") else bool(chosen))

    def save(self) -> None:
        s = self.settings
        s.set("threads", self.threads.value())
        s.set("context_length", self.context.currentData())
        s.set("parallel", self.parallel.value())
        mode = self.gpu_mode.currentData()
        s.set("gpu_layers", self.gpu_layers.value() if mode == "layers" else mode)
        self.gpu_layers.setEnabled(mode == "layers")
        features = self.cpu_features.isChecked()
        s.set("faster_cpu_features", "auto" if features == extra_bufts_default() else features)
        self.changed.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Count the saved answers when the page is opened, not at start-up (it reads the whole table)."""
        self._show_cache()
        super().showEvent(event)

    def _show_cache(self) -> None:
        n, size = cache_stats(self.store)
        self.cache_label.setText(f"{n:,} model answers ({human_bytes(size)}) are saved so that repeating the "
                                 "same question costs nothing.")
        self.clear_cache.setEnabled(n > 0)

    def forget_answers(self) -> None:
        clear_cache(self.store)
        self._show_cache()

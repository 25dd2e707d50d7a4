"""Guard against a Qt binding that corrupts reference counts (PySide6 6.12.0 on Python 3.11
released a reference to None on every void call and aborted the app after some thousands)."""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar


class _Emitter(QObject):
    changed = Signal(object)


def test_void_calls_and_signals_keep_none_and_booleans_alive(qtbot):
    bar, label, emitter = QProgressBar(), QLabel(), _Emitter()
    qtbot.addWidget(bar)
    qtbot.addWidget(label)
    emitter.changed.connect(lambda value: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(5000):
        bar.setValue(i % 100)
        label.setText("x")
        emitter.changed.emit(i)
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100

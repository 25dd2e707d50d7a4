"""SIGTERM and SIGHUP (a logout, `kill`, a service stop, the terminal the app was started from
being closed) end the app as its close button does, without asking: a run in progress stops
and stays resumable, instead of being left 'running' until it goes stale."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

# SIGHUP does not exist on Windows, where a logout closes the windows itself.
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_WAKE_MS = 200  # Python runs a signal handler only when Python code runs; Qt's loop alone never does


class _Closable(Protocol):
    def close_for_termination(self) -> None: ...


def close_on_termination(window: _Closable, parent: QObject) -> Callable[[], None]:
    """Install the handlers; returns a function that puts the previous ones back. A second
    signal, while the first is still closing the app, ends the process at once. A signal
    ignored when the app started (`nohup`) stays ignored. Call from the main thread only."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    received: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        if received:  # the polite way is taking too long
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        received.append(signum)
        QTimer.singleShot(0, window.close_for_termination)

    previous = {s: signal.signal(s, on_signal) for s in _SIGNALS if signal.getsignal(s) is not signal.SIG_IGN}
    wake = QTimer(parent)
    wake.timeout.connect(lambda: None)
    wake.start(_WAKE_MS)

    def restore() -> None:
        wake.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)

    return restore

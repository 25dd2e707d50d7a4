"""The progress bar of a run in the terminal, redrawn every second between the run's events.

A run can wait minutes for one batch of long answers without an event; the bar then shows
the time left ticking down (eta.time_left_now) instead of standing still, and each minute
without an event a note says what the run is doing (eta.no_progress_words). The run's
generator stays on the main thread (Ctrl-C and the other stop signals are handled there);
only the redraw runs on a small daemon thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from debop_desktop.core.optimizer.eta import no_progress_words, time_left_words
from debop_desktop.core.optimizer.events import Progress

Bar = Callable[..., None]  # Output.progress's callback(done, total, note)
TICK_S = 1.0
DRAW_S = 0.2  # events closer together than this update the bar's data without drawing it


class ProgressTicker:
    """`show(progress)` keeps the latest progress (every one: the last before a long wait
    says what the run waits for) and draws it at most every `DRAW_S`; a daemon thread
    redraws it every `TICK_S` until `stop()`, and passes `note` the sentence on what the run
    is doing once a minute while no event comes. Draws are serialised."""

    def __init__(self, bar: Bar, note: Callable[[str], None], tick_s: float = TICK_S) -> None:
        self._bar, self._note, self._tick_s = bar, note, tick_s
        self._last: tuple[Progress, float] | None = None
        self._said = 0  # minutes without an event already noted for the last event
        self._drawn = 0.0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def show(self, progress: Progress) -> None:
        with self._lock:
            self._last, self._said = (progress, time.monotonic()), 0
            if time.monotonic() - self._drawn > DRAW_S:
                self._draw()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="progress-ticker", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * self._tick_s)

    def _run(self) -> None:
        while not self._stopped.wait(self._tick_s):
            with self._lock:
                if self._last is None or self._last[0].done >= self._last[0].total:
                    continue  # a full bar is drawn once and left alone
                try:
                    self._draw()
                except Exception:  # noqa: BLE001 - a terminal gone away: the run goes on without ticks
                    return

    def _draw(self) -> None:
        if self._last is None:
            return
        p, at = self._last
        self._drawn = time.monotonic()
        since = self._drawn - at
        quiet = no_progress_words(p, since)
        if quiet and int(since // 60) > self._said:
            self._said = int(since // 60)
            self._note(quiet)
        self._bar(min(p.done, p.total), max(p.total, 1), time_left_words(p, since))

"""Issue 20: the terminal's progress bar ticks the time left down between a run's events and,
once a minute without one, notes what the run is waiting for."""

import time

from debop_desktop.cli.ticker import ProgressTicker
from debop_desktop.core.optimizer.events import Progress


def plans(done=10, total=100):
    return Progress(1, "plan", done, total, 450.0, 50.0, done, 0, 300.0, 600.0, "plan", 100.0, 200.0)


def wait_for(condition, timeout=3.0):
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        time.sleep(0.01)
    return condition()


def test_the_bar_ticks_between_events_and_notes_a_long_wait_once_a_minute():
    drawn, notes = [], []
    ticker = ProgressTicker(lambda done, total, note="": drawn.append((done, total, note)), notes.append, tick_s=0.02)
    ticker.show(plans())
    assert drawn == [(10, 100, "about 5–10 min left")]
    with ticker._lock:
        ticker._last = (ticker._last[0], time.monotonic() - 125)  # two minutes without an event
    assert wait_for(lambda: drawn[-1][2] == "about 3–8 min left")
    time.sleep(0.1)  # several ticks: the note comes once for the same minute
    ticker.stop()
    assert notes == ["Writing approaches… (no progress for 2 min; long answers take a while with this model)"]


def test_the_last_event_of_a_burst_is_kept_even_when_not_drawn():
    drawn = []
    ticker = ProgressTicker(lambda done, total, note="": drawn.append(done), lambda _t: None, tick_s=0.02)
    ticker.show(plans(done=10))
    ticker.show(plans(done=11))  # too soon to draw, but it is what the ticks show
    assert wait_for(lambda: drawn[-1] == 11)
    ticker.stop()


def test_a_full_bar_is_not_redrawn():
    drawn = []
    ticker = ProgressTicker(lambda done, total, note="": drawn.append(done), lambda _t: None, tick_s=0.02)
    ticker.show(plans(done=100))
    time.sleep(0.1)
    ticker.stop()
    assert drawn == [100]

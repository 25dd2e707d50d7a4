"""Issue 20: between a run's events the Optimize page ticks the time left down, and after a
minute without one it says what the run is waiting for; a pause does not count."""

from debop_desktop.core.optimizer.events import Progress
from debop_desktop.ui.optimize_page import OptimizePage


def writing_plans():
    """The run is about to wait for its plans: 5–10 min left, 100–200 s of it the plans."""
    return Progress(1, "plan", 10, 100, 450.0, 50.0, 10, 0, 300.0, 600.0, "plan", 100.0, 200.0)


def test_the_time_left_ticks_down_between_events_and_says_what_the_run_waits_for(qtbot, store):
    page = OptimizePage(store)
    qtbot.addWidget(page)
    page._on_state("running")
    page._on_progress(writing_plans())
    assert page.speed.text().startswith("about 5–10 min left; ") and "no progress" not in page.speed.text()
    page._progress_at -= 120  # two minutes without an event: the ticker redraws within a second
    qtbot.waitUntil(lambda: "no progress" in page.speed.text(), timeout=3000)
    text = page.speed.text()
    assert text.startswith("about 3–8 min left; Writing approaches… (no progress for 2 min; long answers take a while")


def test_a_pause_stops_the_clock(qtbot, store):
    page = OptimizePage(store)
    qtbot.addWidget(page)
    page._on_state("running")
    page._on_progress(writing_plans())
    page._on_state("paused")
    assert not page._ticker.isActive()
    page._paused_at -= 600  # ten minutes paused
    page._on_state("running")
    assert page._ticker.isActive()
    page._show_progress_line()
    assert page.speed.text().startswith("about 5–10 min left; ")  # the pause was not counted

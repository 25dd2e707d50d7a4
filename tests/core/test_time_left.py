"""The time left of issue 20: a range from the first event, kinds not measured yet priced by
their token limit, a low end that lets the search stop early, and a range that ticks down
between events and says what the run is doing after a minute without one. The replay tests
drive a run's context through the call timings of a slow model that writes long answers
(shaped like Gemma 3 270M's Quick run: plain answers fast, step-by-step answers and plans
long) and check the promise: after the first minute the time the run still takes is inside
the range widened by 30 % (and by the 5 s the words round to)."""

import pytest
from run_helpers import drain
from test_calibrated import even_task, leaning_model
from test_optimizer_run import CFG, SPEED

from debop_desktop.core.optimizer import eta as eta_module
from debop_desktop.core.optimizer.candidates import token_limits
from debop_desktop.core.optimizer.config import PRESETS, estimate_cost
from debop_desktop.core.optimizer.eta import (
    NO_PROGRESS_S,
    CallClock,
    Prior,
    Remaining,
    eta_range,
    no_progress_words,
    pace,
    steps_reached,
    time_left_now,
    time_left_words,
)
from debop_desktop.core.optimizer.evaluate import RunContext
from debop_desktop.core.optimizer.events import Progress
from debop_desktop.core.optimizer.run import run_optimization

QUICK = PRESETS["quick"]


def quick_context(backend=None, speed=40.0, n_test=40, worked=False):
    """A run's context with the Quick budget of a task with numbers as answers (no
    calibrated pick), 20 dev questions."""
    ctx = RunContext(1, backend, None, None, QUICK, "", speed, 0)
    estimate = estimate_cost(QUICK, n_train=60, n_dev=20, n_test=n_test, avg_question_tokens=60,
                             prompt_tokens_per_s=200, gen_tokens_per_s=speed, closed_answers=False,
                             worked_examples=worked)
    ctx.clock.expect(estimate.calls_by_stage, 20, token_limits(QUICK))
    return ctx


class Batched:
    parallel = 16


# SmolLM2-135M's Quick run on compare_numbers (seed 1, 1 thread, 16 at a time), recorded by
# benchmarks/bench_time_left.py: (stage, kind, calls, seconds, tokens written). A follow-up
# turn has 0 calls. The plans' scoring wrote twice the tokens of the tries' scoring after
# it, and the search ended after two rewrites that gave nothing new (no try scored).
SMOLLM2_RUN = [
    ("simple", "direct", 20, 8.90, 282), ("simple", "few_examples", 20, 4.88, 57),
    ("simple", "zero_shot_cot", 20, 28.39, 2335), ("simple", "zero_shot_cot", 0, 1.73, 27),
    ("simple", "worked_examples", 20, 9.22, 598), ("plan", "plan", 3, 5.69, 165),
    ("collect", "evaluation", 20, 14.31, 796), ("collect", "evaluation", 20, 23.33, 1204),
    ("collect", "evaluation", 20, 31.09, 1418), ("collect", "execution", 1, 2.21, 47),
    ("collect", "execution", 1, 4.99, 146), ("collect", "execution", 1, 3.40, 105),
    ("collect", "execution", 1, 1.15, 41), ("collect", "execution", 1, 1.13, 37),
    ("search", "evaluation", 20, 11.12, 594), ("search", "evaluation", 20, 14.21, 767),
    ("search", "operator", 1, 6.30, 160), ("search", "execution", 1, 2.07, 30),
    ("search", "execution", 1, 2.61, 39), ("search", "operator", 1, 2.18, 36),
    ("baselines", "direct", 24, 11.82, 380), ("baselines", "few_examples", 24, 5.16, 70),
    ("baselines", "zero_shot_cot", 24, 41.49, 2865), ("baselines", "zero_shot_cot", 0, 2.33, 35),
    ("baselines", "worked_examples", 24, 12.28, 724), ("baselines", "evaluation", 24, 14.31, 714),
]
# A slow model writing long answers (shaped like the Gemma 3 270M run of issue 20: plain
# answers run to their limit, step by step to 256 tokens plus a follow-up; racing drops a
# try after its first 16 questions; the search stops after two rewrites).
SLOW_RUN = [
    ("simple", "direct", 20, 14.0, 1280), ("simple", "few_examples", 20, 17.0, 1280),
    ("simple", "zero_shot_cot", 20, 75.0, 5120), ("simple", "zero_shot_cot", 0, 9.0, 300),
    ("plan", "plan", 3, 48.0, 768),
    *[("collect", "evaluation", 20, 26.0, 1900)] * 3,
    ("collect", "execution", 1, 11.0, 150), ("collect", "execution", 1, 12.0, 160),
    ("collect", "execution", 1, 9.0, 120),
    ("search", "evaluation", 20, 27.0, 1900), ("search", "evaluation", 20, 26.0, 1900),
    ("search", "operator", 1, 13.0, 150), ("search", "evaluation", 16, 23.0, 1500),
    ("search", "operator", 1, 12.0, 140), ("search", "evaluation", 16, 22.0, 1500),
    ("baselines", "direct", 32, 21.0, 2048), ("baselines", "direct", 8, 6.0, 512),
    ("baselines", "few_examples", 32, 24.0, 2048), ("baselines", "few_examples", 8, 7.0, 512),
    ("baselines", "zero_shot_cot", 32, 120.0, 8192), ("baselines", "zero_shot_cot", 0, 12.0, 600),
    ("baselines", "zero_shot_cot", 8, 34.0, 2048), ("baselines", "zero_shot_cot", 0, 6.0, 150),
    ("baselines", "evaluation", 32, 40.0, 3000), ("baselines", "evaluation", 8, 11.0, 760),
]
RACED_OUT = {(id(SLOW_RUN), 13): 4, (id(SLOW_RUN), 15): 4}  # racing skipped 4 questions after these


def replay(ctx, run, every=10.0):
    """Drive `ctx` through `run` as the run does it (stage changes, a progress event before
    each request, the calls accounted after it) and return, every `every` seconds, what a
    front end shows then (the last event's range ticked down) and the time really left."""
    total = sum(seconds for *_, seconds, _ in run)
    shown, now = [], 0.0
    for i, (stage, kind, calls, seconds, tokens) in enumerate(run):
        if ctx.clock.stage != stage:
            ctx.clock.start_stage(stage)
        event = ctx.progress(busy=kind, calls=calls)
        t = 0.0
        while t < seconds:
            shown.append((now + t, time_left_now(event, t), total - now - t))
            t += every
        ctx.clock.record(kind, calls, seconds, tokens)
        ctx.clock.account(kind, calls)
        ctx.clock.skipped(RACED_OUT.get((id(run), i), 0))
        now += seconds
    return shown


def misses(shown, slack=0.3, after=60.0, resolution=5.0):
    """The points after the first minute where the time left was outside the range widened by
    `slack` (and by the `resolution` of the words: 'about 5 s' is the least they say)."""
    return [(round(at), span, round(left)) for at, span, left in shown if at >= after and
            (span is None or not (1 - slack) * span[0] - resolution <= left <= (1 + slack) * span[1] + resolution)]


def test_a_recorded_smollm2_run_keeps_the_promise_after_the_first_minute():
    shown = replay(quick_context(Batched(), n_test=24, worked=True), SMOLLM2_RUN)
    assert len(shown) > 20 and misses(shown) == []


def test_a_slow_model_with_long_answers_keeps_the_promise():
    shown = replay(quick_context(Batched()), SLOW_RUN)
    assert len(shown) > 60 and misses(shown) == []


def test_the_promise_holds_one_at_a_time_too():
    one_at_a_time = [(stage, kind, calls, seconds * (1.6 if calls > 1 else 1.0), tokens)
                     for stage, kind, calls, seconds, tokens in SLOW_RUN]
    assert misses(replay(quick_context(None), one_at_a_time)) == []


def test_a_range_from_the_first_event_before_any_call_is_measured():
    """The first step-by-step batch of a slow model can take minutes: the range must not
    wait for a minute of finished calls (it once showed 'measuring…' for 3 minutes)."""
    ctx = quick_context(Batched())
    ctx.clock.start_stage("simple")
    first = ctx.progress(busy="direct", calls=20)
    assert first.eta_low_seconds is not None and 0 < first.eta_low_seconds < first.eta_high_seconds
    assert first.busy == "direct" and 0 < first.busy_low_seconds <= first.busy_high_seconds
    ctx.clock.record("direct", 20, 10.0, 1280)  # ten seconds measured: enough for a range
    ctx.clock.account("direct", 20)
    assert ctx.clock.time_left() is not None


def test_a_kind_not_measured_yet_is_priced_by_its_token_limit_not_by_another_kinds_pace():
    clock = CallClock()
    clock.record("direct", 20, 10.0, 400)  # short answers: 0.5 s a call, 0.025 s a token
    prior = Prior(40.0, {"direct": 64, "zero_shot_cot": 280}, batch_gain=1.5)
    low, high = pace(clock, "zero_shot_cot", prior)
    assert high == pytest.approx(280 * 0.025) and low == pytest.approx(0.2 * 280 * 0.025)
    assert pace(clock, "direct", prior) == (0.5, 0.5)  # a measured kind: its own mean
    clock.record("direct", 20, 6.0, 400)
    assert pace(clock, "direct", prior) == (0.3, 0.4)  # … and its fastest batch at the low end
    # a kind never decoded together is priced at the single-request speed measured at the start
    assert pace(clock, "operator", Prior(40.0, {"operator": 160})) == pytest.approx((0.2 * 160 / 40, 160 / 40))


def test_a_follow_up_turn_counts_toward_the_answers_it_follows():
    clock = CallClock()
    clock.record("zero_shot_cot", 20, 60.0, 5000)
    clock.record("zero_shot_cot", 0, 10.0, 200)
    assert clock.per_call("zero_shot_cot") == pytest.approx(3.5) and clock.calls["zero_shot_cot"] == 20


def test_the_low_end_lets_the_search_stop_as_early_as_it_likely_does():
    # after a step that finds nothing better the search stops with p = 0.2: it reaches its
    # second step with 80 % probability only; with p = 0.05 its third with 90 %
    assert steps_reached(6, 0.2) == 1 and steps_reached(6, 0.0) == 6 and steps_reached(0, 0.2) == 0
    assert steps_reached(12, 0.05) == 3
    clock = CallClock()
    clock.record("operator", 1, 6.0)
    clock.record("evaluation", 60, 60.0)
    remaining = Remaining({"operator": 6, "evaluation": 120}, 6, 20, 0.2, 0.0)
    low, high = eta_range(clock, remaining)
    assert high == pytest.approx(6 * 6.0 + 120 * 1.0) and low == pytest.approx(1 * 6.0 + 20 * 1.0)


def progress(low, high, busy="", busy_low=0.0, busy_high=0.0):
    return Progress(1, "plan", 10, 100, (low + high) / 2, 50.0, 10, 0, low, high, busy, busy_low, busy_high)


def test_the_range_ticks_down_between_events_but_not_below_what_follows_the_work_in_progress():
    p = progress(300.0, 600.0, "plan", 100.0, 200.0)
    assert time_left_now(p, 0) == (300.0, 600.0)
    assert time_left_now(p, 50) == (250.0, 550.0)
    # the plans take longer than expected: the range stops at what is left after them
    assert time_left_now(p, 150) == (200.0, 450.0)
    assert time_left_now(p, 400) == (200.0, 400.0)
    assert time_left_now(progress(300.0, 600.0), 100) == (300.0, 600.0)  # nothing in progress: no tick
    assert time_left_now(Progress(1, "plan", 0, 10, None, 0.0, 0, 0), 30) is None
    assert time_left_words(p, 150) == "about 3–8 min left"


def test_after_a_minute_without_progress_the_run_says_what_it_is_doing():
    p = progress(300.0, 600.0, "plan", 100.0, 200.0)
    assert no_progress_words(p, NO_PROGRESS_S - 1) is None
    assert no_progress_words(p, 61) == ("Writing approaches… (no progress for 1 min; long answers take a while "
                                        "with this model)")
    assert no_progress_words(progress(300.0, 600.0, "zero_shot_cot"), 130).startswith(
        "Answering the questions step by step… (no progress for 2 min")
    assert no_progress_words(progress(300.0, 600.0), 300) is None  # between requests: nothing to say


def test_each_request_is_announced_with_its_expected_share(store):
    """Before each request the run yields a progress event naming what it waits for, so a
    front end can tick; the calibrated pick's calls are counted and timed like every other,
    so no budgeted call is left over when the run ends (they once stayed as phantom time)."""
    d, truth = even_task(store)
    lefts = []
    original = eta_module.calls_left

    def spy(*args):
        lefts.append(original(*args))
        return lefts[-1]

    eta_module.calls_left = spy
    try:
        events, result = drain(run_optimization(store, leaning_model(truth), d.id, CFG.with_overrides(test_limit=30),
                                                tokens_per_second=SPEED))
    finally:
        eta_module.calls_left = original
    assert result.status == "finished"
    busy = {e.busy for e in events if e.kind == "Progress" and e.busy}
    assert {"direct", "few_examples", "zero_shot_cot", "calibrated", "plan", "evaluation"} <= busy
    assert all(e.busy_high_seconds <= e.eta_high_seconds for e in events if e.kind == "Progress" and e.busy)
    assert lefts[-1] and not any(lefts[-1].values())

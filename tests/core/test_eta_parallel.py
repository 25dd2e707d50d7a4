"""Time left as a range (core/optimizer/eta.py), the pre-run estimate's range, and how many
questions are decoded together (memory estimate and automatic choice)."""

import pytest

from debop_desktop.core.llm.batched import batch_context
from debop_desktop.core.memory import AUTO_PARALLEL_MAX, auto_parallel, kv_cache_bytes
from debop_desktop.core.optimizer.config import PRESETS, estimate_cost
from debop_desktop.core.optimizer.eta import CallClock, Remaining, eta_range, words_for_seconds

META = {"llama.block_count": 30, "llama.embedding_length": 576, "llama.attention.head_count": 9,
        "llama.attention.head_count_kv": 3}
GiB = 1024 ** 3


def remaining(**kw):
    base = {"calls": {"plan": 0, "execution": 0, "operator": 10, "evaluation": 200}, "iterations_left": 10,
            "evaluations_per_iteration": 20, "early_stop_probability": 0.2, "racing_skip_share": 0.0}
    return Remaining(**(base | kw))


def test_each_kind_uses_its_own_time_and_the_high_end_is_the_worst_case():
    clock = CallClock()
    clock.record("operator", 1, 6.0)  # a rewrite: long
    clock.record("evaluation", 60, 60.0)  # an answer: 1 s each
    low, high = eta_range(clock, remaining())
    assert high == pytest.approx(10 * 6.0 + 200 * 1.0)
    # the search reaches 1 more step with 90 % probability (early stop 0.2, test_time_left.py):
    # 9 rewrites and 9 x 20 answers fewer
    assert low == pytest.approx(1 * 6.0 + (200 - 9 * 20) * 1.0)


def test_racing_savings_so_far_shorten_the_low_end_only():
    clock = CallClock()
    clock.record("evaluation", 100, 100.0)
    only_answers = {"evaluation": 200}
    low0, high0 = eta_range(clock, remaining(calls=only_answers, early_stop_probability=0.0))
    low, high = eta_range(clock, remaining(calls=only_answers, early_stop_probability=0.0, racing_skip_share=0.5))
    assert high == high0 == low0 == pytest.approx(200.0) and low == pytest.approx(100.0)


def test_smoothing_follows_a_change_of_speed_gradually():
    clock = CallClock()
    clock.record("evaluation", 1, 1.0)
    clock.record("evaluation", 1, 3.0)
    assert 1.0 < clock.per_call("evaluation") < 3.0
    assert clock.per_call("execution") is None  # an unseen kind is priced by its token limit (test_time_left.py)


def test_words_are_a_range_or_one_figure():
    assert words_for_seconds(180, 360) == "about 3–6 min"
    assert words_for_seconds(300, 320) == "about 5 min"
    assert words_for_seconds(2, 4) == words_for_seconds(1, 6) == "about 5 s"  # never "about 5–5 s"
    assert words_for_seconds(20, 60) == "about 20–60 s"


def test_pre_run_estimate_is_a_range_with_batching_only_at_the_low_end():
    args = dict(n_train=60, n_dev=30, n_test=40, avg_question_tokens=60, prompt_tokens_per_s=250,
                gen_tokens_per_s=50)
    one = estimate_cost(PRESETS["balanced"], **args)
    many = estimate_cost(PRESETS["balanced"], **args, parallel=8)
    assert one.minutes_low < one.minutes and many.minutes == pytest.approx(one.minutes)
    assert many.minutes_low < one.minutes_low
    assert sum(one.calls_by_kind.values()) == one.model_calls
    assert "at most" not in one.in_words() and one.in_words().startswith("about ")


def test_memory_counts_the_extra_sequences():
    one = kv_cache_bytes("llama", META, batch_context(2048, 1))
    eight = kv_cache_bytes("llama", META, batch_context(2048, 8))
    assert eight - one == kv_cache_bytes("llama", META, 7 * 512)


def test_automatic_parallel_fits_memory_and_needs_two_cores():
    kw = dict(size_bytes=100 * 1024 ** 2, architecture="llama", metadata=META, n_ctx=2048)
    assert auto_parallel(**kw, available_ram=16 * GiB, cpu_count=2) == AUTO_PARALLEL_MAX
    assert auto_parallel(**kw, available_ram=16 * GiB, cpu_count=1) == 1
    small = auto_parallel(**kw, available_ram=int(0.35 * GiB), cpu_count=4)
    assert 1 <= small < AUTO_PARALLEL_MAX
    assert auto_parallel(**(kw | {"metadata": {}}), available_ram=16 * GiB, cpu_count=4) == 1


def test_a_finished_stage_leaves_no_calls_behind():
    """Once the final exam starts, what the search did not use of its budget (early stop,
    racing, answers found in the cache) is no longer counted as still to come."""
    from debop_desktop.core.optimizer.config import OptimizerConfig
    from debop_desktop.core.optimizer.evaluate import RunContext

    ctx = RunContext(1, None, None, None, OptimizerConfig(early_stop_probability=0.0), "", 50.0, 0)
    ctx.clock.expect({"search": {"operator": 10, "evaluation": 200}, "baselines": {"evaluation": 40}}, 0,
                     ctx.clock.prior.max_tokens)
    ctx.clock.start_stage("search")
    ctx.clock.record("evaluation", 60, 60.0)
    ctx.clock.record("operator", 1, 5.0)
    ctx.clock.account("evaluation", 60)
    ctx.clock.account("operator", 2)
    low, high = ctx.clock.time_left()
    assert high == pytest.approx(8 * 5.0 + (140 + 40) * 1.0)
    ctx.clock.start_stage("baselines")
    assert ctx.clock.time_left() == pytest.approx((40.0, 40.0))
    ctx.clock.account("evaluation", 10)
    assert ctx.clock.time_left() == pytest.approx((30.0, 30.0))

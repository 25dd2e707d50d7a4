"""A try's `model_calls` (what it cost to find and score it) is the same whether the run went
through at once or was stopped in the middle of the search and resumed: a resumed run counts
the calls it takes from the record, the rewrite that made a try and the sampled executions
that found a seed included (before, a try found again on resume was rewritten as its dev
answers only, one call short)."""

import itertools

import pytest
from run_helpers import drain
from simulated_env import cancelling_backend, simulated_backend

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.run import resume, run_optimization

CFG = OptimizerConfig(n_plans=3, dev_limit=20, n_seeds=2, max_iterations=10, early_stop_probability=0.0,
                      test_limit=12, seed=3)


def sums(store):
    pairs = [(f"What is {a} + {b}?", str(a + b)) for a, b in itertools.product(range(10), range(9))][:90]
    rows = [NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(pairs)]
    return DatasetRepository(store).create(name="sums", examples=rows, instruction="Add the numbers.",
                                           scorer="number", answer_type="number"), dict(pairs)


def calls_by_node(store, run_id):
    """Each node of the run's tree in order: how it was made, its demonstration, reward and cost."""
    return store.execute("SELECT operator, iteration, tree_index, demo_json, reward, model_calls FROM nodes "
                         "WHERE run_id = ? ORDER BY id", (run_id,)).fetchall()


@pytest.mark.parametrize("cancel_after", [260, 330])  # a try being scored; the last try just scored
def test_a_resumed_search_charges_each_try_what_it_cost(store, cancel_after):
    d, answers = sums(store)
    reference = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40.0))[1]
    token = CancelToken()
    backend = cancelling_backend(answers, cancel_after, token)
    stopped = drain(run_optimization(store, backend, d.id, CFG, cancel=token, tokens_per_second=40.0))[1]
    assert stopped.status == "cancelled"
    found = store.execute("SELECT COUNT(*) FROM nodes WHERE run_id = ? AND operator != 'seed'",
                          (stopped.run_id,)).fetchone()[0]
    assert found >= 3  # stopped in the middle of the search, with tries and seeds to find again
    finished = drain(resume(store, simulated_backend(answers)[0], stopped.run_id))[1]
    assert finished.status == "finished"
    expected = calls_by_node(store, reference.run_id)
    assert all(calls > 0 for *_, calls in expected)
    assert calls_by_node(store, stopped.run_id) == expected  # the same tree, each node charged the same
    assert [c.model_calls for c in finished.candidates] == [c.model_calls for c in reference.candidates]




def asking(backend, model, cancel_at=None, token=None):
    """Keeps what `model` is asked (the last message of each prompt); cancels at call `cancel_at`."""
    asked = []
    original = model.__call__

    def script(messages, params):
        if cancel_at is not None and model.calls + 1 >= cancel_at:
            token.cancel()
        asked.append(messages[-1].content)
        return original(messages, params)

    backend._script = script
    return asked


def test_a_resumed_search_asks_no_try_again_not_even_one_that_gave_nothing_new(store):
    d, answers = sums(store)
    train = {e.input for e in DatasetRepository(store).optimizer_examples(d.id, "train")}
    backend, model = simulated_backend(answers)
    reference = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=40.0))[1]
    made = [i for (i,) in store.execute("SELECT iteration FROM nodes WHERE run_id = ? AND operator != 'seed'",
                                        (reference.run_id,))]
    assert len(made) < CFG.max_iterations  # some tries gave nothing new (no node): dead ends

    def a_try(prompt):  # a rewrite, or an execution on a train question (a resample); not a dev answer
        return prompt.startswith("Here is a worked example") or any(prompt.startswith(q + "\n") for q in train)

    for cancel_at in (300, 330):  # in the search's last tries, with dead ends behind
        token = CancelToken()
        backend, model = simulated_backend(answers)
        before = asking(backend, model, cancel_at, token)
        stopped = drain(run_optimization(store, backend, d.id, CFG, cancel=token, tokens_per_second=40.0))[1]
        assert stopped.status == "cancelled"
        backend, model = simulated_backend(answers)
        after = asking(backend, model)
        finished = drain(resume(store, backend, stopped.run_id))[1]
        assert finished.status == "finished"
        assert [p for p in after if a_try(p) and p in before] == [], cancel_at  # none asked twice
        assert calls_by_node(store, stopped.run_id) == calls_by_node(store, reference.run_id)

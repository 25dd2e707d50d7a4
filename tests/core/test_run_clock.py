"""A run's progress and time left live on its clock (eta.RunClock), fed by the model gateway's
counted calls and the scoring loop; no stage counts a call by hand, so a try's model calls are
what finding and scoring it asked of the model, each once."""

from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.eta import RunClock
from debop_desktop.core.optimizer.model_gateway import ModelGateway
from debop_desktop.core.optimizer.run import run_optimization


def test_the_gateway_feeds_the_clock_every_call_it_makes_but_not_a_follow_up_turn():
    clock = RunClock()
    gateway = ModelGateway(1, ScriptedBackend(["4"]), None, clock, lambda kind, calls: clock.progress(1))
    question, params = [ChatMessage("user", "2 + 2?")], GenerationParams(max_tokens=8)
    drain(gateway.call_many([question] * 3, params, "direct"))
    assert clock.done == 3 and clock.pace.done["direct"] == 3 and clock.pace.calls["direct"] == 3
    drain(gateway.call_many([question] * 2, params, "direct", follow_up=True))  # counts with the answer it follows
    assert clock.done == 3 and clock.pace.calls["direct"] == 3
    drain(gateway.call(question, params, "operator"))
    drain(gateway.measured("calibrated", lambda: ("yes",)))
    assert clock.done == 5 and clock.pace.done["operator"] == clock.pace.done["calibrated"] == 1
    assert gateway.calls_made == 7  # the follow-ups were model calls too
    progress = clock.progress(1, busy="direct", calls=2)
    assert progress.done == 5 and progress.total == 5 and progress.calls_saved == 0 and progress.busy == "direct"


def test_each_try_counts_its_rewrite_and_its_answers_once(store):
    d, answers = make_dataset(store)
    cfg = CFG.with_overrides(racing=False)
    events, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, cfg,
                                            tokens_per_second=SPEED))
    children = [c for c in result.candidates if c.parent_id is not None]
    assert children and all(c.model_calls == 1 + cfg.dev_limit for c in children)  # one rewrite, every dev answer
    roots = [c for c in result.candidates if c.parent_id is None]
    assert all(c.model_calls >= cfg.dev_limit + 1 for c in roots)  # its seed's execution(s), then dev
    stored = dict(store.execute("SELECT id, model_calls FROM nodes WHERE run_id = ?", (result.run_id,)).fetchall())
    assert stored == {c.node_id: c.model_calls for c in result.candidates}
    progress = [e for e in events if e.kind == "Progress"]
    assert progress[-1].calls_saved == 0 and progress[-1].done >= sum(c.model_calls for c in result.candidates)

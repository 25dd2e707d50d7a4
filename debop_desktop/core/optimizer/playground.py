"""Try a finished run on a new question: the model as it was (direct prompting) and with the
tuned behavior, one after the other, each streamed as it is written.

Both answers come from the same loaded model, so they take turns rather than run at once
(llama.cpp runs one generation at a time per model); the front end shows them side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from debop_desktop.core import behaviors
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.llm.base import CancelToken, ChatBackend
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.scoring.scorers import get_scorer, score_output
from debop_desktop.core.store import Store

SIDES = ("untuned", "tuned")
OnSideText = Callable[[str, str], None]  # (side, chunk)


@dataclass(frozen=True)
class PlaygroundAnswer:
    side: str
    output: str
    answer: str | None  # what the task's scorer reads as the answer; None when it finds none
    seconds: float
    tokens: int
    asks_model: bool = True  # False: a rule that asked no model (the most common answer): no time to show


@dataclass(frozen=True)
class PlaygroundRun:
    """What the playground needs of a run, read once on the UI side."""

    run_id: int
    model_id: int | None
    label: str


def playground_runs(store: Store) -> list[PlaygroundRun]:
    """Runs that have a tuned behavior, newest first."""
    return [PlaygroundRun(r["id"], r["model_id"], f"Run {r['id']}: {r['dataset'] or 'deleted task'} with "
                          f"{r['model'] or 'a removed model'}")
            for r in RunRepository(store).named() if r["best_node_id"] is not None]


def ask_both(store: Store, run_id: int, question: str, backend: ChatBackend, *,
             on_text: OnSideText | None = None, cancel: CancelToken | None = None) -> list[PlaygroundAnswer]:
    """Answer `question` with plain prompting and with the behavior the run ships, each
    exactly as the run scored it (messages, token limit, grammar, follow-up turn or rule).
    Raises `Cancelled` on Stop."""
    tuned = load_tuned(store, run_id)
    direct = tuned.as_method("direct")
    dataset = DatasetRepository(store).get(tuned.run["dataset_id"])
    scorer = get_scorer(dataset.scorer, **dataset.scorer_options)
    answers = []
    for side, behavior in (("untuned", direct), ("tuned", tuned)):
        chunk_to = (lambda text, s=side: on_text(s, text)) if on_text else None
        out = behavior.answer(backend, question, cancel=cancel, on_text=chunk_to)
        scored = score_output(out.text, "", scorer, question)
        answers.append(PlaygroundAnswer(side, out.text, scored.extracted, out.seconds, out.completion_tokens,
                                        getattr(behaviors.kind(behavior.method), "counts_calls", True)))
    return answers

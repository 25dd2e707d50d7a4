"""Runs recorded in the store with the simulated model, for the pages that show results."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from run_helpers import drain  # noqa: E402
from simulated_env import simulated_backend  # noqa: E402
from test_optimizer_run import CFG, make_dataset  # noqa: E402

from debop_desktop.core.llm.base import CancelToken  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402


@pytest.fixture
def runs(store, tiny_gguf):
    """(finished, cancelled) runs on one task, recorded against the tiny GGUF in the library."""
    from debop_desktop.core.library import ModelLibrary

    model_id = ModelLibrary(store).add(tiny_gguf).record.id  # the model a resume or the playground loads
    d, answers = make_dataset(store)
    _, finished = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40,
                                         model_id=model_id))
    token = CancelToken()
    token.cancel()
    _, cancelled = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, cancel=token,
                                          tokens_per_second=40, model_id=model_id))
    return finished, cancelled

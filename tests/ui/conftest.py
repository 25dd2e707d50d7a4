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


@pytest.fixture
def optimize_page(qtbot, store, tiny_gguf):
    """The Optimize page with the tiny GGUF and a 60-question sums task, set to a short run."""
    from debop_desktop.core.datasets.repository import DatasetRepository, NewExample, WorkedExample
    from debop_desktop.core.library import ModelLibrary
    from debop_desktop.core.samples import SAMPLE_TASKS
    from debop_desktop.ui.optimize_page import OptimizePage

    ModelLibrary(store).add(tiny_gguf)
    task = SAMPLE_TASKS["arithmetic"]
    pairs = task.generate(60, seed=1, difficulty=1)
    worked = [WorkedExample(*w) for w in task.worked(3, 1, 1, {q for q, _ in pairs})]
    DatasetRepository(store).create(
        name="sums", instruction=task.instruction, scorer="number", worked_examples=worked,
        examples=[NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(pairs)])
    page = OptimizePage(store)
    qtbot.addWidget(page)
    page.show()
    page.advanced.setChecked(True)
    page.advanced.controls["max_iterations"].setValue(3)
    page.advanced.controls["dev_limit"].setValue(6)
    return page

"""Gemma 3 270M, a base model without a chat template (issue 24): the Models page says so, Say
hello answers through the plain transcript, and a Quick run on a sample task ends without errors.

Opt-in (slow, a 253 MB model): `python tests/fetch_test_models.py --gemma`, then
DEBOP_TEST_GEMMA=1. The default `make test` keeps to SmolLM2 and the tiny model."""

import json
import os

import pytest
from fetch_test_models import gemma3_path

from debop_desktop.cli import main
from debop_desktop.core.library import ModelLibrary
from debop_desktop.ui.model_panels import DetailsPanel

pytestmark = pytest.mark.skipif(os.environ.get("DEBOP_TEST_GEMMA") != "1",
                                reason="opt-in: DEBOP_TEST_GEMMA=1 (and fetch_test_models.py --gemma)")


@pytest.fixture(scope="module")
def gemma():
    path = gemma3_path()
    if not path.is_file():
        pytest.skip(f"Gemma 3 270M not fetched to {path} (python tests/fetch_test_models.py --gemma)")
    return path


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_gemma_is_a_base_model_that_answers_say_hello(qtbot, store, gemma):
    record = ModelLibrary(store).add(gemma).record
    assert not record.has_chat_template
    panel = DetailsPanel(store)
    qtbot.addWidget(panel)
    panel.show_record(record)
    assert "base model (no chat template): works best with examples" in panel.info.toPlainText()
    panel.say_hello()
    qtbot.waitUntil(lambda: panel.hello_button.isEnabled(), timeout=120_000)
    reply = panel.reply.toPlainText()
    assert "It works:" in reply and "User:" not in reply  # the transcript's stop strings end the turn


def test_gemma_completes_a_quick_run_on_a_sample_task(capsys, home, gemma):
    assert run(capsys, home, "models", "add", str(gemma))[0] == 0
    assert run(capsys, home, "datasets", "sample", "arithmetic", "--n", "60", "--seed", "1")[0] == 0
    code, out, err = run(capsys, home, "optimize", "--model", "1", "--dataset", "1", "--preset", "quick",
                         "--dev-limit", "8", "--test-limit", "8", "--iterations", "2")
    assert code == 0, err
    assert "The run stopped because of an error" not in err and "Held-out test split" in out
    [listed] = json.loads(run(capsys, home, "--json", "runs", "list")[1])
    assert listed["status"] == "finished"

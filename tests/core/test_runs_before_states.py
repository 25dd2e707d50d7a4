"""Runs recorded by the code before behaviors kept states of their own (commit a3a5dc6;
tests/data/runs_before_states.py made the database there and wrote down what that code showed)
open, answer (`ask`, the Playground's sides), export and resume byte for byte as then: the kit's
stored keys (`instruction`, `answer_space`, `few_examples`, `calibration`, `most_common`,
`train_pool`) are read, and written back unchanged."""

import json
import shutil
import sys
from pathlib import Path

import pytest

from debop_desktop.core.paths import DB_FILENAME
from debop_desktop.core.store import open_store

DATA = Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
import runs_before_states as before  # noqa: E402

SEEN = json.loads((DATA / before.SEEN).read_text())


@pytest.fixture
def old_store(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(DATA / before.DB, home / DB_FILENAME)
    store = open_store(home)
    yield store
    store.close()


def test_a_finished_run_recorded_then_shows_answers_and_exports_as_then(old_store):
    run = SEEN["finished"]
    shown = SEEN["shown"][str(run)]
    assert shown["shipped"] == "few_examples" and "calibration" in shown["kit"] and "train_pool" in shown["kit"]
    assert before.observe(old_store, run) == shown


def test_a_run_stopped_then_resumes_to_what_that_code_recorded(old_store):
    run = SEEN["stopped"]
    resumed = before.resume_stopped(old_store, run)
    assert resumed["status"] == "finished" and "states" not in resumed["recorded"]["kit"]
    assert resumed == SEEN["resumed"]
    assert before.observe(old_store, run) == SEEN["shown"][str(run)]

"""`debop compare` end to end on real GGUF files: two tiny random models of different sizes
(gibberish answers, so no model reaches a target), loaded one at a time through the model host."""

import json

import pytest

from debop_desktop.cli import main
from debop_desktop.core.compare.fit import memory_needed
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import open_store
from debop_desktop.core.tiny_model import write_tiny_gguf

FAST = ["--first-look", "--dev-limit", "4", "--test-limit", "4", "--threads", "1"]


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def bigger_tiny(tmp_path_factory):
    return write_tiny_gguf(tmp_path_factory.mktemp("models") / "tiny-bigger.gguf", n_layers=3, n_embd=128,
                           n_ff=256, name="Tiny Bigger", seed=2)


def setup(capsys, home, *models):
    for model in models:
        assert run(capsys, home, "models", "add", str(model))[0] == 0
    assert run(capsys, home, "datasets", "sample", "compare_numbers", "--n", "40", "--seed", "1")[0] == 0


def test_compare_two_tiny_models_end_to_end(capsys, home, tiny_gguf, bigger_tiny):
    setup(capsys, home, tiny_gguf, bigger_tiny)
    code, out, err = run(capsys, home, "compare", "--dataset", "1", "--models", "1,2", "--target", "90", *FAST)
    assert code == 0, err
    assert "Model 1 of 2" in err and "Model 2 of 2" in err
    assert out.splitlines()[1].split()[:3] == ["Model", "Final", "exam"]
    assert "No model reaches your target of 90 %" in out or "Use " in out
    code, out, _ = run(capsys, home, "--json", "compare", "--show", "1")
    shown = json.loads(out)
    assert [m["state"] for m in shown["models"]] == ["done", "done"] and shown["first_look"] is True
    assert all(m["total"] == 4 and m["answers_per_second"] > 0 for m in shown["models"])
    assert sum(m["recommended"] for m in shown["models"]) == 1
    assert shown["models"][0]["file_bytes"] < shown["models"][1]["file_bytes"]
    code, out, _ = run(capsys, home, "compare", "--list")
    assert code == 0 and "Tiny Random Llama, Tiny Bigger" in out and "finished" in out


def test_compare_skips_a_model_over_the_memory_limit(capsys, home, tiny_gguf, bigger_tiny):
    setup(capsys, home, tiny_gguf, bigger_tiny)
    store = open_store(home)
    small, big = sorted(ModelLibrary(store).list(), key=lambda r: r.size_bytes)
    needs = sorted(memory_needed(r, Settings(store)).total_bytes for r in (small, big))
    store.close()
    limit = f"{(needs[0] + needs[1]) // 2}B"
    code, out, err = run(capsys, home, "compare", "--dataset", "1", "--models", f"{big.id},{small.id}",
                         "--memory-limit", limit, *FAST)
    assert code == 0, err
    assert f"{big.name}: Skipped: it needs about" in err and "limit set for this comparison" in out
    shown = json.loads(run(capsys, home, "--json", "compare", "--show", "1")[1])
    assert [m["state"] for m in shown["models"]] == ["skipped", "done"]


def test_compare_says_what_it_needs(capsys, home):
    code, _, err = run(capsys, home, "compare", "--dataset", "1")
    assert code == 2 and "--models 1,2,3" in err
    code, _, err = run(capsys, home, "compare", "--show", "7")
    assert code == 1 and "no comparison number 7" in err

"""The calibrated candidate end to end on real llama.cpp (the tiny random-weight GGUF): a yes/no
task through `debop optimize` (the model in its worker process), then `ask`'s pick by
probability in-process. The weights are random, so only the shape of the result is checked:
every calibrated answer is one of the allowed ones, and the probabilities are real ones."""

import dataclasses
import json
import sqlite3

import pytest

from debop_desktop.cli import main
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.store import open_store


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_calibrated_candidate_runs_end_to_end_and_answers_yes_or_no(home, tiny_gguf, tmp_path, capsys):
    path = tmp_path / "even.csv"
    path.write_text("question,answer\n" + "".join(f"Is {i} even?,{'yes' if i % 2 == 0 else 'no'}\n"
                                                   for i in range(45)), encoding="utf-8")
    run(capsys, home, "models", "add", str(tiny_gguf))
    run(capsys, home, "datasets", "import", str(path), "--scorer", "yes_no")
    run(capsys, home, "optimize", "--model", "1", "--dataset", "1", "--preset", "quick", "--iterations", "1",
        "--dev-limit", "6", "--test-limit", "6", "--threads", "1", "--seed", "1")
    shown = json.loads(run(capsys, home, "--json", "runs", "show", "1"))
    assert shown["run"]["status"] == "finished"
    assert shown["verdict"]["test"]["calibrated"]["total"] == 6
    free = shown["summary"]["behavior"]["calibration"]
    assert free["content_free"] == "N/A" and set(free["probabilities"]) == {"yes", "no"}
    assert sum(free["probabilities"].values()) == pytest.approx(1.0, abs=1e-4)
    con = sqlite3.connect(home / "debop.sqlite3")
    rows = con.execute("SELECT subject, output, reason FROM evaluations "
                       "WHERE subject IN ('dev:calibrated', 'test:calibrated')").fetchall()  # not the confirmation's
    con.close()
    assert len(rows) == 12 and {output for _, output, _ in rows} <= {"yes", "no"}
    assert all(reason.startswith("picked by probability, calibrated: yes") for *_, reason in rows)

    store = open_store(home)
    try:
        calibrated = dataclasses.replace(load_tuned(store, 1), method="calibrated")  # what ask does when it ships
        engine = LlamaEngine(n_threads=1)
        engine.load(str(tiny_gguf))
        try:
            said = calibrated.answer(engine, "Is 100 even?")
        finally:
            engine.unload()
    finally:
        store.close()
    assert said.text in ("yes", "no") and said.completion_tokens == 0

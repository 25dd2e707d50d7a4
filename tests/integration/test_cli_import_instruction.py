"""`debop datasets import --instruction`: the given instruction is stored; without one, the one
suggested from the scoring rule and the answers is stored (and said)."""

import json

from debop_desktop.cli import main


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def reviews(tmp_path):
    path = tmp_path / "reviews.csv"
    rows = [f"The visit number {i} was {('lovely', 'awful')[i % 2]},{('positive', 'negative')[i % 2]}"
            for i in range(40)]
    path.write_text("review,sentiment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def stored_instruction(capsys, home, task):
    code, out, _ = run(capsys, home, "--json", "datasets", "show", str(task), "--limit", "1")
    assert code == 0
    return json.loads(out)["dataset"]["instruction"]


def test_an_instruction_given_is_stored_as_written(capsys, home, tmp_path):
    code, out, err = run(capsys, home, "datasets", "import", str(reviews(tmp_path)),
                         "--instruction", "Is the patient's review positive or negative?")
    assert code == 0, err
    assert "suggested; give your own" not in out
    assert stored_instruction(capsys, home, 1) == "Is the patient's review positive or negative?"


def test_without_an_instruction_the_suggestion_is_stored_and_said(capsys, home, tmp_path):
    code, out, err = run(capsys, home, "datasets", "import", str(reviews(tmp_path)))
    assert code == 0, err
    suggested = "Read the text and choose the label that fits it: negative or positive."
    assert f"Instruction: {suggested}  (suggested; give your own with --instruction)" in out
    assert stored_instruction(capsys, home, 1) == suggested
    # another scoring rule, another suggestion; an empty one is kept empty
    code, out, err = run(capsys, home, "--json", "datasets", "import", str(reviews(tmp_path)), "--scorer", "exact",
                         "--name", "exact")
    assert code == 0, err
    assert json.loads(out)["dataset"]["instruction"] == "Answer the question briefly."
    code, out, err = run(capsys, home, "--json", "datasets", "import", str(reviews(tmp_path)), "--instruction", "",
                         "--name", "none")
    assert code == 0, err
    assert json.loads(out)["dataset"]["instruction"] == ""


def test_a_dry_run_shows_the_instruction_it_would_store(capsys, home, tmp_path):
    code, out, _ = run(capsys, home, "--json", "datasets", "import", str(reviews(tmp_path)), "--dry-run")
    assert code == 0 and json.loads(out)["instruction"].startswith("Read the text and choose the label")

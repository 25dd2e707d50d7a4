"""Issue 25: `debop datasets import --costs` and `debop datasets costs`: a label task's mistake
costs set and shown on the command line; bad costs are a plain error and import nothing."""

import json

from debop_desktop.cli import main


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def triage_csv(tmp_path):
    path = tmp_path / "triage.csv"
    path.write_text("note,priority\n" + "".join(
        f"Note {i} {'chest pain' if i % 3 == 0 else 'repeat prescription'},{'urgent' if i % 3 == 0 else 'routine'}\n"
        for i in range(60)), encoding="utf-8")
    return path


def test_import_keeps_the_costs_and_the_costs_command_shows_and_changes_them(capsys, home, tmp_path):
    code, out, err = run(capsys, home, "datasets", "import", str(triage_csv(tmp_path)), "--costs", "Urgent>routine=5")
    assert code == 0, err
    assert "Mistake costs: missing urgent (answered routine) counts 5 times." in out
    code, out, _ = run(capsys, home, "datasets", "costs", "triage")
    assert out.strip() == ("Task #1 'triage': missing urgent (answered routine) counts 5 times "
                           "(--set \"urgent>routine=5\")")
    code, out, _ = run(capsys, home, "datasets", "show", "1")
    assert "Mistake costs: missing urgent (answered routine) counts 5 times." in out
    code, out, _ = run(capsys, home, "--json", "datasets", "costs", "1", "--set", "routine>urgent=0.5")
    assert code == 0 and json.loads(out) == {"dataset": 1, "labels": ["routine", "urgent"],
                                             "costs": [{"expected": "routine", "given": "urgent", "cost": 0.5}]}
    code, out, _ = run(capsys, home, "datasets", "costs", "1", "--clear")
    assert out.strip() == "Task #1 'triage': Every mistake counts the same."


def test_bad_costs_are_a_plain_error_and_import_nothing(capsys, home, tmp_path):
    path = triage_csv(tmp_path)
    for costs, words in (("urgent>routin=5", "'routin' is not one of this task's answers (routine, urgent)."),
                         ("urgent>routine=-1", "cannot be below 0"),
                         ("urgent>routine=much", "must be a number, like 5; 'much' is not."),
                         ("urgent", "right>given=number")):
        code, _, err = run(capsys, home, "datasets", "import", str(path), "--costs", costs)
        assert code == 1 and words in err and "Traceback" not in err
    code, out, _ = run(capsys, home, "--json", "datasets", "list")
    assert json.loads(out) == []


def test_a_task_without_labels_has_no_costs(capsys, home, tmp_path):
    path = tmp_path / "sums.csv"
    path.write_text("question,answer\n" + "".join(f"What is {i} + {i}?,{2 * i}\n" for i in range(40)))
    code, _, err = run(capsys, home, "datasets", "import", str(path), "--costs", "1>2=5")
    assert code == 1 and "answers of 'sums' are not" in err
    assert run(capsys, home, "datasets", "import", str(path))[0] == 0
    code, _, err = run(capsys, home, "datasets", "costs", "sums", "--set", "1>2=5")
    assert code == 1 and "Mistake costs need a task whose answers are a small set of labels" in err

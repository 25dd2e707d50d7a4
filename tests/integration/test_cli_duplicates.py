"""`debop datasets duplicates TASK [--remove]` on a real imported file, in-process."""

import json

from debop_desktop.cli import main
from debop_desktop.core.datasets.repository import DatasetRepository


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def dosing_file(tmp_path):
    """60 yes/no questions, the first five of them twice (the copies at the end of the file)."""
    rows = [(f"Is {10 * i} mg of drug {i} a safe dose for an adult?", ("yes", "no")[i % 2]) for i in range(60)]
    rows += rows[:5]
    path = tmp_path / "dosing.csv"
    path.write_text("question,answer\n" + "".join(f"{q},{a}\n" for q, a in rows), encoding="utf-8")
    return path


def test_duplicates_are_listed_then_removed_keeping_one_copy(capsys, home, tmp_path, store):
    code, out, err = run(capsys, home, "datasets", "import", str(dosing_file(tmp_path)), "--seed", "3")
    assert code == 0, err
    code, out, err = run(capsys, home, "datasets", "duplicates", "1")
    assert code == 0, err
    assert out.startswith("5 questions appear twice.") and "debop datasets duplicates 1 --remove" in out
    assert out.count("repeat") >= 5 and out.count(" kept") == 5
    assert DatasetRepository(store).get(1).size == 65  # looking changes nothing
    listed = json.loads(run(capsys, home, "--json", "datasets", "duplicates", "1")[1])
    assert listed["questions"] == 5 and listed["extra_rows"] == 5 and listed["removed"] == []
    kept = {g["keep"] for g in listed["groups"]}
    code, out, err = run(capsys, home, "--json", "datasets", "duplicates", "1", "--remove")
    assert code == 0, err
    removed = json.loads(out)["removed"]
    ids = {e.id for e in DatasetRepository(store).examples(1)}
    assert len(removed) == 5 and not ids & set(removed) and kept <= ids and len(ids) == 60
    code, out, _ = run(capsys, home, "datasets", "duplicates", "1")
    assert out.strip() == "No question appears twice in this task."


def test_an_unknown_task_is_a_plain_error(capsys, home):
    code, _, err = run(capsys, home, "datasets", "duplicates", "7")
    assert code == 1 and "No task matches '7'" in err and "Traceback" not in err

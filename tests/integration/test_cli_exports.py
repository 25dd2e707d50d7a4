"""Issue 15 items 5 and 7: `debop export` never overwrites without --force, and every way a
file cannot be written gets its own plain message (never "Something unexpected")."""

import os

import pytest
from test_cli_datasets import recorded_run, run


@pytest.fixture
def run_id(home):
    return recorded_run(home)[1]


def test_export_refuses_to_replace_a_file_without_force(capsys, home, tmp_path, run_id):
    target = tmp_path / "behavior.txt"
    target.write_text("my notes, not an export\n")
    code, _, err = run(capsys, home, "export", str(run_id), "--output", str(target))
    assert code == 1 and "already exists" in err and "--force" in err  # before: silently replaced
    assert target.read_text() == "my notes, not an export\n"
    code, out, _ = run(capsys, home, "export", str(run_id), "--output", str(target), "--force")
    assert code == 0 and "Wrote" in out and f"from DeBoP Desktop run {run_id}" in target.read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # no temporary file left


def read_only_folder(tmp_path):
    if os.geteuid() == 0:  # root may write anywhere it can; /sys refuses even root
        return "/sys"
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    return str(folder)


@pytest.mark.parametrize(("where", "words"), [
    ("missing", "does not exist"),
    ("read-only", "You may not write to"),
    ("folder", "is a folder"),
    ("/dev/full", "no room left on the disk"),
])
def test_export_failures_are_named(capsys, home, tmp_path, run_id, where, words):
    target = {"missing": str(tmp_path / "no-such-folder" / "out.txt"),
              "read-only": os.path.join(read_only_folder(tmp_path), "out.txt"),
              "folder": str(tmp_path), "/dev/full": "/dev/full"}[where]
    code, _, err = run(capsys, home, "export", str(run_id), "--output", target, "--force")
    assert code == 1 and words in err and "unexpected" not in err, err


def test_task_export_names_the_same_failures(capsys, home, tmp_path):
    run(capsys, home, "datasets", "sample", "arithmetic", "--n", "20")
    code, _, err = run(capsys, home, "datasets", "export", "1", str(tmp_path / "nope" / "x.csv"))
    assert code == 1 and "does not exist" in err
    (tmp_path / "x.csv").write_text("keep me")
    code, _, err = run(capsys, home, "datasets", "export", "1", str(tmp_path / "x.csv"))
    assert code == 1 and "already exists" in err and (tmp_path / "x.csv").read_text() == "keep me"
    assert run(capsys, home, "datasets", "export", "1", str(tmp_path / "x.csv"), "--force")[0] == 0

"""`debop datasets …` and `debop score`, run in-process under the network guard."""

import json

from debop_desktop.cli import main


def run(capsys, home, *args):
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def spreadsheet_export(tmp_path):
    """What Excel writes for 'CSV UTF-8' in a semicolon locale: a BOM, ';', CRLF."""
    rows = ["Ticket;Urgency;Notes"] + [f"Ticket number {i} about the printer;{('low', 'high')[i % 2]};"
                                       for i in range(60)]
    path = tmp_path / "tickets.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    return path


def test_spreadsheet_csv_imports_with_report_and_the_right_scorer(capsys, home, tmp_path):
    code, out, err = run(capsys, home, "datasets", "import", str(spreadsheet_export(tmp_path)),
                         "--instruction", "Classify the ticket's urgency.")
    assert code == 0, err
    assert "utf-8-bom, delimiter ';'" in out and "Question: Ticket   Answer: Urgency" in out
    assert "Suggested scoring: One label from a set" in out and "No problems found." in out
    assert "Imported 60 examples as task #1 'tickets' (train 36, dev 12, test 12)" in out
    code, out, _ = run(capsys, home, "--json", "datasets", "show", "1", "--split", "test", "--limit", "100")
    data = json.loads(out)
    assert data["dataset"]["scorer"] == "label" and len(data["examples"]) == 12
    assert data["dataset"]["instruction"] == "Classify the ticket's urgency."


def test_malformed_file_is_a_plain_error_and_imports_nothing(capsys, home, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('q,a\n"unclosed,1\n2,3\n')
    code, _, err = run(capsys, home, "datasets", "import", str(bad))
    assert code == 1 and err.startswith("Error: ") and "quote" in err and "Traceback" not in err
    code, out, _ = run(capsys, home, "--json", "datasets", "list")
    assert json.loads(out) == []


def test_missing_answers_block_until_skipped(capsys, home, tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("q,a\n" + "".join(f"q{i},{'' if i % 10 == 0 else i}\n" for i in range(40)))
    code, out, err = run(capsys, home, "datasets", "import", str(path))
    assert code == 1 and "Problem: 4 row(s) have no expected answer" in out and "--skip-invalid" in err
    code, out, _ = run(capsys, home, "datasets", "import", str(path), "--skip-invalid")
    assert code == 0 and "Left out 4 row(s)" in out


def test_dry_run_writes_nothing(capsys, home, tmp_path):
    code, out, _ = run(capsys, home, "datasets", "import", str(spreadsheet_export(tmp_path)), "--dry-run")
    assert code == 0 and "Preview:" in out
    assert json.loads(run(capsys, home, "--json", "datasets", "list")[1]) == []


def test_choose_columns_and_scorer(capsys, home, tmp_path):
    code, out, err = run(capsys, home, "--json", "datasets", "import", str(spreadsheet_export(tmp_path)),
                         "--input", "Ticket", "--answer", "Urgency", "--scorer", "exact",
                         "--split", "20/20/20")
    data = json.loads(out)
    assert code == 0 and data["dataset"]["scorer"] == "exact"
    assert data["dataset"]["counts"] == {"train": 20, "dev": 20, "test": 20}


def test_sample_show_export_delete(capsys, home, tmp_path):
    code, out, err = run(capsys, home, "datasets", "sample", "arithmetic", "--n", "200", "--seed", "1")
    assert code == 0 and "Only 100 different questions" in err and "100 examples" in out
    code, out, _ = run(capsys, home, "datasets", "sample", "date_arithmetic", "--n", "50",
                       "--difficulty", "2")
    assert code == 0 and "Date arithmetic (level 2)" in out
    code, out, _ = run(capsys, home, "datasets", "list")
    assert "Arithmetic word problems (level 1)" in out and "Multiple-choice letter" in out
    export = tmp_path / "sums.jsonl"
    assert run(capsys, home, "datasets", "export", "1", str(export))[0] == 0
    lines = [json.loads(x) for x in export.read_text().splitlines()]
    assert len(lines) == 100 and {"input", "answer", "split"} <= set(lines[0])
    code, out, _ = run(capsys, home, "datasets", "delete", "1")
    assert code == 0 and "Deleted task" in out


def test_score_a_file_of_outputs(capsys, home, tmp_path):
    run(capsys, home, "datasets", "sample", "arithmetic", "--n", "10", "--split", "4/3/3")
    shown = run(capsys, home, "--json", "datasets", "show", "1", "--limit", "10")[1]
    examples = json.loads(shown)["examples"]
    outputs = tmp_path / "outputs.jsonl"
    with open(outputs, "w") as fh:
        for i, e in enumerate(examples):
            text = f"So the answer is {e['answer']}." if i % 2 == 0 else "I am not sure."
            fh.write(json.dumps({"example_id": e["id"], "output": text}) + "\n")
    code, out, _ = run(capsys, home, "score", "--dataset", "1", "--outputs", str(outputs))
    assert code == 0 and "5 of 10 right (50%)" in out and "no answer found" in out
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"example_id": 99999, "output": "x"}\n')
    code, _, err = run(capsys, home, "score", "--dataset", "1", "--outputs", str(bad))
    assert code == 1 and "Line 1" in err


def recorded_run(home):
    """A finished run on task 1, recorded with the simulated model."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
    from run_helpers import drain
    from simulated_env import simulated_backend
    from test_optimizer_run import CFG, make_dataset

    from debop_desktop.core.optimizer.run import run_optimization
    from debop_desktop.core.store import open_store

    store = open_store(home)
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    store.close()
    return d.id, result.run_id


def test_delete_refuses_a_task_runs_used_until_with_runs(capsys, home):
    task, run_id = recorded_run(home)
    code, _, err = run(capsys, home, "datasets", "delete", str(task))
    assert code == 1 and "1 run(s) used the task 'sums'" in err and "--with-runs" in err
    assert "sums" in run(capsys, home, "datasets", "list")[1]
    code, out, _ = run(capsys, home, "datasets", "delete", str(task), "--with-runs")
    assert code == 0 and "The 1 run(s) made with it keep their results." in out
    assert "No tasks yet" in run(capsys, home, "datasets", "list")[1]
    code, out, _ = run(capsys, home, "export", str(run_id), "--format", "card")
    assert code == 0 and json.loads(out)["dataset"]["name"] == "sums"
    code, _, err = run(capsys, home, "datasets", "show", str(task))
    assert code == 1 and "was deleted" in err


def test_sample_with_no_examples_and_negative_numbers_are_refused_at_the_edge(capsys, home):
    import pytest

    for args in (["datasets", "sample", "arithmetic", "--n", "0"], ["datasets", "show", "1", "--limit", "-1"],
                 ["models", "info", "1", "--ctx", "-5"]):
        with pytest.raises(SystemExit) as info:
            run(capsys, home, *args)
        assert info.value.code == 2
        assert "must be a whole number of 1 or more" in capsys.readouterr().err
    assert json.loads(run(capsys, home, "--json", "datasets", "list")[1]) == []

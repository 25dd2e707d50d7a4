"""Issue 20: an exported Modelfile tells the command that works for the file it was saved as
(`ollama create run-1 -f run-1.Modelfile`), never "save it as 'Modelfile'"."""

import re

from test_cli_datasets import recorded_run, run

from debop_desktop.core.optimizer.export import modelfile_how


def ollama_lines(text):
    return [line.removeprefix("#").strip() for line in text.splitlines() if "ollama " in line]


def test_cli_modelfile_names_the_file_it_was_written_to(capsys, home, tmp_path):
    run_id = recorded_run(home)[1]
    target = tmp_path / f"run-{run_id}.Modelfile"
    code, out, err = run(capsys, home, "export", str(run_id), "--format", "modelfile", "--output", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert ollama_lines(text) == [f"ollama create run-{run_id} -f run-{run_id}.Modelfile", f"ollama run run-{run_id}"]
    assert "'Modelfile'" not in text and "save this text" not in text  # it is saved already


def test_cli_modelfile_on_screen_says_what_to_save_it_as(capsys, home):
    run_id = recorded_run(home)[1]
    code, out, err = run(capsys, home, "export", str(run_id), "--format", "modelfile")
    assert code == 0, err
    assert f"save this text as run-{run_id}.Modelfile; then, in the folder that holds it, run" in out
    assert ollama_lines(out)[0] == f"ollama create run-{run_id} -f run-{run_id}.Modelfile"


def test_a_file_name_with_spaces_is_quoted_and_the_model_name_is_one_ollama_accepts():
    how = modelfile_how(3, "/home/me/My Tickets (v2).Modelfile")
    assert 'ollama create my-tickets-v2 -f "My Tickets (v2).Modelfile"' in how
    assert re.search(r"ollama run my-tickets-v2$", how, re.MULTILINE)
    assert "ollama create notes.txt -f notes.txt" in modelfile_how(3, "notes.txt")

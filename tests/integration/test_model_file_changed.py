"""A model file replaced after it was added is noticed before every load (core/runtime.py)."""

import os

from debop_desktop.cli import main
from debop_desktop.core.tiny_model import write_tiny_gguf


def test_generate_refuses_a_model_file_whose_weights_changed(tmp_path, home, capsys):
    model = write_tiny_gguf(tmp_path / "model.gguf", seed=1)
    assert main(["--home", str(home), "models", "add", str(model)]) == 0
    assert main(["--home", str(home), "generate", "--model", "1", "--max-tokens", "3", "hi"]) == 0
    capsys.readouterr()
    write_tiny_gguf(model, seed=2)  # same size, other weights
    os.utime(model, (1_000_000_000, 1_000_000_000))
    code = main(["--home", str(home), "generate", "--model", "1", "--max-tokens", "3", "hi"])
    err = capsys.readouterr().err
    assert code == 1 and "changed" in err and "Traceback" not in err


def test_a_run_does_not_resume_on_other_weights(tmp_path, home, capsys):
    model = write_tiny_gguf(tmp_path / "model.gguf", seed=1)
    assert main(["--home", str(home), "models", "add", str(model)]) == 0
    assert main(["--home", str(home), "datasets", "sample", "arithmetic", "--n", "30", "--seed", "1"]) == 0
    assert main(["--home", str(home), "optimize", "--model", "1", "--dataset", "1", "--iterations", "1",
                 "--dev-limit", "4", "--test-limit", "4", "--threads", "1"]) == 0
    import sqlite3

    con = sqlite3.connect(home / "debop.sqlite3")
    con.execute("UPDATE runs SET status = 'interrupted'")
    con.commit()
    con.close()
    write_tiny_gguf(model, seed=2)
    assert main(["--home", str(home), "models", "add", str(model)]) == 0  # the same path, added again
    capsys.readouterr()
    code = main(["--home", str(home), "resume", "1", "--threads", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "Run 1 cannot continue" in err and "Traceback" not in err

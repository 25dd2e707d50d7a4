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

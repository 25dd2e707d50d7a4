"""The `debop` CLI, run in-process (so the network guard covers it) and once as a program."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from debop_desktop.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_info_remove(capsys, home, tiny_gguf):
    code, out, err = run(capsys, "--home", str(home), "models", "add", str(tiny_gguf))
    assert code == 0 and "Tiny Random Llama" in out and "llama" in out and "F32" in out
    code, out, _ = run(capsys, "--home", str(home), "--json", "models", "list")
    [model] = json.loads(out)
    assert code == 0 and model["vocab_size"] == 1000 and model["file_present"]
    code, out, _ = run(capsys, "--home", str(home), "models", "info", "1", "--ctx", "1024")
    assert code == 0 and "Memory at 1024 ctx" in out and "Fits" in out
    code, out, _ = run(capsys, "--home", str(home), "models", "remove", "1")
    assert code == 0 and "still at" in out and tiny_gguf.is_file()
    code, out, _ = run(capsys, "--home", str(home), "models", "list")
    assert "empty" in out


def test_bad_file_gives_a_plain_error_and_no_traceback(capsys, home, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\xff" * 64)
    code, out, err = run(capsys, "--home", str(home), "models", "add", str(bad))
    assert code == 1 and err.startswith("Error: ") and "Traceback" not in err
    code, out, _ = run(capsys, "--home", str(home), "--json", "models", "list")
    assert json.loads(out) == []


def test_unknown_model_is_a_plain_error(capsys, home):
    code, _, err = run(capsys, "--home", str(home), "models", "info", "42")
    assert code == 1 and "No model in your library matches '42'" in err


def test_generate_streams_and_caches(capsys, home, tiny_gguf):
    run(capsys, "--home", str(home), "models", "add", str(tiny_gguf))
    code, out1, err1 = run(capsys, "--home", str(home), "generate", "--model", "tiny", "Hi",
                           "--max-tokens", "8", "--threads", "1")
    assert code == 0 and out1.strip() and "[8 tokens in" in err1
    code, out2, err2 = run(capsys, "--home", str(home), "generate", "--model", "1", "Hi",
                           "--max-tokens", "8")
    assert out2 == out1 and "from cache" in err2
    code, out3, _ = run(capsys, "--home", str(home), "--json", "generate", "--model", "1", "Hi",
                        "--max-tokens", "8", "--temperature", "0.9", "--seed", "3")
    data = json.loads(out3)
    assert data["completion_tokens"] <= 8 and not data["cached"]


def test_discover_finds_and_adds(capsys, home, tiny_gguf, monkeypatch, tmp_path):
    fake_home = tmp_path / "user"
    target = fake_home / ".lmstudio/models/pub/repo/tiny-q.gguf"
    target.parent.mkdir(parents=True)
    target.write_bytes(tiny_gguf.read_bytes())
    monkeypatch.setenv("HOME", str(fake_home))
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "HF_HOME", "HF_HUB_CACHE", "OLLAMA_MODELS"):
        monkeypatch.delenv(var, raising=False)
    code, out, _ = run(capsys, "--home", str(home), "models", "discover")
    assert code == 0 and "tiny-q" in out and "LM Studio" in out
    code, out, _ = run(capsys, "--home", str(home), "--json", "models", "discover", "--add")
    data = json.loads(out)
    assert len(data["added"]) == 1
    code, out, _ = run(capsys, "--home", str(home), "--json", "models", "list")
    assert json.loads(out)[0]["source"] == "discovered:LM Studio"


@pytest.mark.parametrize("exe", [["debop"], ["-m", "debop_desktop.cli"]])
def test_installed_entry_point_runs(tmp_path, exe):
    script = Path(sys.executable).parent / "debop"
    cmd = [str(script)] if exe == ["debop"] else [sys.executable, *exe]
    result = subprocess.run([*cmd, "--home", str(tmp_path), "models", "list"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "empty" in result.stdout


@pytest.mark.smollm2
def test_cli_on_smollm2(capsys, home, smollm2):
    code, out, _ = run(capsys, "--home", str(home), "models", "add", str(smollm2))
    assert code == 0 and "134.5M" in out and "Q4_1" in out and "30" in out
    code, out, _ = run(capsys, "--home", str(home), "generate", "--model", "1", "What is 2 + 3?",
                       "--max-tokens", "48")
    assert code == 0 and "5" in out

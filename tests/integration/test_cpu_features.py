"""Extra buffer types (ggml's AMX weight repacking) are off on AMX processors: the setting
reaches llama.cpp's model parameters when the model loads (core/cpu.py)."""

import llama_cpp.llama_cpp as native
import pytest

from debop_desktop.core.cpu import extra_bufts_default, has_amx, model_params_without_extra_bufts
from debop_desktop.core.llm.llama_engine import LlamaEngine


def test_amx_is_read_from_the_processor_flags(monkeypatch):
    assert has_amx(frozenset({"avx2", "amx_int8", "amx_tile"}))
    assert not has_amx(frozenset({"avx2", "avx512f"}))
    monkeypatch.delenv("DEBOP_SAFE_CPU", raising=False)
    assert extra_bufts_default() == (not has_amx())


def test_the_load_uses_parameters_with_extra_buffer_types_off(tiny_gguf, monkeypatch):
    seen = []
    load_from_file = native.llama_model_load_from_file

    def spy(path, params):
        seen.append(params.use_extra_bufts)
        return load_from_file(path, params)

    monkeypatch.setattr(native, "llama_model_load_from_file", spy)
    for allowed in (False, True):
        engine = LlamaEngine(n_threads=1, extra_bufts=allowed)
        assert engine.load(tiny_gguf).extra_bufts is allowed
        engine.unload()
    assert seen == [False, True]
    with model_params_without_extra_bufts():
        assert native.llama_model_default_params().use_extra_bufts is False
    assert native.llama_model_default_params().use_extra_bufts is True  # restored afterwards


def test_the_environment_can_force_either_choice(monkeypatch):
    from debop_desktop.core.cpu import SAFE_CPU_ENV

    monkeypatch.setenv(SAFE_CPU_ENV, "1")
    assert extra_bufts_default() is False
    monkeypatch.setenv(SAFE_CPU_ENV, "0")
    assert extra_bufts_default() is True
    monkeypatch.delenv(SAFE_CPU_ENV)
    assert extra_bufts_default() == (not has_amx())


def test_the_suite_itself_runs_with_the_safe_settings():
    """conftest sets DEBOP_SAFE_CPU=1 for this process and every child it starts, so a test
    machine without AMX loads models exactly as an AMX machine (CI's, perhaps) does."""
    import os

    assert os.environ.get("DEBOP_SAFE_CPU") == "1" and extra_bufts_default() is False
    assert LlamaEngine(n_threads=1).extra_bufts is False


def test_a_stock_llama_cpp_server_is_refused_in_tests(tiny_gguf):
    import subprocess
    import sys

    # conftest's StockServerRefused (a RuntimeError; "conftest" names another module in a full run)
    with pytest.raises(RuntimeError, match="debop llama-server"):
        subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(tiny_gguf)])
    with pytest.raises(RuntimeError, match="safe processor settings"):
        subprocess.run(f"{sys.executable} -m llama_cpp.server --model {tiny_gguf}", shell=True, check=False)


def _repacked(log: str) -> list[str]:
    """llama.cpp's load-log lines for weights put in an extra buffer type (CPU_REPACK, AMX…)."""
    return [line for line in log.splitlines()
            if "model buffer size" in line and not any(f" {kind} model" in line for kind in ("CPU", "CPU_Mapped"))]


@pytest.mark.allow_network
def test_the_test_servers_load_without_extra_buffer_types(tiny_gguf_q4_0):
    """The protection reaches the server processes the tests start: the same Q4_0 model that
    llama.cpp repacks when allowed (the control, DEBOP_SAFE_CPU=0) is not repacked in a server
    started by the tests' harness, and a chat request gets an answer."""
    import os

    from llama_server import LlamaServer

    from debop_desktop.core.llm.base import ChatMessage, GenerationParams
    from debop_desktop.core.llm.server import ServerBackend, ServerConfig

    pytest.importorskip("llama_cpp.server")
    logs = {}
    for forced in ("0", None):
        env = dict(os.environ) if forced is None else {**os.environ, "DEBOP_SAFE_CPU": forced}
        server = LlamaServer(tiny_gguf_q4_0, "tiny", n_ctx=512, env=env)
        server.start()
        try:
            out = ServerBackend(ServerConfig(server.url, "tiny")).chat(
                [ChatMessage("user", "the answer is")], GenerationParams(max_tokens=4))
            assert out.completion_tokens > 0
        finally:
            server.stop()
        logs[forced] = server.log_text()
    if not _repacked(logs["0"]):
        pytest.skip("llama.cpp repacks no Q4_0 weights on this processor, so the control shows nothing")
    assert "Faster processor features (weight repacking) are off" in logs[None]
    assert _repacked(logs[None]) == []

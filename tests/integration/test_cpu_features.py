"""Extra buffer types (ggml's AMX weight repacking) are off on AMX processors: the setting
reaches llama.cpp's model parameters when the model loads (core/cpu.py)."""

import llama_cpp.llama_cpp as native

from debop_desktop.core.cpu import extra_bufts_default, has_amx, model_params_without_extra_bufts
from debop_desktop.core.llm.llama_engine import LlamaEngine


def test_amx_is_read_from_the_processor_flags():
    assert has_amx(frozenset({"avx2", "amx_int8", "amx_tile"}))
    assert not has_amx(frozenset({"avx2", "avx512f"}))
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

"""What this processor can do, where it matters for llama.cpp's safety.

ggml's "extra buffer types" repack Q4_0/Q4_1/Q8_0 weights for Intel AMX; on some AMX
processors (Sapphire Rapids class) that path crashes on every prompt of two or more tokens
(ggml-org/llama.cpp#20824). The app therefore turns extra buffer types off by default on
processors that report AMX, and lets a person turn them back on in Settings.
`DEBOP_SAFE_CPU=1` in the environment forces the safe choice on any processor (the test suite
sets it, so every machine runs what an AMX machine runs); `DEBOP_SAFE_CPU=0` forces the faster one.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

AMX_FLAGS = ("amx_tile", "amx_int8", "amx_bf16")
SAFE_CPU_ENV = "DEBOP_SAFE_CPU"


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The processor's feature flags as Linux reports them; empty where that is unknown."""
    if not sys.platform.startswith("linux"):
        return frozenset()
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def has_amx(flags: frozenset[str] | None = None) -> bool:
    return any(f in (cpu_flags() if flags is None else flags) for f in AMX_FLAGS)


def extra_bufts_default() -> bool:
    """Faster processor features (weight repacking) on by default, except on AMX processors
    or where `DEBOP_SAFE_CPU` says otherwise ("1": safe, "0": faster)."""
    forced = os.environ.get(SAFE_CPU_ENV, "").strip()
    if forced in ("1", "0"):
        return forced == "0"
    return not has_amx()


def _without_extra_bufts(original: Callable[[], Any]) -> Callable[[], Any]:
    def safe_defaults() -> Any:
        params = original()
        if hasattr(params, "use_extra_bufts"):
            params.use_extra_bufts = False
        return params

    safe_defaults.debop_safe = True  # type: ignore[attr-defined]
    return safe_defaults


def disable_extra_bufts_for_process() -> None:
    """Every later `Llama()` in this process loads with extra buffer types off.

    For a process that only serves one model (`debop llama-server`): unlike
    `model_params_without_extra_bufts` nothing is restored afterwards."""
    import llama_cpp.llama_cpp as native

    if not getattr(native.llama_model_default_params, "debop_safe", False):
        native.llama_model_default_params = _without_extra_bufts(native.llama_model_default_params)


@contextlib.contextmanager
def model_params_without_extra_bufts() -> Iterator[None]:
    """While active, llama-cpp-python's `Llama()` loads with `use_extra_bufts = False`.

    llama-cpp-python 0.3.36 has no argument for it, but builds its model parameters from
    `llama_cpp.llama_cpp.llama_model_default_params()`; that function is wrapped here for
    the duration of one load. Callers must hold the llama.cpp lock (no concurrent loads)."""
    import llama_cpp.llama_cpp as native

    original = native.llama_model_default_params
    native.llama_model_default_params = _without_extra_bufts(original)
    try:
        yield
    finally:
        native.llama_model_default_params = original

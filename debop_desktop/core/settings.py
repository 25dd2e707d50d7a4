"""Preferences kept in the database (`settings` table), with typed defaults.

Every value read is checked here, in one place, for the CLI, the Settings page and runs
alike: a stored value that is not valid JSON or not of the right kind gives the default,
and a number out of range is brought into range; either way a warning is logged once
(the CLI prints it as a one-line note)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from typing import Any

from debop_desktop.core import messages
from debop_desktop.core.store import Store

log = logging.getLogger(__name__)

PARALLEL_MAX = 32  # questions decoded together; llama.cpp allows at most 64 sequences in one context
CONTEXT_MIN, CONTEXT_MAX = 256, 1 << 20

DEFAULTS: dict[str, Any] = {
    "threads": 0,  # 0 = automatic: all cores but one
    "context_length": 4096,  # upper bound; never more than the model was trained for
    "gpu_layers": "auto",  # "auto" = as many as the memory estimate allows; or an int
    "use_cache": True,
    # ggml's extra buffer types (weight repacking): "auto" = on, except on AMX processors
    # where that path crashes (see core/cpu.py); True or False when the person chose.
    "faster_cpu_features": "auto",
    # Questions the model works on together while scoring (batched decoding): 0 = automatic
    # from the model, the context and free memory (core/memory.py `auto_parallel`); 1 = one at a time.
    "parallel": 0,
}


def threads_max() -> int:
    """The most processor threads a person may set (the Settings page offers the same)."""
    return max(64, os.cpu_count() or 1)


def clamp_parallel(value: int) -> int:
    """Questions at once brought into 0 (automatic) … `PARALLEL_MAX`: what every caller uses."""
    return max(0, min(int(value), PARALLEL_MAX))


def _whole(low: int, high: Callable[[], int] | int) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise ValueError(value)
        top = high() if callable(high) else high
        return max(low, min(int(value), top))
    return check


def _choice(*allowed: Any) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not any(value == a and type(value) is type(a) for a in allowed):
            raise ValueError(value)
        return value
    return check


def _auto_or(number: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: value if value == "auto" else number(value)


CHECKS: dict[str, Callable[[Any], Any]] = {
    "threads": _whole(0, threads_max),
    "context_length": _whole(CONTEXT_MIN, CONTEXT_MAX),
    "gpu_layers": _auto_or(_whole(0, 100_000)),
    "use_cache": _choice(True, False),
    "faster_cpu_features": _choice("auto", True, False),
    "parallel": _whole(0, PARALLEL_MAX),
}
_warned: set[tuple[str, str, str]] = set()  # (database, key, stored text): each problem is said once


class Settings:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str) -> Any:
        """The stored value, checked; the default when none is stored or it cannot be used."""
        row = self.store.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return DEFAULTS.get(key)
        check = CHECKS.get(key)
        try:
            value = json.loads(row[0])
            if check is None:
                return value
            checked = check(value)
        except (ValueError, TypeError):  # not JSON, or not the right kind of value
            self._warn(key, row[0], messages.SETTING_UNREADABLE.format(
                key=_label(key), value=_short(row[0]), default=_label_value(key, DEFAULTS[key])))
            return DEFAULTS[key]
        if checked != value:
            self._warn(key, row[0], messages.SETTING_OUT_OF_RANGE.format(
                key=_label(key), value=_short(row[0]), used=checked))
        return checked

    def set(self, key: str, value: Any) -> None:
        """Store `value`, brought into range as `get` would (a wrong kind raises ValueError)."""
        if key not in DEFAULTS:
            raise KeyError(key)
        value = CHECKS[key](value)
        self.store.execute(
            "INSERT INTO settings (key, value_json) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
            (key, json.dumps(value)),
        )

    def all(self) -> dict[str, Any]:
        return {k: self.get(k) for k in DEFAULTS}

    def _warn(self, key: str, stored: str, text: str) -> None:
        seen = (str(self.store.path), key, stored)
        if seen not in _warned:
            _warned.add(seen)
            log.warning(text)


def _label(key: str) -> str:
    return messages.SETTING_LABELS.get(key, key)


def _label_value(key: str, value: Any) -> str:
    if value in (0, "auto") and key in ("threads", "parallel", "gpu_layers", "faster_cpu_features"):
        return messages.SETTING_AUTOMATIC
    return str(value)


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

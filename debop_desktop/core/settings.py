"""Preferences kept in the database (`settings` table), with typed defaults."""

from __future__ import annotations

import json
from typing import Any

from debop_desktop.core.store import Store

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


class Settings:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str) -> Any:
        row = self.store.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return DEFAULTS.get(key)
        return json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        if key not in DEFAULTS:
            raise KeyError(key)
        self.store.execute(
            "INSERT INTO settings (key, value_json) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
            (key, json.dumps(value)),
        )

    def all(self) -> dict[str, Any]:
        return {k: self.get(k) for k in DEFAULTS}

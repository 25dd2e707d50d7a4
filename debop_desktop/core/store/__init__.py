"""SQLite persistence: one database file, ordered migrations, one connection per thread."""

from debop_desktop.core.store.db import Store, open_store

__all__ = ["Store", "open_store"]

"""A task's examples are written in short steps, so a big import never holds the database.

While a task is imported its row has `importing_since` set: no list shows it and no look-up
finds it. Its examples go in batches, each its own short transaction, and one last short
transaction shows the task. Another program (a run, `debop runs list`) therefore waits at
most one batch for the database, and anyone reading sees the whole task or none of it.
What an import stopped half-way wrote is removed here: at once when it failed in this
process, by the next import when its process was killed.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

from debop_desktop.core.errors import DebopError
from debop_desktop.core.store import Store

CHUNK = 5000  # rows written in one short transaction while importing
CHUNK_CHARS = 8_000_000  # ... or fewer, when the rows are long
IMPORT_STALE_S = 600.0  # an unfinished import that wrote nothing for this long was stopped (killed)


class _Row(Protocol):
    input: str
    answer: str
    notes: str


R = TypeVar("R", bound=_Row)


def batches(items: Iterable[R], size: int = CHUNK, chars: int = CHUNK_CHARS) -> Iterator[list[R]]:
    """Up to `size` examples at a time, fewer once they hold `chars` characters."""
    batch: list[R] = []
    held = 0
    for item in items:
        batch.append(item)
        held += len(item.input) + len(item.answer) + len(item.notes)
        if len(batch) >= size or held >= chars:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def drop_unfinished_imports(store: Store, stale_after: float = IMPORT_STALE_S) -> list[int]:
    """Remove what imports stopped half-way left (hidden rows); returns their task ids. An
    import still going on writes a batch at least every few seconds, so it is not touched."""
    ids = [r[0] for r in store.execute(
        "SELECT id FROM datasets WHERE importing_since IS NOT NULL AND updated_at < ?",
        (time.time() - stale_after,))]
    for dataset_id in ids:
        drop_import(store, dataset_id)
    return ids


def drop_import(store: Store, dataset_id: int) -> None:
    """Remove an unfinished import, best effort, in short steps: marked as stopped first (so
    the next import removes what is left should this be interrupted or fail), then its rows,
    then its task row. Never raises a database error: the import's own error matters more."""
    with contextlib.suppress(DebopError, sqlite3.Error):
        store.execute("UPDATE datasets SET updated_at = 0 WHERE id = ? AND importing_since IS NOT NULL",
                      (dataset_id,))
        while True:
            with store.transaction() as conn:
                gone = conn.execute("DELETE FROM examples WHERE id IN (SELECT id FROM examples "
                                    "WHERE dataset_id = ? LIMIT ?)", (dataset_id, CHUNK)).rowcount
                if gone < CHUNK:
                    conn.execute("DELETE FROM datasets WHERE id = ? AND importing_since IS NOT NULL", (dataset_id,))
                    return

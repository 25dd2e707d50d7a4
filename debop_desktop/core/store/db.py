"""Open the database: pragmas, explicit transactions, migrations, backups.

One `Store` is one SQLite connection and must stay on the thread that opened it; another
thread calls `store.reopen()` for its own. WAL lets readers (the UI) go on while a writer
(a run) commits.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from debop_desktop.core import messages
from debop_desktop.core.errors import StoreError, StoreTooNew
from debop_desktop.core.paths import database_path
from debop_desktop.core.store.migrations import MIGRATIONS

MIGRATIONS_TABLE = "_migrations"


class Store:
    """A connection to the app's database, migrated to the current schema."""

    def __init__(self, path: Path, *, migrate: bool = True) -> None:
        self.path = Path(path)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(messages.STORE_CANNOT_OPEN.format(path=self.path), str(exc)) from exc
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.backup_path: Path | None = None
        if migrate:
            self._migrate()

    # -- transactions -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one transaction: it lands whole or not at all.

        Do not call sqlite-utils helpers that commit on their own (`insert_all` wraps its
        work in `with conn:`, which would commit early) inside this block: use
        `conn.execute`/`executemany`.
        """
        if self.conn.in_transaction:
            raise StoreError(messages.STORE_INTERNAL, "nested Store.transaction()")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def reopen(self) -> Store:
        """A new connection to the same file, for use on another thread."""
        return Store(self.path, migrate=False)

    def close(self) -> None:
        self.conn.close()

    # -- migrations -------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreTooNew(
                messages.STORE_TOO_NEW.format(path=self.path),
                f"database schema {version}, this app knows up to {len(MIGRATIONS)}",
            )
        pending = MIGRATIONS[version:]
        if not pending:
            return
        if version > 0 or self._has_user_tables():
            self.backup_path = self._backup(version)
        self.db[MIGRATIONS_TABLE].create(
            {"id": int, "name": str, "applied_at": float}, pk="id", if_not_exists=True
        )
        for number, migration in enumerate(pending, start=version + 1):
            with self.transaction() as conn:
                migration(conn)
                conn.execute(
                    f"INSERT INTO {MIGRATIONS_TABLE} (id, name, applied_at) VALUES (?, ?, ?)",
                    (number, migration.__name__, time.time()),
                )
                conn.execute(f"PRAGMA user_version = {number}")

    def _has_user_tables(self) -> bool:
        names = [t for t in self.db.table_names() if not t.startswith(("_", "sqlite_"))]
        return bool(names)

    def _backup(self, version: int) -> Path:
        """Copy the database (consistently, via SQLite's backup API) before migrating."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak")
        counter = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}-{counter}.bak")
            counter += 1
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        return target


def open_store(home: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating as needed) the app's database in the data folder."""
    return Store(database_path(home))

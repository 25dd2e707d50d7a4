"""Open the database: pragmas, explicit transactions, migrations, backups.

One `Store` is one SQLite connection and must stay on the thread that opened it; another
thread calls `store.reopen()` for its own. WAL lets readers (the UI) go on while a writer
(a run) commits.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from debop_desktop.core import messages
from debop_desktop.core.errors import DiskFull, StoreCorrupt, StoreError, StoreTooNew
from debop_desktop.core.paths import database_path
from debop_desktop.core.store.migrations import MIGRATIONS

MIGRATIONS_TABLE = "_migrations"
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 11, 13, 26


class Store:
    """A connection to the app's database, migrated to the current schema."""

    def __init__(self, path: Path, *, migrate: bool = True, check: bool = False) -> None:
        """`check` also reads every page (PRAGMA quick_check), as the app does at start-up:
        a damaged file is then a `StoreCorrupt` at once, not an error in the middle of work."""
        self.path = Path(path)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(messages.STORE_CANNOT_OPEN.format(path=self.path), str(exc)) from exc
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.backup_path: Path | None = None
        try:
            with self.translated_errors():
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # reads the schema
                if check:
                    problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
                    if problems != ["ok"]:
                        raise StoreCorrupt(self._corrupt_message(), "; ".join(problems), path=str(self.path),
                                           backups=tuple(str(b) for b in backups_of(self.path)))
                if migrate:
                    self._migrate()
        except BaseException:
            conn.close()
            raise

    # -- errors -----------------------------------------------------------------------
    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """SQLite's 'disk is full' and 'malformed' become `DiskFull` / `StoreCorrupt` with plain words."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
            text = str(exc).lower()
            if code == _SQLITE_FULL or "disk is full" in text:
                raise DiskFull(disk_full_message(self.path), str(exc)) from exc
            if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
                raise StoreCorrupt(self._corrupt_message(), str(exc), path=str(self.path),
                                   backups=tuple(str(b) for b in backups_of(self.path))) from exc
            raise

    def _corrupt_message(self) -> str:
        backups = backups_of(self.path)
        after = (messages.STORE_CORRUPT_BACKUPS.format(backup=backups[0], when=_when(backups[0]), path=self.path)
                 if backups else messages.STORE_CORRUPT_NO_BACKUP)
        return f"{messages.STORE_CORRUPT.format(path=self.path)} {after}"

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
        with self.translated_errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:  # SQLite may already have rolled back (disk full)
                    self.conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error:  # e.g. the disk filled up: leave no transaction half open
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        with self.translated_errors():
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


def open_store(home: str | os.PathLike[str] | None = None, *, check: bool = False) -> Store:
    """Open (creating and migrating as needed) the app's database in the data folder.
    A damaged file raises `StoreCorrupt` (see `restore_backup`); it is never changed here."""
    return Store(database_path(home), check=check)


def backups_of(path: Path) -> list[Path]:
    """The backup copies made before migrations, newest first."""
    found = [p for p in path.parent.glob(f"{path.name}.v*.bak") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def restore_backup(path: str | os.PathLike[str], backup: str | os.PathLike[str]) -> Path:
    """Put a backup copy in place of a damaged database. The damaged file (and its WAL) is
    moved aside, never deleted; returns where it went. Open the store again afterwards."""
    db, stamp = Path(path), time.strftime("%Y%m%d-%H%M%S")
    damaged = db.with_name(f"{db.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{db}{suffix}")
        if part.exists():
            os.replace(part, f"{damaged}{suffix}")
    shutil.copy2(backup, db)
    return damaged


def disk_full_message(path: Path) -> str:
    from debop_desktop.core.output_files import free_space, free_space_text
    from debop_desktop.core.units import human_bytes

    folder = path.parent
    size = path.stat().st_size if path.exists() else 0
    need = max(100 * 1024 * 1024, size // 5)  # room for the write-ahead log to grow and be checkpointed
    free = free_space(folder)
    if free is not None:
        need = max(need - free, 50 * 1024 * 1024)
    return messages.DISK_FULL.format(folder=folder, free=free_space_text(folder), need=human_bytes(need))


def _when(p: Path) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(p.stat().st_mtime))

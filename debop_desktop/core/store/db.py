"""Open the database: pragmas, explicit transactions, migrations, backups.

One `Store` is one SQLite connection and must stay on the thread that opened it; another
thread calls `store.reopen()` for its own. WAL lets readers (the UI) go on while a writer
(a run) commits. A data folder that cannot be written is opened read-only (`read_only`):
reading works, and a write is a `StoreReadOnly` naming the folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from debop_desktop.core import messages
from debop_desktop.core.errors import DiskFull, StoreBusy, StoreCorrupt, StoreError, StoreReadOnly, StoreTooNew
from debop_desktop.core.paths import database_path
from debop_desktop.core.store.busy import BUSY_TIMEOUT_S, POLL_S, BusyWait
from debop_desktop.core.store.migrations import MIGRATIONS

MIGRATIONS_TABLE = "_migrations"
_SQLITE_BUSY, _SQLITE_READONLY, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 5, 8, 11, 13, 26
T = TypeVar("T")


class Store:
    """A connection to the app's database, migrated to the current schema."""

    def __init__(self, path: Path, *, migrate: bool = True, check: bool = False) -> None:
        """`check` also reads every page (PRAGMA quick_check), as the app does at start-up:
        a damaged file is then a `StoreCorrupt` at once, not an error in the middle of work."""
        self.path = Path(path)
        self.read_only = not folder_writable(self.path)
        self.busy: BusyWait | None = None  # set while a run waits out other programs' writes
        try:
            conn = _connect_read_only(self.path) if self.read_only else sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise StoreError(messages.STORE_CANNOT_OPEN.format(path=self.path), str(exc)) from exc
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.backup_path: Path | None = None
        try:
            with self.translated_errors():
                conn.execute("PRAGMA foreign_keys = ON")
                if not self.read_only:
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
        """SQLite's 'disk is full', 'malformed', 'readonly' and 'locked' become `DiskFull`,
        `StoreCorrupt`, `StoreReadOnly` and `StoreBusy` with plain words."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
            text = str(exc).lower()
            if code == _SQLITE_READONLY or "readonly database" in text:
                raise self.read_only_error(str(exc)) from exc
            if code == _SQLITE_BUSY or "database is locked" in text:
                raise StoreBusy(messages.STORE_BUSY.format(folder=self.path.parent, seconds=BUSY_TIMEOUT_S),
                                str(exc)) from exc
            if code == _SQLITE_FULL or "disk is full" in text:
                raise DiskFull(disk_full_message(self.path), str(exc)) from exc
            if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
                raise StoreCorrupt(self._corrupt_message(), str(exc), path=str(self.path),
                                   backups=tuple(str(b) for b in backups_of(self.path))) from exc
            raise

    def read_only_error(self, details: str = "") -> StoreReadOnly:
        folder = self.path.parent
        return StoreReadOnly(messages.STORE_READ_ONLY.format(folder=folder), details, folder=str(folder))

    def require_writable(self) -> None:
        """Raise `StoreReadOnly` now, before slow work (loading a model) whose results could not be kept."""
        if self.read_only:
            raise self.read_only_error()

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
        self._patiently(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        with self.translated_errors():
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
        return self._patiently(lambda: self.conn.execute(sql, params))

    # -- another program writing ------------------------------------------------------
    @contextmanager
    def waiting_when_busy(self, cancel: object = None, notify: Callable[[str], None] | None = None
                          ) -> Iterator[BusyWait]:
        """For a run: in the block, a write that finds another program writing waits as long
        as it takes (`cancel`, a token with `.cancelled`, ends the wait with `Cancelled`)
        instead of failing after `BUSY_TIMEOUT_S`; `notify` is told in words when a wait
        starts, and `busy.take_notes()` says afterwards how long it lasted. Nested: the
        outer one holds."""
        if self.busy is not None:
            yield self.busy
            return
        self.busy = BusyWait(self.path.parent, cancel, notify)  # type: ignore[arg-type]
        self._busy_timeout(POLL_S)
        try:
            yield self.busy
        finally:
            self.busy = None
            self._busy_timeout(BUSY_TIMEOUT_S)

    @contextmanager
    def short_wait(self, seconds: float = 1.0) -> Iterator[None]:
        """Writes in the block give up (`StoreBusy`) after `seconds`: for housekeeping that
        can as well be done next time, so a reading command never hangs behind a writer."""
        self._busy_timeout(seconds)
        try:
            yield
        finally:
            self._busy_timeout(BUSY_TIMEOUT_S)

    def _busy_timeout(self, seconds: float) -> None:
        with contextlib.suppress(sqlite3.ProgrammingError):  # already closed
            self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def _patiently(self, work: Callable[[], T]) -> T:
        """`work` (one statement that has not started a transaction), retried while another
        program writes if a run waits here (`waiting_when_busy`); else a `StoreBusy`."""
        started = time.monotonic()
        waited = False
        while True:
            try:
                with self.translated_errors():
                    result = work()
            except StoreBusy:
                if self.busy is None or self.conn.in_transaction:
                    raise
                waited = True
                self.busy.waiting(time.monotonic() - started)
                continue
            if waited and self.busy is not None:
                self.busy.resumed(time.monotonic() - started)
            return result

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
        if self.read_only:
            raise StoreReadOnly(messages.STORE_READ_ONLY_OLD.format(folder=self.path.parent),
                                f"database schema {version}, this app needs {len(MIGRATIONS)}",
                                folder=str(self.path.parent))
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
    A damaged file raises `StoreCorrupt` (see `restore_backup`); it is never changed here.
    A folder that cannot be written opens read-only (`Store.read_only`); one that does not
    exist and cannot be made, or a read-only one with no database, is a `StoreError`."""
    try:
        path = database_path(home)
    except OSError as exc:
        folder = exc.filename or home or "the data folder"
        raise StoreReadOnly(messages.STORE_FOLDER_CANNOT_CREATE.format(folder=folder, why=exc.strerror or exc),
                            repr(exc), folder=str(folder)) from exc
    return Store(path, check=check)


def folder_writable(path: Path) -> bool:
    """Whether the database at `path` (and its folder, for the write-ahead log) can be written.
    A folder that does not exist is not read-only: opening says it cannot be found."""
    if not path.parent.is_dir():
        return True
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. The write-ahead log's index (-shm) cannot be made in a read-only
    folder, so when there is none the file is read as it is (immutable: nobody can change it)."""
    if not path.exists():
        raise StoreReadOnly(messages.STORE_READ_ONLY_EMPTY.format(folder=path.parent), folder=str(path.parent))
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:  # "attempt to write a readonly database": no -shm and none can be made
        conn.close()
    except sqlite3.DatabaseError:  # damaged: the store's own check says so in plain words
        return conn
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)


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
    from debop_desktop.core.output_files import free_space_text
    from debop_desktop.core.units import human_bytes

    folder = path.parent
    size = path.stat().st_size if path.exists() else 0
    # Room for the write-ahead log to grow until its checkpoint (about 4 MB of pages) and for
    # the database to grow a fifth; never more than a tenth of the disk, which a small disk
    # could not give (asking for 100 MB on a 3 MB disk helps nobody).
    target = max(8 * 1024 * 1024, size // 5)
    try:
        usage = shutil.disk_usage(folder)
    except OSError:
        usage = None
    need = target
    if usage is not None:
        need = max(min(target, max(usage.total // 10, 512 * 1024)) - usage.free, 256 * 1024)
    return messages.DISK_FULL.format(folder=folder, free=free_space_text(folder), need=human_bytes(need))


def _when(p: Path) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(p.stat().st_mtime))

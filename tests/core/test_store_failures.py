"""Issue 15 item 5: a damaged database file and a full disk get their own plain messages."""

import sqlite3

import pytest

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.errors import DiskFull, StoreCorrupt
from debop_desktop.core.paths import DB_FILENAME
from debop_desktop.core.store import open_store
from debop_desktop.core.store.db import backups_of, restore_backup


def make_task(store, name="kept", n=30):
    examples = [NewExample(f"question {i}", str(i), ("train", "dev", "test")[i % 3]) for i in range(n)]
    return DatasetRepository(store).create(name=name, examples=examples)


def with_backup(home):
    """A database with one task, and a backup copy of it named as migrations name theirs."""
    store = open_store(home)
    make_task(store)
    backup = home / f"{DB_FILENAME}.v1-20260101-000000.bak"
    dest = sqlite3.connect(backup)
    store.conn.backup(dest)
    dest.close()
    make_task(store, "after the backup")
    store.close()
    return backup


def damage(path, offset, length=4096):
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(b"\x5a" * length)


def test_a_damaged_header_is_store_corrupt_naming_the_backup(home):
    backup = with_backup(home)
    damage(home / DB_FILENAME, 0, 100)
    with pytest.raises(StoreCorrupt) as info:  # before: sqlite3.DatabaseError, a traceback in the app
        open_store(home)
    assert "is damaged" in info.value.message and str(backup) in info.value.message
    assert info.value.backups == (str(backup),) and "Traceback" not in info.value.message


def test_damaged_pages_are_found_by_the_start_up_check(home):
    with_backup(home)
    size = (home / DB_FILENAME).stat().st_size
    damage(home / DB_FILENAME, size // 2, 8192)
    with pytest.raises(StoreCorrupt):
        open_store(home, check=True)


def test_restoring_the_backup_keeps_the_damaged_file_and_opens(home):
    backup = with_backup(home)
    damage(home / DB_FILENAME, 0, 100)
    damaged = restore_backup(home / DB_FILENAME, backup)
    store = open_store(home, check=True)
    assert [d.name for d in DatasetRepository(store).list()] == ["kept"]
    assert damaged.exists() and damaged.read_bytes()[:4] == b"\x5a" * 4
    assert backups_of(home / DB_FILENAME)[0] == backup


def test_no_backup_says_so(home):
    open_store(home).close()
    damage(home / DB_FILENAME, 0, 100)
    with pytest.raises(StoreCorrupt) as info:
        open_store(home)
    assert info.value.backups == () and "no backup copy" in info.value.message


def test_a_full_disk_names_the_folder_and_the_space_and_keeps_what_was_saved(store, home):
    make_task(store)
    pages = store.execute("PRAGMA page_count").fetchone()[0]
    store.execute(f"PRAGMA max_page_count = {pages + 2}")  # the database may not grow: as on a full disk
    big = [NewExample("x" * 5000 + str(i), str(i), "train") for i in range(200)]
    with pytest.raises(DiskFull) as info:  # before: "Something unexpected went wrong. Nothing was lost"
        DatasetRepository(store).create(name="too big", examples=big)
    assert str(home) in info.value.message and "free)" in info.value.message and "Free at least" in info.value.message
    assert [d.name for d in DatasetRepository(store).list()] == ["kept"]  # the old task is whole, no partial one
    assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.execute("PRAGMA max_page_count = 1000000")
    assert DatasetRepository(store).create(name="fits now", examples=big[:3]).size == 3  # no transaction left open

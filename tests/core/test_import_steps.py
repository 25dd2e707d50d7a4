"""Issue 20 part 3, item 1: a big import writes in short committed steps, so it never holds the
database for minutes, and nobody ever sees half a task: not while it is written, not after it
failed, not after its process was killed."""

import time

import pytest

from debop_desktop.core.datasets import repository
from debop_desktop.core.datasets.import_steps import CHUNK
from debop_desktop.core.datasets.repository import DatasetNotFound, DatasetRepository, NewExample, content_hash
from debop_desktop.core.settings import Settings

ROWS = 2 * CHUNK + 1


def examples(n=ROWS):
    return (NewExample(f"Question number {i}", str(i % 7), ("train", "dev", "test")[i % 3]) for i in range(n))


def count(store, table):
    return store.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_an_import_commits_in_steps_and_shows_no_half_task(store):
    other = store.reopen()  # another program: a run, `debop datasets list`
    other.execute("PRAGMA busy_timeout = 200")
    seen = []

    def progress(done, total):
        hidden = other.execute("SELECT id FROM datasets").fetchone()[0]
        written = other.execute("SELECT COUNT(*) FROM examples").fetchone()[0]
        assert DatasetRepository(other).list() == []  # half a task is in no list...
        with pytest.raises(DatasetNotFound):
            DatasetRepository(other).get(hidden)  # ...and cannot be found by number or name
        with pytest.raises(DatasetNotFound):
            DatasetRepository(other).get("big")
        Settings(other).set("threads", done // CHUNK)  # before: 'database is locked' (one transaction)
        seen.append((done, written))

    dataset = DatasetRepository(store).create(name="big", examples=examples(), total=ROWS, progress=progress)
    assert seen == [(CHUNK, CHUNK), (2 * CHUNK, 2 * CHUNK), (ROWS, ROWS)]  # each step committed
    assert [d.name for d in DatasetRepository(other).list()] == ["big"] and dataset.size == ROWS
    assert dataset.content_sha256 == content_hash(DatasetRepository(store).examples(dataset.id))
    assert Settings(store).get("threads") == 2
    other.close()


def test_a_failed_import_leaves_nothing(store):
    def progress(done, total):
        if done == 2 * CHUNK:
            raise OSError("the disk went away")

    with pytest.raises(OSError, match="went away"):
        DatasetRepository(store).create(name="big", examples=examples(), total=ROWS, progress=progress)
    assert count(store, "datasets") == 0 and count(store, "examples") == 0


def test_an_import_killed_half_way_stays_hidden_and_the_next_import_removes_it(store, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(repository, "drop_import", lambda *args: None)  # killed: no clean-up ran

        def killed(done, total):
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            DatasetRepository(store).create(name="big", examples=examples(), total=ROWS, progress=killed)
    left = store.execute("SELECT id FROM datasets").fetchone()[0]
    assert count(store, "examples") == CHUNK
    assert DatasetRepository(store).list() == []
    with pytest.raises(DatasetNotFound):
        DatasetRepository(store).get(left)
    DatasetRepository(store).create(name="small", examples=list(examples(30)))
    assert count(store, "examples") == CHUNK + 30  # it may be an import still going on: kept, hidden
    store.execute("UPDATE datasets SET updated_at = ? WHERE id = ?", (time.time() - 3600, left))
    kept = DatasetRepository(store).create(name="again", examples=list(examples(30)))
    assert [d.name for d in DatasetRepository(store).list()] == ["again", "small"] and kept.size == 30
    assert count(store, "examples") == 60 and count(store, "datasets") == 2

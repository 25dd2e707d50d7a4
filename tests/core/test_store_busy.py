"""Issue 20 part 3, item 1: another program writing to the database (a big import, say) does
not crash a run or hang a reading command. A run waits and says so; reading commands do not
write; a command that must write gives up with plain words."""

import sqlite3
import threading
import time

import pytest
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.cli import main
from debop_desktop.core import messages
from debop_desktop.core.errors import Cancelled, StoreBusy
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.paths import DB_FILENAME
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import db as store_db
from debop_desktop.core.store import open_store


class WriteLock:
    """Another program's write transaction on the database, held on its own thread."""

    def __init__(self, path, seconds):
        self.path, self.seconds = path, seconds
        self.held, self.done = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self):
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO settings (key, value_json) VALUES ('other_program', '1') "
                     "ON CONFLICT (key) DO UPDATE SET value_json = value_json + 1")
        self.held.set()
        self.done.wait(self.seconds)
        conn.execute("COMMIT")
        conn.close()

    def __enter__(self):
        self.thread.start()
        self.held.wait(5)
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join(10)


def stale_running_run(store):
    """A run a killed app left 'running' long ago: `runs list` wants to mark it interrupted."""
    return store.execute("INSERT INTO runs (status, created_at) VALUES ('running', 0)").lastrowid


def test_reading_commands_do_not_wait_for_another_programs_write(home, capsys):
    store = open_store(home)
    d, _ = make_dataset(store)
    run_id = stale_running_run(store)
    store.close()
    with WriteLock(home / DB_FILENAME, 60):
        for command in (["runs", "list"], ["runs", "show", str(run_id)], ["datasets", "list"],
                        ["datasets", "show", str(d.id)], ["models", "list"]):
            started = time.monotonic()
            code = main(["--home", str(home), *command])
            took = time.monotonic() - started
            out, err = capsys.readouterr()
            # before: `runs list` wrote on every call and failed after 30 s: "database is locked"
            assert code == 0 and took < 5, (command, took, err)
            assert "Something unexpected" not in err
    assert main(["--home", str(home), "runs", "list"]) == 0  # free again: the housekeeping is done now
    assert "interrupted" in capsys.readouterr().out


def test_a_command_that_must_write_gives_up_in_plain_words(home, monkeypatch, capsys):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.5)
    open_store(home).close()
    with WriteLock(home / DB_FILENAME, 30):
        store = open_store(home)
        with pytest.raises(StoreBusy) as info:
            Settings(store).set("threads", 2)
        store.close()
        assert info.value.message == messages.STORE_BUSY.format(folder=home, seconds=0.5)
        code = main(["--home", str(home), "datasets", "sample", "arithmetic", "--n", "30"])
    err = capsys.readouterr().err
    assert code == 1 and "Another program is changing the app's data" in err and str(home) in err


def test_a_run_waits_for_another_programs_write_and_says_so(home, monkeypatch):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.5)  # a command gives up fast; the run must not
    store = open_store(home)
    d, answers = make_dataset(store)
    told = []
    backend, _ = simulated_backend(answers)
    with store.waiting_when_busy(notify=told.append):  # as `optimization_job` does
        gen = run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED)
        first = next(gen)
        with WriteLock(home / DB_FILENAME, 3.5):  # before: OperationalError('database is locked')
            started = time.monotonic()
            events, result = drain(gen)
            assert time.monotonic() - started >= 3
    assert first.kind == "RunStarted" and result.status == "finished"
    assert told == [messages.RUN_WAITS_FOR_STORE.format(folder=home)]
    waited = [e.message for e in events if e.kind == "Warning" and "waited" in e.message]
    assert len(waited) == 1 and waited[0].startswith("The run waited")
    recorded = [r[0] for r in store.execute("SELECT payload_json FROM run_events WHERE run_id = ? AND kind = "
                                            "'Warning'", (result.run_id,))]
    assert any("waited" in p for p in recorded)  # the store keeps the note with the run's events
    assert store.execute("SELECT status FROM runs WHERE id = ?", (result.run_id,)).fetchone()[0] == "finished"
    store.close()


def test_a_waiting_run_stops_when_cancelled(home):
    store = open_store(home)
    d, answers = make_dataset(store)
    cancel = CancelToken()
    backend, _ = simulated_backend(answers)
    gen = run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED, cancel=cancel)
    next(gen)
    with WriteLock(home / DB_FILENAME, 60):
        threading.Timer(1.5, cancel.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):  # it could not even record that it stopped; it stays resumable
            drain(gen)
        assert time.monotonic() - started < 5
    store.close()

import hashlib
import sqlite3

import pytest

from debop_desktop.core.errors import StoreTooNew
from debop_desktop.core.paths import DB_FILENAME, data_home
from debop_desktop.core.store import Store, migrations, open_store
from debop_desktop.core.store import db as store_db

TABLES = {"models", "datasets", "examples", "runs", "run_events", "plans", "nodes",
          "evaluations", "completions", "settings", "_migrations"}


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fresh_database_has_schema_wal_and_foreign_keys(store):
    assert set(store.db.table_names()) >= TABLES
    assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version == len(migrations.MIGRATIONS)
    recorded = [r["name"] for r in store.db["_migrations"].rows]
    assert recorded == [m.__name__ for m in migrations.MIGRATIONS]
    assert store.backup_path is None  # nothing to back up on a new database


def test_evaluation_columns_cover_what_runs_will_record(store):
    cols = set(store.db["evaluations"].columns_dict)
    assert {"output", "extracted", "correct", "prompt_tokens", "completion_tokens", "seconds",
            "node_id", "example_id", "split"} <= cols
    assert {"model_sha256", "prompt_json", "params_json", "text"} <= set(store.db["completions"].columns_dict)
    assert "split" in store.db["examples"].columns_dict


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.execute("INSERT INTO examples (dataset_id, position, input, answer) VALUES (999, 0, 'q', 'a')")


def test_reopening_runs_no_migration_and_makes_no_backup(home):
    open_store(home).close()
    again = open_store(home)
    assert again.backup_path is None
    assert len(list(again.db["_migrations"].rows)) == len(migrations.MIGRATIONS)
    again.close()


def test_new_migration_backs_up_first_and_applies_in_order(home, monkeypatch):
    first = open_store(home)
    first.execute("INSERT INTO settings (key, value_json) VALUES ('threads', '3')")
    first.close()

    def m002_add_notes(conn):
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")

    monkeypatch.setattr(store_db, "MIGRATIONS", [*migrations.MIGRATIONS, m002_add_notes])
    upgraded = open_store(home)
    assert upgraded.schema_version == len(migrations.MIGRATIONS) + 1
    assert "notes" in upgraded.db.table_names()
    assert upgraded.backup_path is not None and upgraded.backup_path.exists()
    backup = sqlite3.connect(upgraded.backup_path)
    assert "notes" not in {r[0] for r in backup.execute("SELECT name FROM sqlite_master")}
    assert backup.execute("SELECT value_json FROM settings").fetchone() == ("3",)
    backup.close()
    upgraded.close()


def test_failing_migration_rolls_back_completely(home, monkeypatch):
    open_store(home).close()

    def m002_broken(conn):
        conn.execute("CREATE TABLE half_done (id INTEGER)")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(store_db, "MIGRATIONS", [*migrations.MIGRATIONS, m002_broken])
    with pytest.raises(sqlite3.OperationalError):
        open_store(home)
    monkeypatch.undo()
    s = open_store(home)
    assert "half_done" not in s.db.table_names()
    assert s.schema_version == len(migrations.MIGRATIONS)
    s.close()


def test_database_from_newer_version_is_refused_and_untouched(home):
    s = open_store(home)
    s.execute(f"PRAGMA user_version = {len(migrations.MIGRATIONS) + 5}")
    s.close()
    path = home / DB_FILENAME
    before = sha(path)
    with pytest.raises(StoreTooNew) as info:
        open_store(home)
    assert "newer version" in info.value.message
    assert sha(path) == before
    assert not list(home.glob("*.bak"))


def test_transaction_is_all_or_nothing(store):
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO settings (key, value_json) VALUES ('a', '1')")
        raise RuntimeError("boom")
    assert store.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0
    with store.transaction() as conn:
        conn.execute("INSERT INTO settings (key, value_json) VALUES ('a', '1')")
    assert store.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 1


def test_another_thread_gets_its_own_connection(store):
    import threading

    seen = []

    def work():
        other = store.reopen()
        seen.append(other.execute("SELECT COUNT(*) FROM models").fetchone()[0])
        other.close()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == [0]


def test_data_home_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBOP_HOME", str(tmp_path / "env"))
    assert data_home() == tmp_path / "env"
    assert data_home(tmp_path / "flag") == tmp_path / "flag"
    monkeypatch.delenv("DEBOP_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # platformdirs on Linux
    default = data_home()
    assert default.name == "DeBoP Desktop" and default.is_dir()


def test_store_on_unwritable_location_gives_plain_error(tmp_path):
    from debop_desktop.core.errors import StoreError

    with pytest.raises(StoreError) as info:
        Store(tmp_path / "no-such-folder" / "x.sqlite3")
    assert "could not be opened" in info.value.message

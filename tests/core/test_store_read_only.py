"""Issue 20 part 3, item 2: a data folder that cannot be written (a read-only mount, `chmod -R
a-w`). Reading still works, through a read-only connection; anything that would write says
which folder cannot be written and what to do. The tests run as root, who may write anywhere,
so the folder is made to look read-only to `os.access`; SQLite itself then refuses writes,
because the store opens the file read-only."""

import os

import pytest

from debop_desktop.cli import main
from debop_desktop.core import messages
from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.errors import StoreError, StoreReadOnly
from debop_desktop.core.paths import DB_FILENAME
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import open_store


def read_only(monkeypatch, folder):
    """`folder` and everything in it look read-only, as after `chmod -R a-w` for a non-root user."""
    real = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and str(os.fspath(path)).startswith(str(folder)):
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def with_task(home):
    store = open_store(home)
    task = DatasetRepository(store).create(
        name="sums", examples=[NewExample(f"{i} + 1?", str(i + 1), ("train", "dev", "test")[i % 3]) for i in range(30)])
    store.close()
    return task


def test_a_read_only_folder_is_read_through_a_read_only_connection(home, monkeypatch):
    task = with_task(home)
    read_only(monkeypatch, home)
    store = open_store(home, check=True)
    assert store.read_only and [d.name for d in DatasetRepository(store).list()] == ["sums"]
    assert Settings(store).get("threads") == 0
    with pytest.raises(StoreReadOnly) as info:  # SQLite refuses: the connection is read-only
        Settings(store).set("threads", 2)
    assert info.value.message == messages.STORE_READ_ONLY.format(folder=home) and info.value.folder == str(home)
    with pytest.raises(StoreReadOnly):
        DatasetRepository(store).delete(task.id)
    with pytest.raises(StoreReadOnly):
        store.require_writable()
    store.close()


def test_the_cli_reads_and_says_which_folder_cannot_be_written(home, monkeypatch, capsys):
    with_task(home)
    read_only(monkeypatch, home)
    for command in (["runs", "list"], ["datasets", "list"], ["datasets", "show", "1"], ["models", "list"]):
        assert main(["--home", str(home), *command]) == 0, command  # before: 'Something unexpected'
        assert "Error" not in capsys.readouterr().err
    assert main(["--home", str(home), "datasets", "list"]) == 0 and "sums" in capsys.readouterr().out
    for command in (["optimize", "--model", "1", "--dataset", "1"],  # said before any model is looked for
                    ["datasets", "sample", "arithmetic", "--n", "30"], ["datasets", "delete", "1"]):
        assert main(["--home", str(home), *command]) == 1, command
        err = capsys.readouterr().err
        assert err.startswith(f"Error: The data folder {home} cannot be written") and "Something" not in err


def test_a_read_only_folder_without_a_database_says_so(home, monkeypatch):
    read_only(monkeypatch, home)
    with pytest.raises(StoreReadOnly) as info:
        open_store(home)
    assert info.value.message == messages.STORE_READ_ONLY_EMPTY.format(folder=home)
    assert not (home / DB_FILENAME).exists()


def test_a_data_folder_that_cannot_be_made_says_so(tmp_path):
    (tmp_path / "a file").write_text("not a folder")
    with pytest.raises(StoreError) as info:
        open_store(tmp_path / "a file" / "data")
    assert info.value.message.startswith(f"The data folder {tmp_path / 'a file' / 'data'} does not exist and "
                                         "cannot be created")

"""The full-disk message asks for as much room as the data folder's disk can sensibly give: not
100 MB on a 3 MB disk (issue 20, part 3)."""

import re
import shutil
from collections import namedtuple

import pytest

from debop_desktop.core.store.db import disk_full_message

Usage = namedtuple("Usage", "total used free")
MB = 1024 * 1024


def asked_for(message: str) -> float:
    amount, unit = re.search(r"Free at least ([\d.]+) (KB|MB|GB)", message).groups()
    return float(amount) * {"KB": 1 / 1024, "MB": 1, "GB": 1024}[unit]


@pytest.mark.parametrize(("total", "free", "db_size", "low", "high"), [
    (3 * MB, 20 * 1024, 1 * MB, 0.2, 1.0),  # a 3 MB disk: well under what it holds (before: 100 MB)
    (500_000 * MB, 0, 2 * MB, 4, 16),  # a big disk, full: a few MB for the log and the next changes
    (500_000 * MB, 0, 1000 * MB, 150, 250),  # a big database grows by more: a fifth of it
    (500_000 * MB, 6 * MB, 2 * MB, 0.2, 4),  # what is free already counts
])
def test_the_room_asked_for_fits_the_disk_and_the_database(tmp_path, monkeypatch, total, free, db_size, low, high):
    db = tmp_path / "debop.sqlite3"
    with open(db, "wb") as f:
        f.truncate(db_size)  # sparse: the size is what counts, not the bytes
    monkeypatch.setattr(shutil, "disk_usage", lambda _folder: Usage(total, total - free, free))
    message = disk_full_message(db)
    assert low <= asked_for(message) <= high, message
    assert str(tmp_path) in message


def test_an_unknown_disk_still_gets_a_number(tmp_path, monkeypatch):
    def fails(_folder):
        raise OSError("no such disk")

    monkeypatch.setattr(shutil, "disk_usage", fails)
    message = disk_full_message(tmp_path / "debop.sqlite3")
    assert "(unknown free)" in message and asked_for(message) == 8

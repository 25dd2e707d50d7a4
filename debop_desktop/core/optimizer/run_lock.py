"""One process drives a run at a time: a lock file per run beside the database.

The operating system releases the lock when its holder exits for any reason (even `kill -9`),
so a run whose driver is gone can be taken over at once, and no heartbeat is needed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError


class RunBusy(DebopError):
    """Another window or command is driving this run right now."""


def lock_path(db_path: str | os.PathLike[str], run_id: int) -> Path:
    return Path(db_path).with_name(f"{Path(db_path).name}.run-{run_id}.lock")


@contextlib.contextmanager
def driving_run(db_path: str | os.PathLike[str], run_id: int) -> Iterator[None]:
    """Hold the run's lock while the block runs; `RunBusy` when another process holds it."""
    with holding_lock(lock_path(db_path, run_id),
                      lambda holder: RunBusy(msg.RUN_BUSY.format(run=run_id, holder=holder))):
        yield


@contextlib.contextmanager
def holding_lock(path: Path, busy: Callable[[str], Exception]) -> Iterator[None]:
    """Hold the lock file `path` while the block runs, with this process named in it; raise
    `busy(holder)` when another process (or another window of this one) holds it."""
    handle = open(path, "a+b")  # noqa: SIM115 - held for the whole block
    try:
        if not _try_lock(handle):
            handle.seek(0)
            raise busy(handle.read().decode("ascii", "replace").strip() or "another program")
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}".encode("ascii"))
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


def _try_lock(handle) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False

"""One process answers a job at a time: a lock file per job beside the database (the same
kind of lock a run's driver holds, core/optimizer/run_lock.py), released by the operating
system when its holder exits for any reason, `kill -9` included."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError
from debop_desktop.core.optimizer.run_lock import _try_lock as try_lock


class ApplyBusy(DebopError):
    """Another window or command is answering this file right now."""


@contextlib.contextmanager
def holding_job(db_path: str | os.PathLike[str], job_id: int) -> Iterator[None]:
    """Hold job `job_id`'s lock while the block runs; `ApplyBusy` when another process (or
    another window of this one) holds it."""
    path = Path(db_path).with_name(f"{Path(db_path).name}.apply-{job_id}.lock")
    handle = open(path, "a+b")  # noqa: SIM115 - held for the whole block
    try:
        if not try_lock(handle):
            handle.seek(0)
            holder = handle.read().decode("ascii", "replace").strip() or "another program"
            raise ApplyBusy(msg.APPLY_BUSY.format(holder=holder))
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}".encode("ascii"))
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock

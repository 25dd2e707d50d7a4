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
from debop_desktop.core.optimizer.run_lock import holding_lock


class ApplyBusy(DebopError):
    """Another window or command is answering this file right now."""


@contextlib.contextmanager
def holding_job(db_path: str | os.PathLike[str], job_id: int) -> Iterator[None]:
    """Hold job `job_id`'s lock while the block runs; `ApplyBusy` when another process (or
    another window of this one) holds it."""
    path = Path(db_path).with_name(f"{Path(db_path).name}.apply-{job_id}.lock")
    with holding_lock(path, lambda holder: ApplyBusy(msg.APPLY_BUSY.format(holder=holder))):
        yield

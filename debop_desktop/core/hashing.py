"""Streamed SHA-256 of large files with progress, so a 5 GB model never sits in memory."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from debop_desktop.core.errors import Cancelled

Progress = Callable[[int, int], None]
CHUNK = 8 * 1024 * 1024


def sha256_file(
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> str:
    """Return the hex digest; `progress(done_bytes, total_bytes)` after every chunk.

    `should_stop()` is polled between chunks; when it returns True the hash is abandoned
    with `Cancelled` (a cancel, not an error).
    """
    total = os.path.getsize(path)
    digest = hashlib.sha256()
    done = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
            if should_stop and should_stop():
                raise Cancelled()
    if progress and total == 0:
        progress(0, 0)
    return digest.hexdigest()

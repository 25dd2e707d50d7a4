"""Run short core jobs off the UI thread (in the spirit of Anki's QueryOp).

`run_in_background(fn, on_done, on_error)` calls `fn()` on a worker thread and delivers its
result or exception back on the UI thread. A cancel is not an error: it calls neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from superqt.utils import create_worker

from debop_desktop.core.errors import Cancelled

_running: set[Any] = set()  # keep workers alive until they finish


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> Any:
    # _ignore_errors: errors go to `on_error`; superqt would otherwise re-raise them as well.
    worker = create_worker(fn, _ignore_errors=True)

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):
            on_error(exc)

    worker.returned.connect(on_done)
    worker.errored.connect(failed)
    worker.finished.connect(lambda: _running.discard(worker))
    _running.add(worker)
    worker.start()
    return worker

"""How a run waits while another program writes to the database (a big import, another run).

A command gives up after `BUSY_TIMEOUT_S` with a plain `StoreBusy`; a run must not fail for
that, so its writes wait as long as it takes, a second at a time (the cancel token can end
the wait), say once that they wait, and leave a note for the run's events when they go on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from debop_desktop.core import messages
from debop_desktop.core.errors import Cancelled

BUSY_TIMEOUT_S = 30.0  # how long a command's write waits for another program's
POLL_S = 1.0  # a waiting run looks at its cancel token this often
NOTICE_AFTER_S = 2.0  # shorter waits are not worth a word


class _CancelToken(Protocol):
    @property
    def cancelled(self) -> bool: ...


class BusyWait:
    """Called by the store each time a run's write finds the database locked (`waiting`)
    and when the write then went through (`resumed`)."""

    def __init__(self, folder: Path, cancel: _CancelToken | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.folder, self.cancel, self.notify = folder, cancel, notify
        self._told = False
        self._notes: list[str] = []

    def waiting(self, seconds: float) -> None:
        """Another second of waiting; raises `Cancelled` once the run is asked to stop."""
        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled()
        if not self._told and seconds >= NOTICE_AFTER_S:
            self._told = True
            if self.notify is not None:
                self.notify(messages.RUN_WAITS_FOR_STORE.format(folder=self.folder))

    def resumed(self, seconds: float) -> None:
        if self._told:
            self._told = False
            self._notes.append(messages.RUN_WAITED_FOR_STORE.format(seconds=seconds))

    def take_notes(self) -> list[str]:
        """The waits that ended since the last call, in words (for the run's Warning events)."""
        notes, self._notes = self._notes, []
        return notes

"""Warnings the core logs (a stored setting it cannot use, …) as one-line notes on stderr."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from debop_desktop.cli.output import Output


class _NoteHandler(logging.Handler):
    def __init__(self, out: Output) -> None:
        super().__init__(logging.WARNING)
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):  # a note must never break the command
            self.out.note(f"Note: {record.getMessage()}")


@contextlib.contextmanager
def core_warnings_as_notes(out: Output) -> Iterator[None]:
    """While the command runs, the app's logged warnings are printed as 'Note: …' lines."""
    logger = logging.getLogger("debop_desktop")
    handler = _NoteHandler(out)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)

"""Printing for the CLI: aligned tables for people, JSON for scripts, a progress bar."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO


class OutputClosed(Exception):
    """Whoever read our output went away (`debop … | head -1` closed the pipe)."""


class Output:
    def __init__(self, json_mode: bool = False, stdout: TextIO | None = None,
                 stderr: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._bar_shown = False

    @staticmethod
    def _put(stream: TextIO, text: str, flush: bool = False) -> None:
        """Every write goes through here: a closed pipe becomes `OutputClosed`, which `main`
        ends quietly, never an 'unexpected error' about a broken pipe."""
        try:
            stream.write(text)
            if flush:
                stream.flush()
        except BrokenPipeError as exc:
            raise OutputClosed from exc

    def json(self, data: Any) -> None:
        self._put(self.stdout, json.dumps(data, indent=2, default=str) + "\n")

    def line(self, text: str = "") -> None:
        self._put(self.stdout, text + "\n")

    def write(self, text: str) -> None:
        self._put(self.stdout, text, flush=True)

    def note(self, text: str) -> None:
        """A message to the person that is not the command's result (goes to stderr)."""
        self._put(self.stderr, text + "\n")

    def error(self, message: str, details: str = "") -> None:
        self._clear_bar()
        self._put(self.stderr, f"Error: {message}\n" + (f"Details: {details}\n" if details else ""))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        cells = [[("" if c is None else str(c)) for c in row] for row in rows]
        widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
        self.line("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        for r in cells:
            self.line("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())

    def progress(self, label: str):
        """A callback(done, total, note="") drawing a bar on stderr when it is a terminal."""
        last = [0.0]
        tty = hasattr(self.stderr, "isatty") and self.stderr.isatty()

        def update(done: int, total: int, note: str = "") -> None:
            if not tty or self.json_mode:
                return
            now = time.monotonic()
            if now - last[0] < 0.1 and done < total:
                return
            last[0] = now
            frac = done / total if total else 1.0
            filled = int(frac * 30)
            self._put(self.stderr, f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {frac:5.1%}  {note:<28}",
                      flush=True)
            self._bar_shown = True
            if done >= total:
                self._clear_bar()

        return update

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self._bar_shown = False
            self._put(self.stderr, "\n")

    def close(self) -> None:
        self._clear_bar()
        self._put(self.stdout, "", flush=True)


def stdout_closed() -> int:
    """What to do when the reader of our output went away (`debop … | head -1`): stop quietly,
    with the status a Unix tool ended by SIGPIPE has (141), and without a word: the rest of the
    output, and anything Python flushes on the way out, goes to the null device."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):  # no real file behind it (a capture)
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return 141

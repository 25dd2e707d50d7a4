"""Printing for the CLI: aligned tables for people, JSON for scripts, a progress bar."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO


class Output:
    def __init__(self, json_mode: bool = False, stdout: TextIO | None = None,
                 stderr: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._bar_shown = False

    def json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, indent=2, default=str) + "\n")

    def line(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def note(self, text: str) -> None:
        """A message to the person that is not the command's result (goes to stderr)."""
        self.stderr.write(text + "\n")

    def error(self, message: str, details: str = "") -> None:
        self._clear_bar()
        self.stderr.write(f"Error: {message}\n")
        if details:
            self.stderr.write(f"Details: {details}\n")

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
            self.stderr.write(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {frac:5.1%}  {note:<28}")
            self.stderr.flush()
            self._bar_shown = True
            if done >= total:
                self._clear_bar()

        return update

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self.stderr.write("\n")
            self._bar_shown = False

    def close(self) -> None:
        self._clear_bar()
        self.stdout.flush()

"""Exceptions the core raises on purpose.

Every `DebopError` carries a plain-language `message` for the person using the app and an
optional technical `details` string (shown behind a "Details" button, or with --debug).
"""

from __future__ import annotations


class DebopError(Exception):
    """An expected failure with a message a non-programmer can act on."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadModelFile(DebopError):
    """The file is not a usable GGUF model; nothing was registered."""


class ModelNotFound(DebopError):
    """No model in the library matches the given id or name."""


class ModelLoadError(DebopError):
    """llama.cpp could not load the model (memory, corrupt tensors, unsupported arch)."""


class StoreError(DebopError):
    """The database cannot be opened or migrated."""


class StoreTooNew(StoreError):
    """The database was written by a newer version of the app; it is left untouched."""


class NoModelLoaded(DebopError):
    """A generation was asked for before a model was loaded."""


class Cancelled(Exception):
    """Work (a generation, a file hash) was stopped by its cancel token.

    Not a `DebopError`: a user's cancel is a normal stop, and callers show nothing for it.
    `completion_tokens` is how many tokens were sampled before the stop took effect.
    """

    def __init__(self, completion_tokens: int = 0) -> None:
        super().__init__("cancelled")
        self.completion_tokens = completion_tokens


class ContextOverflow(DebopError):
    """The prompt plus the requested answer length does not fit the model's context."""


class ServerError(DebopError):
    """The model server answered with an error we cannot retry (wrong model, bad request)."""


class ServerUnavailable(DebopError):
    """The model server cannot be reached or keeps failing; retrying later may work."""


class EngineCrashed(DebopError):
    """The inference worker process died (a crash in llama.cpp, an abort, an out-of-memory
    kill). The app itself is unharmed; the model must be loaded again."""

    def __init__(self, message: str, details: str = "", *, model: str = "", reason: str = "") -> None:
        super().__init__(message, details)
        self.model = model
        self.reason = reason  # how the worker ended, in words (e.g. "a crash inside llama.cpp (SIGSEGV)")


class ModelFileChanged(DebopError):
    """A library model's file now holds different weights than when it was added; it is not
    used as that model (runs and saved answers belong to the old file)."""


class StoreCorrupt(StoreError):
    """The database file is damaged. `backups` lists the backup copies, newest first."""

    def __init__(self, message: str, details: str = "", *, path: str = "", backups: tuple[str, ...] = ()) -> None:
        super().__init__(message, details)
        self.path = path
        self.backups = backups


class DiskFull(StoreError):
    """The disk holding the data folder is full; the last change was not saved."""


class StoreReadOnly(StoreError):
    """The data folder (or the database in it) cannot be written; reading still works."""

    def __init__(self, message: str, details: str = "", *, folder: str = "") -> None:
        super().__init__(message, details)
        self.folder = folder


class StoreBusy(StoreError):
    """Another program held the database's write lock for longer than this command waits."""

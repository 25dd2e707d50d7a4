"""`ModelHost`: the one owner of the loaded model in this process (the app, or one CLI command).

In the spirit of llama-cpp-python's server `LlamaProxy`: the optimization run, the Playground
and Say hello all ask the host, which hands out the same worker-backed engine when the same
model is wanted, and never loads a second copy. Asking for another model while the loaded
one is idle swaps it (the caller may first ask the person: `swap=False` raises `SwapNeeded`);
while someone is using it, the request is refused with `ModelInUse`, naming the user.
"""

from __future__ import annotations

import atexit
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError
from debop_desktop.core.llm.llama_engine import LoadedModel
from debop_desktop.core.llm.worker_client import WorkerEngine


class ModelInUse(DebopError):
    """Another model is loaded and busy (a run, a Playground answer)."""


class SwapNeeded(DebopError):
    """Another model is loaded but idle; the caller may ask the person, then swap."""

    def __init__(self, message: str, current: str) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class LoadKey:
    """What makes two loads the same: the file and the settings it was loaded with."""

    path: str
    fingerprint: str
    n_ctx: int | None
    n_gpu_layers: int
    n_threads: int
    extra_bufts: bool | None
    n_parallel: int = 1  # questions decoded together (a context parameter: a new value reloads)


class ModelHost:
    def __init__(self, engine_factory: Callable[..., WorkerEngine] = WorkerEngine) -> None:
        self._factory = engine_factory
        self._lock = threading.RLock()
        self._engine: WorkerEngine | None = None
        self._key: LoadKey | None = None
        self._name = ""
        self._users: Counter[str] = Counter()

    def acquire(self, key: LoadKey, name: str, *, user: str, swap: bool = True) -> tuple[WorkerEngine, LoadedModel]:
        """The engine with this model loaded, marked in use by `user` until `release(user)`."""
        with self._lock:
            if self._engine is not None and self._key == key and self._engine.loaded is not None:
                self._users[user] += 1
                return self._engine, self._engine.loaded
            if self._engine is not None and self._engine.loaded is not None:
                others = [u for u, n in self._users.items() if n > 0 and u != user]
                if others:
                    raise ModelInUse(msg.MODEL_IN_USE.format(current=self._name, user=_user_words(others[0]),
                                                             wanted=name))
                if not swap:
                    raise SwapNeeded(msg.MODEL_SWAP_QUESTION.format(current=self._name, wanted=name), self._name)
            self._unload_locked()
            engine = self._factory(n_threads=key.n_threads, extra_bufts=key.extra_bufts)
            loaded = engine.load(key.path, n_ctx=key.n_ctx, n_gpu_layers=key.n_gpu_layers,
                                 fingerprint=key.fingerprint, n_parallel=key.n_parallel)
            self._engine, self._key, self._name = engine, key, name
            self._users = Counter({user: 1})
            return engine, loaded

    def release(self, user: str) -> None:
        """`user` is done for now; the model stays loaded for the next request."""
        with self._lock:
            if self._users[user] > 0:
                self._users[user] -= 1

    @property
    def loaded_name(self) -> str | None:
        with self._lock:
            return self._name if self._engine is not None and self._engine.loaded is not None else None

    def holds(self, path: str | None) -> bool:
        """Whether the model file at `path` is the one loaded now."""
        with self._lock:
            return self._key is not None and self._key.path == path and self.loaded_name is not None

    def would_swap(self, path: str | None) -> str | None:
        """The name of the loaded model that loading `path` would replace, or None."""
        with self._lock:
            current = self.loaded_name
            return current if current is not None and not self.holds(path) else None

    @property
    def engine(self) -> WorkerEngine | None:
        return self._engine

    def busy_with(self) -> list[str]:
        with self._lock:
            return [u for u, n in self._users.items() if n > 0]

    def unload(self) -> None:
        """End the worker (its memory goes back to the system), whoever was using it."""
        with self._lock:
            self._unload_locked()

    def _unload_locked(self) -> None:
        if self._engine is not None:
            self._engine.unload()
        self._engine, self._key, self._name = None, None, ""
        self._users = Counter()


def _user_words(user: str) -> str:
    return {"run": "an optimization run", "playground": "the Playground", "hello": "Say hello"}.get(user, user)


_HOST: ModelHost | None = None
_HOST_LOCK = threading.Lock()


def model_host() -> ModelHost:
    """This process's host (created on first use; its worker ends when the process exits)."""
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            _HOST = ModelHost()
            atexit.register(_HOST.unload)
        return _HOST

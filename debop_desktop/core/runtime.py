"""Load a library model the way the person's settings and this computer's memory allow.

`open_model` is what the app and the CLI use: local models load in the inference worker
process owned by the process-wide `ModelHost` (core/llm/host.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from debop_desktop.core import messages
from debop_desktop.core.errors import ModelLoadError
from debop_desktop.core.library import ModelLibrary, ModelRecord
from debop_desktop.core.llm.base import ChatBackend
from debop_desktop.core.llm.batched import batch_context
from debop_desktop.core.llm.host import LoadKey, ModelHost, model_host
from debop_desktop.core.llm.llama_engine import LoadedModel, default_threads
from debop_desktop.core.llm.server import ServerBackend, ServerConfig
from debop_desktop.core.memory import MemoryEstimate, auto_parallel, estimate_memory
from debop_desktop.core.settings import Settings, clamp_parallel


def choose_context(record: ModelRecord, requested: int | None, settings: Settings) -> int:
    """The context to load with: what was asked, capped by the setting and the model."""
    limit = requested or int(settings.get("context_length"))
    trained = record.context_length or limit
    return max(256, min(limit, trained))


def choose_parallel(record: ModelRecord, n_ctx: int, settings: Settings, requested: int | None = None) -> int:
    """Questions decoded together: what was asked (`--parallel`), else the setting, else
    (0, automatic) what the model, the context and free memory allow; never more than
    `PARALLEL_MAX`. Server models: 1 (the server's own concurrency applies)."""
    if record.is_remote:
        return 1
    chosen = clamp_parallel(requested if requested is not None else int(settings.get("parallel") or 0))
    if chosen > 0:
        return chosen
    return auto_parallel(size_bytes=record.size_bytes or 0, architecture=record.architecture or "",
                         metadata=record.metadata, n_ctx=n_ctx, vocab_size=record.vocab_size)


def parallel_for(record: ModelRecord, settings: Settings) -> int:
    """Questions decoded together when `record` loads with these settings (for estimates)."""
    return choose_parallel(record, choose_context(record, None, settings), settings)


def memory_for(record: ModelRecord, n_ctx: int, parallel: int = 1) -> MemoryEstimate:
    """Memory to load `record` for one conversation of `n_ctx` tokens, plus room for
    `parallel - 1` more questions decoded together (their conversation memory)."""
    return estimate_memory(
        size_bytes=record.size_bytes or 0, architecture=record.architecture or "",
        metadata=record.metadata, n_layers=record.n_layers, vocab_size=record.vocab_size,
        n_ctx=batch_context(n_ctx, parallel),
    )


def server_backend_for(record: ModelRecord, settings: Settings) -> ServerBackend:
    """The HTTP backend for a server model (no request is made here)."""
    meta = record.metadata
    return ServerBackend(ServerConfig(base_url=record.endpoint or "", model=record.remote_model or "",
                                      api_key=meta.get("api_key"),
                                      max_concurrency=int(meta.get("concurrency") or 4)))


@dataclass
class OpenedModel:
    """A model ready to answer, and how to hand it back. `release()` keeps a local model
    loaded in the host for the next user; it never unloads a model someone else uses."""

    backend: ChatBackend
    backend_name: str  # "llama.cpp" (in its worker process) or "openai-compatible"
    endpoint: str | None
    loaded: LoadedModel | None
    release: Callable[[], None]


def extra_bufts_setting(settings: Settings) -> bool | None:
    """The 'faster processor features' setting: None = automatic (off on AMX processors)."""
    value = settings.get("faster_cpu_features")
    return None if value in (None, "auto") else bool(value)


def open_model(record: ModelRecord, settings: Settings, *, user: str, threads: int | None = None,
               n_ctx: int | None = None, gpu_layers: int | None = None, swap: bool = True,
               host: ModelHost | None = None, parallel: int | None = None) -> OpenedModel:
    """Any library model, ready to answer. A GGUF loads in the host's worker process (or is
    shared, when already loaded with the same settings); a server model is checked first."""
    if record.is_remote:
        backend = server_backend_for(record, settings)
        backend.check()
        return OpenedModel(backend, "openai-compatible", record.endpoint, None, lambda: None)
    if not record.path:
        raise ModelLoadError(messages.MODEL_IS_REMOTE.format(name=record.name))
    record = ModelLibrary(settings.store).check_file(record)  # the same weights that were added
    ctx = choose_context(record, n_ctx, settings)
    n_parallel = choose_parallel(record, ctx, settings, parallel)
    if gpu_layers is None:
        configured = settings.get("gpu_layers")
        gpu_layers = memory_for(record, ctx, n_parallel).gpu_layers if configured == "auto" else int(configured)
    key = LoadKey(path=record.path, fingerprint=record.sha256 or "", n_ctx=ctx, n_gpu_layers=gpu_layers,
                  n_threads=threads or int(settings.get("threads")) or default_threads(),
                  extra_bufts=extra_bufts_setting(settings), n_parallel=n_parallel)
    host = host or model_host()
    try:
        engine, loaded = host.acquire(key, record.name, user=user, swap=swap)
    except ModelLoadError as exc:
        _blame_parallel(host, key, record.name, user, exc)
        raise
    return OpenedModel(engine, "llama.cpp", None, loaded, lambda: host.release(user))


def _blame_parallel(host: ModelHost, key: LoadKey, name: str, user: str, exc: ModelLoadError) -> None:
    """A load with several questions at once failed: if the model loads one at a time, the
    setting was the cause, and the error says so (not 'the file may be damaged')."""
    if key.n_parallel <= 1:
        return
    try:
        host.acquire(replace(key, n_parallel=1), name, user=user)
    except ModelLoadError:
        return  # it fails alone as well: the file or the memory, as the first error says
    host.release(user)
    raise ModelLoadError(messages.MODEL_LOAD_FAILED_PARALLEL.format(name=name, parallel=key.n_parallel),
                         exc.details) from exc

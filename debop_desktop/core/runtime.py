"""Load a library model the way the person's settings and this computer's memory allow."""

from __future__ import annotations

from debop_desktop.core import messages
from debop_desktop.core.errors import ModelLoadError
from debop_desktop.core.library import ModelRecord
from debop_desktop.core.llm.base import ChatBackend
from debop_desktop.core.llm.llama_engine import LlamaEngine, LoadedModel, default_threads
from debop_desktop.core.llm.server import ServerBackend, ServerConfig
from debop_desktop.core.memory import MemoryEstimate, estimate_memory
from debop_desktop.core.settings import Settings


def choose_context(record: ModelRecord, requested: int | None, settings: Settings) -> int:
    """The context to load with: what was asked, capped by the setting and the model."""
    limit = requested or int(settings.get("context_length"))
    trained = record.context_length or limit
    return max(256, min(limit, trained))


def memory_for(record: ModelRecord, n_ctx: int) -> MemoryEstimate:
    return estimate_memory(
        size_bytes=record.size_bytes or 0, architecture=record.architecture or "",
        metadata=record.metadata, n_layers=record.n_layers, vocab_size=record.vocab_size,
        n_ctx=n_ctx,
    )


def engine_for(settings: Settings, threads: int | None = None) -> LlamaEngine:
    return LlamaEngine(n_threads=threads or int(settings.get("threads")) or default_threads())


def load_record(
    engine: LlamaEngine,
    record: ModelRecord,
    settings: Settings,
    *,
    n_ctx: int | None = None,
    gpu_layers: int | None = None,
) -> tuple[LoadedModel, MemoryEstimate]:
    """Load `record` into `engine`; GPU layers from the estimate unless given."""
    if record.kind != "gguf" or not record.path:
        raise ModelLoadError(messages.MODEL_IS_REMOTE.format(name=record.name))
    ctx = choose_context(record, n_ctx, settings)
    estimate = memory_for(record, ctx)
    if gpu_layers is None:
        configured = settings.get("gpu_layers")
        gpu_layers = estimate.gpu_layers if configured == "auto" else int(configured)
    loaded = engine.load(record.path, n_ctx=ctx, n_gpu_layers=gpu_layers,
                         fingerprint=record.sha256)
    return loaded, estimate


def server_backend_for(record: ModelRecord, settings: Settings) -> ServerBackend:
    """The HTTP backend for a server model (no request is made here)."""
    meta = record.metadata
    return ServerBackend(ServerConfig(base_url=record.endpoint or "", model=record.remote_model or "",
                                      api_key=meta.get("api_key"),
                                      max_concurrency=int(meta.get("concurrency") or 4)))


def open_backend(record: ModelRecord, settings: Settings, *, threads: int | None = None,
                 n_ctx: int | None = None) -> tuple[ChatBackend, LlamaEngine | None, str, str | None]:
    """(backend, engine to unload or None, backend name, endpoint) for any library model.
    A server model is checked first (it must answer and have the model)."""
    if record.is_remote:
        backend = server_backend_for(record, settings)
        backend.check()
        return backend, None, "openai-compatible", record.endpoint
    engine = engine_for(settings, threads)
    load_record(engine, record, settings, n_ctx=n_ctx)
    return engine, engine, "llama.cpp", None

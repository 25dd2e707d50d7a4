"""`debop generate --model ID "prompt"`: stream a reply from a library model."""

from __future__ import annotations

import argparse

from debop_desktop.cli.args import positive_int
from debop_desktop.cli.output import Output
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken, ChatMessage, GenerationParams
from debop_desktop.core.llm.cache import CachedBackend
from debop_desktop.core.runtime import open_model
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import open_store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="ask a model something (the reply streams)")
    p.add_argument("prompt")
    p.add_argument("--model", required=True, help="number or name from 'debop models list'")
    p.add_argument("--system", help="a system message")
    p.add_argument("--max-tokens", type=positive_int, default=256)
    p.add_argument("--temperature", type=float, default=0.0, help="0 = greedy (default)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--stop", action="append", default=[], help="stop at this text (repeatable)")
    p.add_argument("--ctx", type=positive_int, help="context length")
    p.add_argument("--threads", type=positive_int, help="processor threads (default: all cores but one)")
    p.add_argument("--gpu-layers", type=int, help="layers on the GPU (default: automatic)")
    p.add_argument("--no-cache", action="store_true", help="do not reuse a stored answer")
    p.set_defaults(handler=cmd_generate)


def cmd_generate(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    settings = Settings(store)
    record = ModelLibrary(store).get(args.model)
    if record.is_remote:
        out.note(f"Using the model server at {record.endpoint}.")
    opened = open_model(record, settings, user="generate", threads=args.threads, n_ctx=args.ctx,
                        gpu_layers=args.gpu_layers)
    if opened.loaded is not None and opened.loaded.note:
        out.note(opened.loaded.note)
    model, load_seconds = opened.backend, opened.loaded.load_seconds if opened.loaded else 0.0
    backend = model if args.no_cache or not settings.get("use_cache") else CachedBackend(model, store)
    messages = ([ChatMessage("system", args.system)] if args.system else []) + [
        ChatMessage("user", args.prompt)]
    params = GenerationParams(max_tokens=args.max_tokens, temperature=args.temperature,
                              seed=args.seed, stop=tuple(args.stop))
    cancel = CancelToken()
    try:
        result = backend.chat(messages, params, cancel,
                              on_text=None if args.json else out.write)
    except KeyboardInterrupt:
        cancel.cancel()
        raise
    finally:
        opened.release()
    if args.json:
        out.json({"model": record.name, "text": result.text, "finish_reason": result.finish_reason,
                  "prompt_tokens": result.prompt_tokens,
                  "completion_tokens": result.completion_tokens,
                  "seconds": round(result.seconds, 3), "cached": result.cached,
                  "load_seconds": round(load_seconds, 3)})
    else:
        out.line()
        # Seconds include reading the prompt, so tokens/seconds would understate the speed.
        source = ", from cache" if result.cached else ""
        out.note(f"[{result.completion_tokens} tokens in {result.seconds:.2f} s{source}]")
    return 0

"""`debop models ...`: add, list, info, discover, remove."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from debop_desktop.cli.args import positive_int
from debop_desktop.cli.output import Output
from debop_desktop.core import messages
from debop_desktop.core.discovery import discover_models
from debop_desktop.core.errors import BadModelFile
from debop_desktop.core.library import ModelLibrary, ModelRecord
from debop_desktop.core.runtime import choose_context, choose_parallel, memory_for
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import open_store
from debop_desktop.core.units import human_bytes, human_params


def register(sub: argparse._SubParsersAction) -> None:
    models = sub.add_parser("models", help="your model library").add_subparsers(
        dest="models_command", metavar="ACTION", required=True)
    p = models.add_parser("add", help="add a .gguf file (it is referenced, never copied)")
    p.add_argument("path")
    p.add_argument("--name", help="a name to show instead of the one inside the file")
    p.set_defaults(handler=cmd_add)
    models.add_parser("list", help="list models").set_defaults(handler=cmd_list)
    p = models.add_parser("add-server", help="add a model served by an OpenAI-compatible server you run")
    p.add_argument("url", help="the server's address, e.g. http://127.0.0.1:8080")
    p.add_argument("--model", required=True, help="the model's name on the server")
    p.add_argument("--name", help="a name to show in your library")
    p.add_argument("--api-key", help="if the server needs one (kept in this computer's database)")
    p.add_argument("--concurrency", type=positive_int, default=4, help="requests at once during a run (default 4)")
    p.set_defaults(handler=cmd_add_server)
    p = models.add_parser("info", help="everything about one model")
    p.add_argument("model", help="number or name from 'debop models list'")
    p.add_argument("--ctx", type=positive_int, help="context length for the memory estimate")
    p.set_defaults(handler=cmd_info)
    p = models.add_parser("discover", help="find models other apps downloaded")
    p.add_argument("--add", action="store_true", help="add everything found to the library")
    p.set_defaults(handler=cmd_discover)
    p = models.add_parser("remove", help="forget a model (the file is not deleted)")
    p.add_argument("model")
    p.set_defaults(handler=cmd_remove)



def record_dict(r: ModelRecord) -> dict[str, Any]:
    d = asdict(r)
    d["file_present"] = r.file_present
    d["file_state"] = r.file_state
    return d


def cmd_add(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    result = ModelLibrary(store).add(args.path, name=args.name, progress=out.progress("Checking file"))
    if args.json:
        out.json({"status": result.status, "model": record_dict(result.record)})
        return 0
    if result.message:
        out.note(result.message)
    _print_info(out, result.record, Settings(store), None)
    return 0


def cmd_add_server(args: argparse.Namespace, out: Output) -> int:
    from debop_desktop.core.llm.server import ServerBackend, ServerConfig, privacy_warning

    backend = ServerBackend(ServerConfig(args.url, args.model, api_key=args.api_key, retries=1, timeout=15))
    models = backend.check()  # the person typed this address; this is the test connection
    warning = privacy_warning(args.url)
    record = ModelLibrary(open_store(args.home)).add_server(args.url, args.model, name=args.name,
                                                            api_key=args.api_key, concurrency=args.concurrency)
    if args.json:
        out.json({"model": record_dict(record), "server_models": models, "warning": warning})
        return 0
    if warning:
        out.note(f"Warning: {warning}")
    out.line(f"Connected. The server offers: {', '.join(models) or '(it did not list its models)'}.")
    out.line(f"Added '{record.name}' as model #{record.id} (remote: {record.endpoint}).")
    return 0


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    records = ModelLibrary(open_store(args.home)).list()
    if args.json:
        out.json([record_dict(r) for r in records])
        return 0
    if not records:
        out.line("Your library is empty. Add a model with: debop models add PATH.gguf")
        return 0
    out.table(
        ["#", "Name", "Arch", "Params", "Quant", "Size", "Context", "File"],
        [[r.id, r.name, "server", "", "", "", "", f"remote: {r.endpoint}"] if r.is_remote else
         [r.id, r.name, r.architecture, human_params(r.parameter_count), r.quantization,
          human_bytes(r.size_bytes or 0), r.context_length,
          _FILE_STATES[r.file_state]] for r in records],
    )
    return 0


_FILE_STATES = {"ok": "ok", "missing": "MISSING", "changed": "CHANGED (add it again)",
                "touched": "modified (checked before use)", "remote": ""}


def cmd_info(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    record = ModelLibrary(store).get(args.model)
    if args.json:
        settings = Settings(store)
        n_ctx = choose_context(record, args.ctx, settings)
        estimate = memory_for(record, n_ctx, choose_parallel(record, n_ctx, settings))
        out.json({"model": record_dict(record), "memory": asdict(estimate)})
        return 0
    _print_info(out, record, Settings(store), args.ctx)
    return 0


def _print_info(out: Output, r: ModelRecord, settings: Settings, ctx: int | None) -> None:
    if r.is_remote:
        out.line(f"Number  {r.id}\nName    {r.name}\nServer  {r.endpoint}\nModel   {r.remote_model}\n"
                 f"Runs at most {r.metadata.get('concurrency', 4)} requests at once.")
        return
    n_ctx = choose_context(r, ctx, settings)
    parallel = choose_parallel(r, n_ctx, settings)
    est = memory_for(r, n_ctx, parallel)
    rows = [
        ("Number", r.id), ("Name", r.name), ("File", r.path),
        ("Architecture", r.architecture), ("Parameters", human_params(r.parameter_count)),
        ("Quantization", r.quantization), ("File size", human_bytes(r.size_bytes or 0)),
        ("Layers", r.n_layers), ("Trained context", r.context_length),
        ("Vocabulary", r.vocab_size), ("Chat template", "yes" if r.has_chat_template else "no"),
        ("SHA-256", r.sha256),
        (f"Memory at {n_ctx} ctx" + (f", {parallel} at once" if parallel > 1 else ""),
         f"{human_bytes(est.total_bytes)} "
         f"(weights {human_bytes(est.weights_bytes)}, KV cache {human_bytes(est.kv_cache_bytes)}, "
         f"working space {human_bytes(est.overhead_bytes)})"),
        ("GPU layers", f"{est.gpu_layers} of {est.n_layers}" if est.gpu_offload
         else "none (this build runs on the processor)"),
        ("Fits?", est.summary),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        out.line(f"{key.ljust(width)}  {'' if value is None else value}")


def cmd_discover(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    library = ModelLibrary(store)
    report = discover_models()
    known = {r.path for r in library.list()}
    added, failed = [], []
    if args.add:
        for found in report.found:
            try:
                res = library.add(found.path, name=found.name, source=f"discovered:{found.app}",
                                  progress=out.progress(f"Checking {found.name}"))
                added.append(res.record.id)
            except BadModelFile as exc:
                failed.append((found.path, exc.message))
    if args.json:
        out.json({"found": [asdict(f) | {"in_library": f.path in known} for f in report.found],
                  "folders_searched": report.folders_searched, "added": added,
                  "failed": [{"path": p, "message": m} for p, m in failed]})
        return 0
    if not report.found:
        out.line(messages.DISCOVERY_NONE)
        return 0
    out.table(["App", "Name", "Size", "In library", "Path"],
              [[f.app, f.name, human_bytes(f.size_bytes), "yes" if f.path in known else "no",
                f.path] for f in report.found])
    for path, message in failed:
        out.note(f"Skipped {path}: {message}")
    if added:
        out.line(f"\nAdded or confirmed {len(added)} model(s).")
    elif not args.add:
        out.line("\nAdd them all with: debop models discover --add")
    return 0


def cmd_remove(args: argparse.Namespace, out: Output) -> int:
    record = ModelLibrary(open_store(args.home)).remove(args.model)
    if args.json:
        out.json({"removed": record_dict(record)})
    else:
        out.line(f"Removed '{record.name}' from your library. The file is still at {record.path}.")
    return 0

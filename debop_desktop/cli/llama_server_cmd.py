"""`debop llama-server ARGS…`: llama-cpp-python's server, started with the app's safe CPU settings.

The stock `python -m llama_cpp.server` loads models with ggml's extra buffer types, which crash
on some AMX processors at the first request (SIGILL/SIGSEGV). This command applies the same
choice as the app's own worker (`core/cpu.py`) to the server's process and then hands every
remaining argument to llama-cpp-python's server unchanged.
"""

from __future__ import annotations

import argparse
import os
import sys

from debop_desktop.cli.output import Output
from debop_desktop.core import messages
from debop_desktop.core.cpu import SAFE_CPU_ENV, disable_extra_bufts_for_process, extra_bufts_default
from debop_desktop.core.errors import DebopError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("llama-server", help=messages.LLAMA_SERVER_HELP, add_help=False)
    # Every argument after the command belongs to the server: `main` hands over what argparse
    # did not recognise.
    p.set_defaults(handler=cmd_llama_server, server_args=[])


def cmd_llama_server(args: argparse.Namespace, out: Output) -> int:
    try:
        from llama_cpp.server.__main__ import main as server_main
    except ImportError as exc:
        raise DebopError(messages.LLAMA_SERVER_MISSING, repr(exc)) from exc
    if extra_bufts_default():
        if os.environ.get(SAFE_CPU_ENV, "").strip() == "0":
            out.note(messages.LLAMA_SERVER_FAST)
    else:
        disable_extra_bufts_for_process()
        why = "forced" if os.environ.get(SAFE_CPU_ENV, "").strip() == "1" else "amx"
        out.note(messages.LLAMA_SERVER_SAFE.format(why=messages.LLAMA_SERVER_SAFE_WHY[why]))
    sys.argv = ["debop llama-server", *args.server_args]
    server_main()
    return 0

"""`debop`: the headless front end on the same core as the desktop app."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from debop_desktop import __version__
from debop_desktop.cli import (
    apply_cmd,
    compare_cmd,
    datasets_cmd,
    generate_cmd,
    llama_server_cmd,
    models_cmd,
    optimize_cmd,
    runs_cmd,
)
from debop_desktop.cli.notes import core_warnings_as_notes
from debop_desktop.cli.output import Output, OutputClosed, stdout_closed
from debop_desktop.core import messages
from debop_desktop.core.errors import Cancelled, DebopError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="debop",
        description="DeBoP Desktop on the command line. Everything runs on this computer.",
    )
    parser.add_argument("--version", action="version", version=f"debop {__version__}")
    parser.add_argument("--home", metavar="DIR",
                        help="data folder (default: $DEBOP_HOME or your user data folder)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument("--debug", action="store_true", help="show technical details on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    models_cmd.register(sub)
    generate_cmd.register(sub)
    datasets_cmd.register(sub)
    optimize_cmd.register(sub)
    runs_cmd.register(sub)
    compare_cmd.register(sub)
    apply_cmd.register(sub)
    llama_server_cmd.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except OutputClosed:  # `debop … | head`: the reader has all it wanted
        return stdout_closed()


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.handler is not llama_server_cmd.cmd_llama_server:
        parser.parse_args(argv)  # the usual message and exit status for an unknown argument
    args.server_args = unknown
    out = Output(json_mode=args.json)
    debug = args.debug or bool(os.environ.get("DEBOP_DEBUG"))
    try:
        with core_warnings_as_notes(out):  # e.g. a stored setting that cannot be used, in one line
            return int(args.handler(args, out) or 0)
    except Cancelled:
        out.error(messages.GENERATION_CANCELLED)
        return 130
    except KeyboardInterrupt:
        out.error(messages.GENERATION_CANCELLED)
        return 130
    except DebopError as exc:
        out.error(exc.message, exc.details if debug else "")
        return 1
    except OutputClosed:
        raise
    except Exception as exc:  # never a traceback in a person's face unless asked for
        out.error(messages.UNEXPECTED_ERROR, traceback.format_exc() if debug else repr(exc))
        return 1
    finally:
        out.close()


if __name__ == "__main__":
    sys.exit(main())

"""Serve a run's shipped behavior to other programs on this computer (issue 23): an
OpenAI-compatible `/v1/chat/completions` and `/v1/models` on a loopback address only.

Off unless asked for (`debop serve`, or the switch in the app); nothing here runs, and no
socket is opened, on any other path."""

from debop_desktop.core.serve.app import make_app
from debop_desktop.core.serve.server import LocalServer, loopback_host

__all__ = ["LocalServer", "loopback_host", "make_app"]

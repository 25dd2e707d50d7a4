"""Listen on this computer only. The address is checked before any socket exists: a loopback
address (127.0.0.1, ::1, 'localhost') or nothing; the socket is bound here (a taken port is
said in words) and handed to uvicorn, which serves the app on it until `stop()`."""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError

DEFAULT_PORT = 8321


class NotLoopback(DebopError):
    """An address other computers could reach."""


def loopback_host(host: str) -> str:
    """The address to bind for `host`: itself when it is a loopback address ('localhost' is
    127.0.0.1, never looked up). Raises `NotLoopback` for anything else."""
    text = host.strip().strip("[]")
    if text.lower() == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(text).is_loopback:
            return text
    except ValueError:
        pass
    raise NotLoopback(msg.SERVE_LOOPBACK_ONLY.format(host=host))


class LocalServer:
    """uvicorn serving `app` on `host:port` (port 0: any free port) on a thread of its own."""

    def __init__(self, app: object, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        self.host = loopback_host(host)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, port))
        except OSError as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE:
                raise DebopError(msg.SERVE_PORT_TAKEN.format(port=port), str(exc)) from exc
            raise
        self.sock, self.port = sock, sock.getsockname()[1]
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", http="h11",
                                                    loop="asyncio"))
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    def run(self) -> None:
        """Serve on this thread until `stop()` (or Ctrl-C, which uvicorn turns into a stop)."""
        try:
            self.server.run(sockets=[self.sock])
        finally:
            self.sock.close()

    def start(self) -> LocalServer:
        """Serve on a daemon thread; returns once it accepts requests."""
        self.thread = threading.Thread(target=self.run, name="debop-serve", daemon=True)
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            self.thread.join(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(10)

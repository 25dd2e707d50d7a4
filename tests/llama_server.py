"""llama-cpp-python's server for the tests, started the way the README tells people to start it:
`debop llama-server …`, which applies the app's safe processor settings first (a stock
`python -m llama_cpp.server` dies with SIGILL on some AMX processors; conftest refuses it)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from debop_desktop.core.errors import ServerError, ServerUnavailable
from debop_desktop.core.llm.server import ServerBackend, ServerConfig


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def llama_server_command(model: Path, alias: str, port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "debop_desktop.cli", "llama-server", "--model", str(model),
            "--model_alias", alias, "--host", "127.0.0.1", "--port", str(port), "--n_threads", "1", *extra]


class LlamaServer:
    """One server process on 127.0.0.1; its output goes to `log` (read it with `log_text`)."""

    def __init__(self, model: Path, alias: str, n_ctx: int = 2048, env: dict[str, str] | None = None) -> None:
        self.model, self.alias, self.port, self.n_ctx, self.env = model, alias, free_port(), n_ctx, env
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = Path(tempfile.mkdtemp(prefix="llama-server-")) / "server.log"

    def start(self, timeout: float = 60) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                llama_server_command(self.model, self.alias, self.port, "--n_ctx", str(self.n_ctx)),
                stdout=log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the llama-cpp-python server exited ({self.proc.returncode}):\n{self.log_text()}")
            try:
                ServerBackend(ServerConfig(self.url, self.alias, retries=0, timeout=2)).list_models()
                return
            except (ServerUnavailable, ServerError):
                time.sleep(0.2)
        raise RuntimeError(f"the llama-cpp-python server did not start:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

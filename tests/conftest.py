"""Shared fixtures: a private data folder, the tiny GGUF, SmolLM2, and a network guard."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core.cpu import SAFE_CPU_ENV  # noqa: E402
from debop_desktop.core.tiny_model import write_quantized_copy, write_tiny_gguf  # noqa: E402

# Every process the tests start that loads a model uses the app's safe processor settings, on
# every machine: CI may run on an AMX processor, where ggml's extra buffer types crash (core/cpu.py).
# Child processes inherit it; tests/integration/test_cpu_features.py checks that it reaches them.
os.environ.setdefault(SAFE_CPU_ENV, "1")


class StockServerRefused(RuntimeError):
    pass


class _SafePopen(subprocess.Popen):
    """Refuse a stock llama-cpp-python server: it would load with extra buffer types on."""

    def __init__(self, args, *rest, **kwargs):
        words = shlex.split(os.fsdecode(args)) if isinstance(args, str | bytes) else [os.fsdecode(args)] \
            if isinstance(args, os.PathLike) else [str(w) for w in args]
        if any(w in ("llama_cpp.server", "llama_cpp.server.__main__") for w in words):
            raise StockServerRefused("start llama-cpp-python's server with `debop llama-server …` "
                                     "(tests/llama_server.py), which applies the safe processor settings")
        super().__init__(args, *rest, **kwargs)


subprocess.Popen = _SafePopen


class NetworkBlocked(RuntimeError):
    pass


class _GuardedSocket(socket.socket):
    def __init__(self, family: int = -1, *args, **kwargs):
        if family in (socket.AF_INET, socket.AF_INET6, -1):
            raise NetworkBlocked(f"test tried to open a network socket (family {family})")
        super().__init__(family, *args, **kwargs)


def _blocked(*_args, **_kwargs):
    raise NetworkBlocked("test tried to resolve or connect to a network address")


@pytest.fixture(autouse=True)
def network_guard(request, monkeypatch):
    """Fail any test whose code opens an IPv4/IPv6 socket or resolves a host name.

    The app's default path must never touch the network; tests that legitimately talk to
    a server on this machine are marked `allow_network`.
    """
    if request.node.get_closest_marker("allow_network"):
        yield
        return
    monkeypatch.setattr(socket, "socket", _GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", _blocked)
    monkeypatch.setattr(socket, "getaddrinfo", _blocked)
    yield


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A private data folder, also set as DEBOP_HOME for code that reads the environment."""
    folder = tmp_path / "debop-home"
    folder.mkdir()
    monkeypatch.setenv("DEBOP_HOME", str(folder))
    return folder


@pytest.fixture
def store(home):
    from debop_desktop.core.store import open_store

    s = open_store(home)
    yield s
    s.close()


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory) -> Path:
    return write_tiny_gguf(tmp_path_factory.mktemp("models") / "tiny.gguf")


@pytest.fixture(scope="session")
def tiny_gguf_q4_0(tiny_gguf, tmp_path_factory) -> Path:
    """The tiny model in Q4_0, whose weights ggml repacks when extra buffer types are allowed."""
    return write_quantized_copy(tiny_gguf, tmp_path_factory.mktemp("models") / "tiny-q4_0.gguf")


@pytest.fixture(scope="session")
def tiny_gguf_no_template(tmp_path_factory) -> Path:
    return write_tiny_gguf(tmp_path_factory.mktemp("models") / "tiny-base.gguf",
                           chat_template=None, name="Tiny Base")


@pytest.fixture(scope="session")
def smollm2() -> Path:
    path = smollm2_path()
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"SmolLM2 GGUF missing at {path}; `make test-models` should fetch it")
        pytest.skip("SmolLM2 GGUF not fetched (run `make test-models`)")
    return path


@pytest.fixture(scope="session")
def bbh_dir() -> Path:
    """BIG-Bench Hard from ../shared/data/bbh (never copied into the repo); skip if absent."""
    folder = Path(os.environ.get("DEBOP_BBH_DIR", Path(__file__).resolve().parents[2] / "shared/data/bbh"))
    if not (folder / "tasks").is_dir():
        pytest.skip(f"BIG-Bench Hard data not found at {folder}")
    return folder


@pytest.fixture(autouse=True)
def unload_shared_model():
    """Each test starts with no model loaded in this process's model host (core/llm/host.py)."""
    yield
    host_module = sys.modules.get("debop_desktop.core.llm.host")
    if host_module is not None and host_module._HOST is not None:
        host_module._HOST.unload()

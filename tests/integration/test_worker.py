"""The inference worker process, on the real tiny GGUF: it answers like the in-process engine,
and whatever kills or hangs it (a signal, an abort, a hostile chat template, a generation that
ignores cancel) comes back as a plain error while this process lives on."""

from __future__ import annotations

import os
import signal
import struct
import threading
import time
from pathlib import Path

import pytest

from debop_desktop.core.errors import Cancelled, DebopError, EngineCrashed, ModelLoadError, NoModelLoaded
from debop_desktop.core.llm.base import CancelToken, ChatMessage, GenerationParams
from debop_desktop.core.llm.host import LoadKey, ModelHost, ModelInUse, SwapNeeded
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.llm.worker_client import WorkerEngine
from debop_desktop.core.tiny_model import write_tiny_gguf

HELLO = [ChatMessage("user", "Say hello.")]


@pytest.fixture
def worker(tiny_gguf):
    engine = WorkerEngine(n_threads=1)
    engine.load(tiny_gguf)
    yield engine
    engine.unload()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); /proc says whether it is really gone
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_worker_answers_exactly_like_the_in_process_engine(worker, tiny_gguf):
    params = GenerationParams(max_tokens=24)
    local = LlamaEngine(n_threads=1)
    local.load(tiny_gguf)
    try:
        expected = local.chat(HELLO, params)
        expected_tokens = local.count_tokens("hello world, again")
    finally:
        local.unload()
    streamed: list[str] = []
    got = worker.chat(HELLO, params, on_text=streamed.append)
    assert got.text == expected.text and got.completion_tokens == expected.completion_tokens == 24
    assert "".join(streamed) == got.text and len(streamed) > 1
    assert worker.count_tokens("hello world, again") == expected_tokens
    assert worker.pid != os.getpid() and worker.stats()["rss_bytes"] > 0
    assert worker.counters().calls == 1


def test_killed_worker_is_a_plain_error_naming_the_model_then_it_comes_back(worker):
    first = worker.chat(HELLO, GenerationParams(max_tokens=8)).text
    os.kill(worker.pid, signal.SIGKILL)
    time.sleep(0.2)
    with pytest.raises(EngineCrashed) as crash:
        worker.chat(HELLO, GenerationParams(max_tokens=8))
    assert "Tiny Random Llama" in crash.value.message and "SIGKILL" in crash.value.message
    assert crash.value.model == "Tiny Random Llama"
    assert worker.chat(HELLO, GenerationParams(max_tokens=8)).text == first  # a new worker, same model


def test_an_abort_inside_the_worker_is_reported_as_a_crash(worker):
    with pytest.raises(EngineCrashed, match="SIGABRT"):
        worker._request({"op": "crash_for_test"})
    assert worker.chat(HELLO, GenerationParams(max_tokens=4)).completion_tokens == 4


def test_restart_safe_turns_off_extra_buffers_and_the_gpu(worker):
    loaded = worker.restart_safe()
    assert loaded.extra_bufts is False and loaded.n_gpu_layers == 0 and "safe settings" in loaded.note
    assert worker.chat(HELLO, GenerationParams(max_tokens=4)).completion_tokens == 4


def test_an_already_cancelled_request_is_never_sent(worker):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        worker.chat(HELLO, GenerationParams(max_tokens=4), cancel=token)
    assert worker.counters().calls == 0


def test_cancel_returns_within_a_second_even_when_the_worker_does_not_listen(worker):
    stuck_pid = worker.pid
    os.kill(stuck_pid, signal.SIGSTOP)  # like a worker stuck in native code: it reads nothing
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        worker.chat(HELLO, GenerationParams(max_tokens=100000), cancel=token)
    elapsed = time.monotonic() - started
    assert elapsed < 0.3 + 1.0 + 0.5, elapsed  # the cancel grace (1 s), and some slack
    assert not _alive(stuck_pid)
    assert worker.chat(HELLO, GenerationParams(max_tokens=4)).completion_tokens == 4  # a fresh worker


def test_cancel_of_a_live_generation_stops_it_within_a_token(worker):
    token = CancelToken()
    pid = worker.pid
    threading.Timer(0.2, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        worker.chat(HELLO, GenerationParams(max_tokens=200000), cancel=token)
    assert time.monotonic() - started < 1.0
    assert worker.pid == pid  # the worker listened: no restart was needed


def test_unload_ends_the_worker_and_returns_its_memory(tiny_gguf):
    engine = WorkerEngine(n_threads=1)
    engine.load(tiny_gguf)
    pid = engine.pid
    assert _alive(pid)
    engine.unload()
    assert engine.pid is None and not _alive(pid)
    with pytest.raises(NoModelLoaded):
        engine.chat(HELLO, GenerationParams(max_tokens=4))


def _with_template(tmp_path: Path, template: str) -> Path:
    return write_tiny_gguf(tmp_path / "hostile.gguf", chat_template=template)


@pytest.mark.parametrize("template", [
    "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
    "{{ 'x' * 100000000 }}",
    "{% for i in range(100000) %}{{ 'x' * 90000 }}{% endfor %}",  # 9 GB of prompt, bit by bit
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",  # time, no output
])
def test_hostile_chat_templates_give_a_message_not_a_hang(tmp_path, template):
    engine = WorkerEngine(n_threads=1)
    engine.load(_with_template(tmp_path, template))
    try:
        started = time.monotonic()
        with pytest.raises(DebopError) as err:
            engine.chat(HELLO, GenerationParams(max_tokens=4))
        assert time.monotonic() - started < 15
        assert "chat template" in err.value.message
    finally:
        engine.unload()


def test_a_chat_template_with_a_syntax_error_is_named_as_such(tmp_path):
    with pytest.raises(ModelLoadError, match="chat template"):
        WorkerEngine(n_threads=1).load(_with_template(tmp_path, "{% for m in messages %}{{ m.content "))


def test_absurd_layer_count_is_a_message_and_this_process_survives(tmp_path):
    path = write_tiny_gguf(tmp_path / "layers.gguf")
    data = bytearray(path.read_bytes())
    key = b"llama.block_count"
    at = data.index(key) + len(key)
    assert struct.unpack_from("<I", data, at)[0] == 4  # GGUF type uint32
    struct.pack_into("<I", data, at + 4, 2**32 - 1)
    path.write_bytes(bytes(data))
    with pytest.raises(ModelLoadError) as err:
        WorkerEngine(n_threads=1).load(path)
    assert "could not be loaded" in err.value.message


def _key(path: Path, **changes) -> LoadKey:
    base = dict(path=str(path), fingerprint="", n_ctx=512, n_gpu_layers=0, n_threads=1, extra_bufts=None)
    return LoadKey(**(base | changes))


def test_one_owner_shares_the_model_and_never_loads_a_second_copy(tmp_path, tiny_gguf):
    other = write_tiny_gguf(tmp_path / "other.gguf", seed=3, name="Other Tiny")
    host = ModelHost()
    try:
        run_engine, _ = host.acquire(_key(tiny_gguf), "Tiny", user="run")
        hello_engine, _ = host.acquire(_key(tiny_gguf), "Tiny", user="hello")
        assert hello_engine is run_engine and run_engine.pid is not None
        host.release("hello")
        with pytest.raises(ModelInUse, match="optimization run"):
            host.acquire(_key(other), "Other Tiny", user="hello")
        host.release("run")
        with pytest.raises(SwapNeeded, match="Unload it"):
            host.acquire(_key(other), "Other Tiny", user="hello", swap=False)
        old_pid = run_engine.pid
        swapped, loaded = host.acquire(_key(other), "Other Tiny", user="hello")
        assert loaded.name == "Other Tiny" and swapped.pid != old_pid and not _alive(old_pid)
        assert host.loaded_name == "Other Tiny" and host.holds(str(other))
    finally:
        host.unload()
    assert host.loaded_name is None

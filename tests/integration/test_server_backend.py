"""The OpenAI-compatible backend against a real llama-cpp-python server on 127.0.0.1.

These are the only tests allowed to open sockets, and only to this machine's loopback.
"""

import http.server
import json
import threading
import time

import pytest
from llama_server import LlamaServer, free_port
from run_helpers import drain

from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.errors import Cancelled, ContextOverflow, ServerError, ServerUnavailable
from debop_desktop.core.llm.base import CancelToken, ChatMessage, GenerationParams
from debop_desktop.core.llm.server import ServerBackend, ServerConfig
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.run import run_optimization

pytestmark = pytest.mark.allow_network
Q = [ChatMessage("user", "What is 2 + 3?")]


@pytest.fixture(scope="module")
def tiny_server(tiny_gguf):
    server = LlamaServer(tiny_gguf, "tiny")
    server.start()
    yield server
    server.stop()


def backend(server, **kw) -> ServerBackend:
    return ServerBackend(ServerConfig(server.url, "tiny", **kw))


def test_chat_completion_with_token_counts(tiny_server):
    out = backend(tiny_server).chat(Q, GenerationParams(max_tokens=8))
    assert out.completion_tokens == 8 and out.prompt_tokens > 5 and out.seconds > 0 and out.finish_reason == "length"
    again = backend(tiny_server).chat(Q, GenerationParams(max_tokens=8))
    assert again.text == out.text  # greedy: the same answer


def test_models_are_listed_and_a_wrong_name_is_a_plain_error(tiny_server):
    assert backend(tiny_server).check() == ["tiny"]
    with pytest.raises(ServerError, match="has no model named 'tinyy'"):
        ServerBackend(ServerConfig(tiny_server.url, "tinyy")).check()


def test_prompt_too_long_for_the_server_context(tiny_server):
    with pytest.raises(ContextOverflow):
        backend(tiny_server).chat([ChatMessage("user", "word " * 3000)], GenerationParams(max_tokens=8))


def test_unreachable_port_after_retries():
    dead = ServerBackend(ServerConfig(f"http://127.0.0.1:{free_port()}", "x", retries=2, backoff=0.01))
    with pytest.raises(ServerUnavailable, match="is not answering"):
        dead.chat(Q, GenerationParams())


class _Slow(http.server.BaseHTTPRequestHandler):
    delay = 3.0

    def do_POST(self):  # noqa: N802
        time.sleep(self.delay)
        body = json.dumps({"choices": [{"message": {"content": "late"}, "finish_reason": "stop"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the client hung up on purpose
        pass


@pytest.fixture
def slow_server():
    server = _QuietServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_slow_responses_hit_the_timeout(slow_server):
    slow = ServerBackend(ServerConfig(slow_server, "x", timeout=0.5, retries=0))
    with pytest.raises(ServerUnavailable, match="did not answer within 0.5 seconds"):
        slow.chat(Q, GenerationParams())


def test_cancel_stops_an_in_flight_request(slow_server):
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        ServerBackend(ServerConfig(slow_server, "x", timeout=30)).chat(Q, GenerationParams(), token)
    assert time.monotonic() - started < _Slow.delay  # it did not wait for the server's answer


def test_addresses_are_classified_without_looking_them_up():
    from debop_desktop.core.llm.server import address_kind, privacy_warning

    assert address_kind("http://127.0.0.1:8080") == address_kind("http://localhost:11434") == "this computer"
    assert address_kind("http://192.168.1.20:8000") == address_kind("http://gpu-box.local:8000") == "private network"
    assert address_kind("https://api.example.com") == address_kind("http://8.8.8.8") == "elsewhere"
    assert privacy_warning("http://127.0.0.1:1") is None and "not on this computer" in privacy_warning("http://1.2.3.4")


def _run(store, model_backend, dataset_id, cfg):
    return drain(run_optimization(store, model_backend, dataset_id, cfg, tokens_per_second=100.0,
                                  backend_name="openai-compatible", endpoint="test"))


def _sample_task(store):
    from debop_desktop.core.datasets.repository import NewExample
    from debop_desktop.core.samples import SAMPLE_TASKS

    pairs = SAMPLE_TASKS["arithmetic"].generate(45, seed=2, difficulty=2)
    ex = [NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(pairs)]
    return DatasetRepository(store).create(name="sums", examples=ex, instruction="Add.", scorer="number").id


CFG = OptimizerConfig(n_plans=2, dev_limit=10, n_seeds=1, max_iterations=2, test_limit=6, max_tokens=24,
                      plan_max_tokens=32, seed=1, early_stop_probability=0.0)


def test_concurrent_evaluations_match_sequential_ones(store, tiny_server):
    d = _sample_task(store)
    _, seq = _run(store, backend(tiny_server, max_concurrency=1), d, CFG)
    _, par = _run(store, backend(tiny_server, max_concurrency=4), d, CFG)
    assert seq.status == par.status == "finished"

    def outputs(run_id):
        ids = [r[0] for r in store.execute("SELECT id FROM nodes WHERE run_id = ? ORDER BY id", (run_id,))]
        position = {f"node:{node_id}": f"node#{i}" for i, node_id in enumerate(ids)}  # ids differ between runs
        rows = store.execute("SELECT subject, example_id, output, correct FROM evaluations WHERE run_id = ?",
                             (run_id,)).fetchall()
        return sorted((position.get(s, s), e, o, c) for s, e, o, c in rows)

    assert outputs(seq.run_id) == outputs(par.run_id) and len(outputs(seq.run_id)) > 20


def test_server_killed_mid_run_pauses_then_finishes(store, tiny_gguf):
    server = LlamaServer(tiny_gguf, "tiny")
    server.start()
    d = _sample_task(store)
    gen = run_optimization(store, backend(server, max_concurrency=2, retries=1, backoff=0.05), d, CFG,
                           tokens_per_second=100.0)
    events, killed, restarted = [], False, False
    try:
        while True:
            event = next(gen)
            events.append(event)
            if not killed and event.kind == "Progress" and event.done >= 12:
                server.stop()
                killed = True
            if killed and not restarted and event.kind == "Warning" and "not answering" in event.message:
                server.start()  # same port: the run picks up where it paused
                restarted = True
    except StopIteration as stop:
        result = stop.value
    finally:
        server.stop()
    assert killed and restarted and result.status == "finished"
    dup = store.execute("SELECT COUNT(*) - COUNT(DISTINCT subject || ':' || example_id) FROM evaluations "
                        "WHERE run_id = ?", (result.run_id,)).fetchone()[0]
    assert dup == 0


def test_cli_add_server_and_optimize_through_it(capsys, home, tiny_server):
    from debop_desktop.cli import main

    assert main(["--home", str(home), "models", "add-server", tiny_server.url, "--model", "tiny"]) == 0
    out = capsys.readouterr().out
    assert "The server offers: tiny" in out
    assert main(["--home", str(home), "models", "add-server", tiny_server.url, "--model", "nope"]) == 1
    assert "has no model named 'nope'" in capsys.readouterr().err
    assert main(["--home", str(home), "datasets", "sample", "arithmetic", "--n", "45"]) == 0
    capsys.readouterr()
    code = main(["--home", str(home), "optimize", "--model", "1", "--dataset", "1", "--preset", "quick",
                 "--iterations", "1", "--dev-limit", "6", "--test-limit", "6"])
    out, err = capsys.readouterr()
    assert code == 0 and f"Using the model server at {tiny_server.url}" in err and "Held-out test split" in out
    assert main(["--home", str(home), "runs", "show", "1"]) == 0
    assert f"model via server {tiny_server.url}" in capsys.readouterr().out
    assert main(["--home", str(home), "export", "1", "--format", "card"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["run"]["backend"] == "openai-compatible" and card["run"]["endpoint"] == tiny_server.url


@pytest.mark.smollm2
def test_smollm2_through_the_server(smollm2):
    server = LlamaServer(smollm2, "smollm2")
    server.start()
    try:
        out = ServerBackend(ServerConfig(server.url, "smollm2")).chat(Q, GenerationParams(max_tokens=48))
    finally:
        server.stop()
    assert "5" in out.text

"""Issue 23: the shipped behavior served to other programs on this computer, answered as `ask`
answers, through the `openai` client; nothing but a loopback address is ever bound."""

import pytest
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, make_dataset

from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.serve import LocalServer, loopback_host
from debop_desktop.core.serve.server import NotLoopback
from debop_desktop.core.serve.session import serving


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.org", "", "127.0.0.1.nip.io"])
def test_anything_but_loopback_is_refused_before_a_socket_exists(host):
    with pytest.raises(NotLoopback, match="only to programs on this computer"):
        LocalServer(object(), host, 0)  # the network guard would fail the test on a socket


def test_loopback_addresses_are_taken_as_they_are():
    assert [loopback_host(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2")] == \
        ["127.0.0.1", "127.0.0.1", "::1", "::1", "127.0.0.2"]


@pytest.mark.allow_network
def test_an_openai_client_gets_the_shipped_behaviors_answer(store):
    openai = pytest.importorskip("openai")
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    tuned = load_tuned(store, result.run_id)
    backend, _ = simulated_backend(answers)
    server, words = serving(store, tuned, backend, "127.0.0.1", 0)
    assert f"http://127.0.0.1:{server.port}/v1" in words and server.sock.getsockname()[0] == "127.0.0.1"
    server.start()
    try:
        client = openai.OpenAI(base_url=server.url, api_key="not-needed", max_retries=0)
        assert [m.id for m in client.models.list()] == [f"debop-run-{result.run_id}"]
        for question in ("What is 3 + 4?", "What is 8 + 1?"):
            reply = client.chat.completions.create(model=f"debop-run-{result.run_id}", messages=[
                {"role": "system", "content": "ignored: the behavior brings its own"},
                {"role": "user", "content": question}])
            expected = tuned.answer(simulated_backend(answers)[0], question).text
            assert reply.choices[0].message.content == expected
        stream = client.chat.completions.create(model="x", stream=True,
                                                messages=[{"role": "user", "content": "What is 3 + 4?"}])
        assert "".join(c.choices[0].delta.content or "" for c in stream) == \
            tuned.answer(simulated_backend(answers)[0], "What is 3 + 4?").text
    finally:
        server.stop()
    assert not server.thread.is_alive()

"""Issue 23: `debop serve RUN` on the tiny GGUF answers an OpenAI client on 127.0.0.1 with what
`debop ask` answers; `--host` with anything but a loopback address is refused in words."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_cli_apply import debop

EXE = str(Path(sys.executable).parent / "debop")


@pytest.fixture
def tiny_run(tmp_path, home, capsys):
    from debop_desktop.core.tiny_model import write_tiny_gguf

    model = write_tiny_gguf(tmp_path / "tiny.gguf", seed=1)
    for args in (["models", "add", str(model)], ["datasets", "sample", "arithmetic", "--n", "30", "--seed", "1"],
                 ["optimize", "--model", "1", "--dataset", "1", "--iterations", "1", "--dev-limit", "4",
                  "--test-limit", "4", "--threads", "1"]):
        assert debop(capsys, home, *args)[0] == 0
    return 1


def test_a_host_other_computers_could_reach_is_refused(capsys, home, tiny_run):
    for host in ("0.0.0.0", "192.168.0.7", "::"):
        code, _, err = debop(capsys, home, "serve", "1", "--host", host)
        assert code == 1 and "only to programs on this computer" in err and f"'{host}'" in err


@pytest.mark.allow_network
def test_serve_answers_an_openai_client_as_ask_does(capsys, home, tiny_run):
    openai = pytest.importorskip("openai")
    question = "What is 12 plus 30?"
    code, out, _ = debop(capsys, home, "--json", "ask", "1", question, "--threads", "1")
    asked = json.loads(out)["output"]
    child = subprocess.Popen([EXE, "--home", str(home), "serve", "1", "--port", "0", "--threads", "1"],
                             stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        line, deadline = "", time.monotonic() + 60
        while "Serving run 1" not in line and time.monotonic() < deadline:
            line = child.stderr.readline()
            assert line or child.poll() is None, "the server ended before listening"
        url = re.search(r"http://127\.0\.0\.1:\d+/v1", line).group(0)
        client = openai.OpenAI(base_url=url, api_key="none", max_retries=0, timeout=60)
        reply = client.chat.completions.create(model="debop-run-1", messages=[{"role": "user", "content": question}])
        assert reply.choices[0].message.content == asked and reply.model == "debop-run-1"
    finally:
        os.killpg(child.pid, signal.SIGINT)  # Ctrl-C: uvicorn stops, the model is handed back
        code = child.wait(30)
    assert code == 0

"""Server models get the answer's JSON schema as response_format, and free text from a server
that refuses it (core/llm/server.py). Loopback only."""

import http.server
import json
import threading

import pytest

from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.llm.server import ServerBackend, ServerConfig

pytestmark = pytest.mark.allow_network
SCHEMA = json.dumps({"type": "object", "properties": {"Answer": {"type": "string"}}, "required": ["Answer"]})


class _Recording(http.server.BaseHTTPRequestHandler):
    bodies: list = []
    refuse_schema = 0  # the HTTP status a refusal comes with; 0 accepts the schema

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).bodies.append(body)
        if "response_format" in body and self.refuse_schema:
            status, reply = self.refuse_schema, {"error": {"message": "response_format is not supported"}}
        else:
            status, reply = 200, {"choices": [{"message": {"content": '{"Answer": "5"}'}, "finish_reason": "stop"}],
                                  "usage": {"prompt_tokens": 3, "completion_tokens": 4}}
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("refuse", [0, 400, 500])  # llama-cpp-python's server refuses with 500
def test_schema_is_sent_and_a_refusal_falls_back_to_free_text(refuse):
    _Recording.bodies, _Recording.refuse_schema = [], refuse
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recording)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        backend = ServerBackend(ServerConfig(f"http://127.0.0.1:{server.server_address[1]}", "m", retries=1,
                                             backoff=0.01))
        params = GenerationParams(max_tokens=16, json_schema=SCHEMA)
        for _ in range(2):
            assert backend.chat([ChatMessage("user", "2 + 3?")], params).text == '{"Answer": "5"}'
    finally:
        server.shutdown()
    sent = ["response_format" in b for b in _Recording.bodies]
    assert _Recording.bodies[0]["response_format"]["json_schema"]["schema"] == json.loads(SCHEMA)
    tries = {0: [], 400: [True], 500: [True, True]}[refuse]  # a 500 is retried before giving up on the schema
    assert sent == ([True, True] if not refuse else tries + [False, False])  # refused once, then never sent

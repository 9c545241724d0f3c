"""The load client gives up on a job whose end never comes, though its event stream stays
alive (a real HTTP server sending the queue's heartbeats and nothing else)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deploy.load import GradioHTTP


class _Heartbeats(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _json(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.startswith("/config"):
            self._json({"components": [], "dependencies": [
                {"id": 0, "api_name": "chat", "inputs": [], "outputs": []}]})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for _ in range(200):  # a job never finished: heartbeats only, for up to 20 s
                self.wfile.write(b'data: {"msg": "heartbeat"}\n\n')
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._json({"event_id": "e1"})


@pytest.fixture()
def url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Heartbeats)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_a_job_that_never_ends_fails_within_the_deadline(url: str) -> None:
    client = GradioHTTP(url, None, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="no answer within 1 s"):
        client.predict("q?", api_name="/chat")
    assert time.monotonic() - started < 5
    client.close()

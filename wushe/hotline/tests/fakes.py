"""A small fake 12345 platform for the tests: a real HTTP server on 127.0.0.1 that receives our
status-update pushes (and checks their signature), and signs the orders it sends us.

    with FakePlatform(secret) as platform:
        settings.WUSHE_HOTLINE_PUSH_URL = platform.url
        platform.script = ["hang"]          # the first push times out, then "ok"
        platform.send_order(client, order)  # a signed POST to /api/v1/hotline/orders
        ...
        assert platform.processed == {update_id: 1}

Behaviours (``script`` consumed one per push, then ``default``): ``"ok"`` answers 200;
``"hang"`` reads the whole push (the platform has it) and never answers within ``hang_seconds``;
``"503"`` … answers that status without keeping the push. Like a real platform it dedupes on
``update_id``: ``received`` holds every push it read, ``processed`` counts the updates it acted
on (each id once however often it arrives), ``bad_signatures`` the pushes it refused.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import Client

from wushe.hotline import signing

ORDERS_PATH = "/api/v1/hotline/orders"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_POST(self) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ok = signing.signature(fake.secret, self.headers.get(signing.TIMESTAMP_HEADER) or "",
                               "POST", self.path, raw) == self.headers.get(signing.SIGNATURE_HEADER)
        with fake.lock:
            behaviour = fake.script.pop(0) if fake.script else fake.default
            if not ok:
                fake.bad_signatures += 1
                behaviour = "401"
        if behaviour.isdigit():
            self._answer(int(behaviour), {"code": int(behaviour)})
            return
        body = json.loads(raw)
        with fake.lock:
            fake.received.append(body)
            uid = body["update_id"]
            fake.processed[uid] = 1  # acted on once: a repeat of the id changes nothing
        if behaviour == "hang":
            time.sleep(fake.hang_seconds)
            return  # the connection closes without an answer
        self._answer(200, {"code": 0, "msg": "ok"})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakePlatform


class FakePlatform:
    def __init__(self, secret: str, *, hang_seconds: float = 2.0) -> None:
        self.secret = secret
        self.hang_seconds = hang_seconds
        self.script: list[str] = []
        self.default = "ok"
        self.received: list[dict[str, Any]] = []
        self.processed: dict[str, int] = {}
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/12345/updates"

    def __enter__(self) -> FakePlatform:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def ids_received(self) -> list[str]:
        with self.lock:
            return [b["update_id"] for b in self.received]

    def send_order(self, client: Client, order: dict[str, Any] | str, *,
                   secret: str | None = None) -> Any:
        """POST one order to our API, signed as the platform signs it."""
        body = (order if isinstance(order, str) else json.dumps(order, ensure_ascii=False)).encode()
        ts = str(int(time.time()))
        sig = signing.signature(secret or self.secret, ts, "POST", ORDERS_PATH, body)
        return client.post(ORDERS_PATH, body, content_type="application/json",
                           headers={signing.TIMESTAMP_HEADER: ts, signing.SIGNATURE_HEADER: sig})

    def pull(self, client: Client, query: str = "") -> Any:
        path = "/api/v1/hotline/updates" + (f"?{query}" if query else "")
        ts = str(int(time.time()))
        sig = signing.signature(self.secret, ts, "GET", path, b"")
        return client.get(path, headers={signing.TIMESTAMP_HEADER: ts,
                                         signing.SIGNATURE_HEADER: sig})

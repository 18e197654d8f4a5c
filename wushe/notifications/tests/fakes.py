"""Small real HTTP servers on 127.0.0.1 standing in for the government SMS gateway and a work-chat
robot, for the tests (and any browser test that wants a gateway).

    with FakeSmsGateway() as gw:
        settings.WUSHE_SMS_BACKEND = "http"; settings.WUSHE_SMS_URL = gw.url
        gw.script = ["503", "503"]   # then "ok" for every later request
        ...
        assert len(gw.received) == 1

``script`` is consumed one behaviour per request; when it is empty, ``default`` applies:

- ``"ok"``: answer 200 with the platform's success body;
- ``"slow"``: wait ``slow_seconds`` (less than the client's timeout), then answer ok;
- ``"hang"``: read the whole request (it counts as received), then never answer within
  ``hang_seconds`` (the client's read times out after the gateway accepted);
- ``"503"``, ``"429"``, ``"400"`` …: answer that HTTP status;
- ``"code:<x>"``: 200 with the error code x in the answer (SMS ``code``, chat ``errcode``).

``received`` holds each request's parsed JSON body, in order, only for requests that were
*accepted* (answered ok, slowly or not at all): what a real gateway would have sent on to a
phone. ``requests`` holds every request, accepted or not.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"_raw": raw.decode(errors="replace")}
        fake = self.server.fake
        with fake.lock:
            behaviour = fake.script.pop(0) if fake.script else fake.default
            fake.requests.append({"path": self.path, "body": body, "behaviour": behaviour})
        if behaviour == "hang":
            with fake.lock:
                fake.received.append(body)
            time.sleep(fake.hang_seconds)
            return  # the connection closes without an answer
        if behaviour.isdigit():
            self._answer(int(behaviour), {"code": int(behaviour), "msg": "error"})
            return
        if behaviour.startswith("code:"):
            code: Any = behaviour.split(":", 1)[1]
            code = int(code) if code.lstrip("-").isdigit() else code
            self._answer(200, fake.error_body(code))
            return
        if behaviour == "slow":
            time.sleep(fake.slow_seconds)
        with fake.lock:
            fake.received.append(body)
            number = len(fake.received)
        self._answer(200, fake.ok_body(number))

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeServer


class FakeServer:
    """A fake HTTP endpoint on 127.0.0.1 (an ephemeral port), served from a thread."""

    path = "/"

    def __init__(self, *, default: str = "ok", slow_seconds: float = 0.3,
                 hang_seconds: float = 3.0) -> None:
        self.default = default
        self.script: list[str] = []
        self.slow_seconds = slow_seconds
        self.hang_seconds = hang_seconds
        self.received: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def ok_body(self, number: int) -> dict[str, Any]:
        return {"code": 0, "msg": "ok", "msgId": f"gw-{number}"}

    def error_body(self, code: Any) -> dict[str, Any]:
        return {"code": code, "msg": "refused"}

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.path}"

    def texts(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> FakeServer:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class FakeSmsGateway(FakeServer):
    """The SMS platform: the default WUSHE_SMS_BODY's fields (mobiles, content, msgId)."""

    path = "/sms/send"

    def texts(self) -> list[str]:
        return [str(body.get("content", "")) for body in self.received]

    def phones(self) -> list[str]:
        return [m for body in self.received for m in body.get("mobiles", [])]


class FakeChatWebhook(FakeServer):
    """A WeChat Work / DingTalk group robot: {"errcode": 0} is success."""

    path = "/robot/send?key=test-robot-key"

    def ok_body(self, number: int) -> dict[str, Any]:
        return {"errcode": 0, "errmsg": "ok"}

    def error_body(self, code: Any) -> dict[str, Any]:
        return {"errcode": code, "errmsg": "error"}

    def texts(self) -> list[str]:
        return [str(body.get("text", {}).get("content", "")) for body in self.received]

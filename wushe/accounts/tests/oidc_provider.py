"""A small real OpenID Connect provider on 127.0.0.1 for the sign-on tests.

Discovery, a JWKS with a generated RSA key, an authorization endpoint that redirects back with a
code at once (the person "signed in"), and a token endpoint that checks the code (once), the PKCE
verifier, the redirect URI and the client's secret, then answers an ID token signed by its key.
A test bends it through attributes: ``subject``, ``claims`` (merged into the ID token),
``drop`` (claims left out), ``sign_key`` (another key: a forgery), ``token_delay`` (a slow provider).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "wushe-test"
CLIENT_SECRET = "provider-secret"


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.sign_key = self.key
        self.subject = "gov-0001"
        self.claims: dict[str, Any] = {}
        self.drop: set[str] = set()  # claims left out of the ID token
        self.token_delay = 0.0
        self.codes: dict[str, dict[str, str]] = {}
        self.token_requests = 0
        self.jwks_requests = 0
        self.raw_id_token = ""  # answered instead of a signed token when set
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict[str, Any]:
        return {"issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.issuer, "sub": self.subject, "aud": CLIENT_ID,
                                  "iat": now, "exp": now + 300, "nonce": nonce}
        claims.update(self.claims)
        for name in self.drop:
            claims.pop(name, None)
        return jwt.encode({"alg": "RS256", "kid": self.sign_key.kid}, claims, self.sign_key)


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _json(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif url.path == "/jwks":
                provider.jwks_requests += 1
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                if (query.get("response_type") != "code" or query.get("client_id") != CLIENT_ID
                        or query.get("code_challenge_method") != "S256"
                        or "openid" not in query.get("scope", "").split()):
                    self._json(400, {"error": "invalid_request"})
                    return
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {"nonce": query["nonce"],
                                        "challenge": query["code_challenge"],
                                        "redirect_uri": query["redirect_uri"]}
                self.send_response(302)
                self.send_header("Location", query["redirect_uri"] + "?" + urlencode(
                    {"code": code, "state": query["state"]}))
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            if urlparse(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            provider.token_requests += 1
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if provider.token_delay:
                time.sleep(provider.token_delay)
            expected = "Basic " + base64.b64encode(
                f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            grant = provider.codes.pop(form.get("code", ""), None)  # a code works once
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(
                hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if self.headers.get("Authorization") != expected:
                self._json(401, {"error": "invalid_client"})
            elif (grant is None or form.get("grant_type") != "authorization_code"
                  or grant["challenge"] != challenge
                  or grant["redirect_uri"] != form.get("redirect_uri")):
                self._json(400, {"error": "invalid_grant"})
            else:
                self._json(200, {"access_token": secrets.token_urlsafe(16),
                                 "token_type": "Bearer", "expires_in": 300,
                                 "id_token": provider.raw_id_token
                                 or provider.id_token(grant["nonce"])})

    return Handler

"""A real HTTP receiver on 127.0.0.1 and helpers to subscribe it."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cxportal.webhooks.services import webhook_subscription_create


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    # Status codes to answer, in order; once used up, answer ``default_status``.
    statuses: list[int] = field(default_factory=list)
    default_status: int = 204
    extra_headers: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def receiver():
    """An HTTP server thread on 127.0.0.1 that records every request and answers the configured statuses."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server interface
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(Received(path=self.path, headers=dict(self.headers.items()), body=body))
            status = state.statuses.pop(0) if state.statuses else state.default_status
            self.send_response(status)
            for name, value in state.extra_headers.items():
                self.send_header(name, value)
            reply = b"" if 200 <= status < 300 else b"receiver says no"
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/cx?source=test"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def allow_private(settings):
    """Loopback targets are allowed, as an operator would set WEBHOOKS_ALLOW_PRIVATE_TARGETS=true."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    return settings


@pytest.fixture
def subscribe(db):
    """``subscribe(url, events=[...])``: an active subscription."""

    def make(url: str, events: list[str] | None = None, **kwargs):
        return webhook_subscription_create(
            name=kwargs.pop("name", "Receiver"), url=url, events=events or ["response.created"], **kwargs
        )

    return make


# A public IP literal: subscriptions to it pass the SSRF guard without any DNS lookup. Tests that use it never
# execute the on-commit attempt, so nothing is sent there.
PUBLIC_URL = "https://93.184.215.14/cx-hook"

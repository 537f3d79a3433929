"""A local SMTP server that accepts every message and remembers it (aiosmtpd, in a thread)."""

import asyncio
import email
import email.policy
import re
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

TOKEN_RE = re.compile(r"/s/i/([A-Za-z0-9_-]+)/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    recipients: list[str]
    subject: str
    body: str

    @property
    def token(self) -> str | None:
        match = TOKEN_RE.search(self.body)
        return match.group(1) if match else None


@dataclass
class SinkHandler:
    """Records each message when its data has arrived, then waits ``delay`` seconds before saying 250.

    The delay widens the window in which the server has accepted a message the client has not yet heard
    about — the window in which a killed worker leaves an invitation "sending".
    """

    delay: float = 0.0
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        # Invitations are multipart/alternative (text and HTML): the text part is what tests read.
        part = message.get_body(preferencelist=("plain",))
        payload = part.get_payload(decode=True) if part is not None else b""
        received = Received(
            recipients=list(envelope.rcpt_tos),
            subject=str(message.get("Subject", "")),
            body=(payload or b"").decode(part.get_content_charset() or "utf-8" if part else "utf-8", "replace"),
        )
        with self.lock:
            self.messages.append(received)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted"

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.messages)

    def recipient_count(self) -> int:
        with self.lock:
            return sum(len(m.recipients) for m in self.messages)

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


class SmtpSink:
    """``with SmtpSink() as sink: ... sink.url`` — an SMTP server on 127.0.0.1 and a free port."""

    def __init__(self, *, delay: float = 0.0):
        self.handler = SinkHandler(delay=delay)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

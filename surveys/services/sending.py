"""Rendering invitation e-mails ahead of the sender, so the sender never waits for a template.

``invitations_send`` (surveys.services.distribution) sends a chunk one message at a time and marks each
sent before the next (the duplicate bound). Most of its time is waiting: for the mail server's reply and
for the database's commit. ``RenderAhead`` uses that time: a thread renders the next messages (templates,
MIME, the bytes on the wire for the SMTP backend) while the sender waits, at most ``AHEAD`` of them. The
thread never touches the database (the invitations come loaded with their survey and customer) and sends
nothing: what is sent and when it is marked sent stays with the sender.
"""

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address

AHEAD = 16
_DONE = object()


@dataclass(frozen=True)
class Prepared:
    """One message ready to go: the EmailMessage, and for the SMTP backend its envelope and bytes."""

    message: EmailMessage
    sender: str = ""
    recipients: tuple[str, ...] = ()
    payload: bytes = b""


def wire_ready(connection) -> bool:
    """Whether messages can be handed to this connection as bytes (Django's SMTP backend)."""
    return isinstance(connection, SmtpBackend)


def prepare(message: EmailMessage, *, wire: bool) -> Prepared:
    """As Django's SMTP backend does it in ``_send``: sanitised addresses and the message with CRLF line ends."""
    if not wire:
        return Prepared(message=message)
    encoding = message.encoding or settings.DEFAULT_CHARSET
    return Prepared(
        message=message,
        sender=sanitize_address(message.from_email, encoding),
        recipients=tuple(sanitize_address(addr, encoding) for addr in message.recipients()),
        payload=message.message().as_bytes(linesep="\r\n"),
    )


def send_prepared(connection, prepared: Prepared) -> None:
    """Send one message over an open connection; raises what the backend raises (smtplib errors, OSError)."""
    # Open it ourselves (a no-op once open): a backend that opened it would close it after each send.
    connection.open()
    if prepared.payload:
        if not prepared.recipients:
            return  # nothing to send, as Django's backend does it
        connection.connection.sendmail(prepared.sender, list(prepared.recipients), prepared.payload)
    else:
        connection.send_messages([prepared.message])


class RenderAhead:
    """``for key, prepared in RenderAhead(keys, render, wire=…)``: the messages in order, rendered by a thread.

    ``render(key)`` returns the EmailMessage of ``key``. An error while rendering is raised by the
    iteration at that key. ``close()`` (or leaving a ``with`` block) stops the thread early.
    """

    def __init__(self, keys: list, render: Callable[[object], EmailMessage], *, wire: bool, ahead: int = AHEAD):
        self._keys = list(keys)
        self._render = render
        self._wire = wire
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, ahead))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cxportal-render-ahead", daemon=True)
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        for key in self._keys:
            if self._stop.is_set():
                return
            try:
                item = (key, prepare(self._render(key), wire=self._wire), None)
            except Exception as exc:  # noqa: BLE001 - handed to the sender, which raises it in its own thread
                item = (key, None, exc)
            if not self._put(item):
                return
        self._put(_DONE)

    def __iter__(self) -> Iterator[tuple[object, Prepared]]:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            key, prepared, error = item
            if error is not None:
                raise error
            yield key, prepared

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def __enter__(self) -> "RenderAhead":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

"""Rendering invitation e-mails ahead of the sender, so the sender never waits for a template.

``invitations_send`` (surveys.services.distribution) sends a chunk one message at a time and marks each
sent before the next (the duplicate bound). Most of its time is waiting: for the mail server's reply and
for the database's commit. ``RenderAhead`` uses that time: a thread renders the next messages (templates,
MIME, the bytes on the wire for the SMTP backend) while the sender waits, at most ``AHEAD`` of them. The
thread never touches the database (the invitations come loaded with their survey and customer) and sends
nothing: what is sent and when it is marked sent stays with the sender.
"""

import copy
import html
import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import DNS_NAME, sanitize_address

AHEAD = 16
_DONE = object()


@dataclass(frozen=True)
class Prepared:
    """One message ready to go: the EmailMessage, and for the SMTP backend its envelope and bytes."""

    message: EmailMessage | None  # None when filled in from a WireTemplates template
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


def send_prepared(connection, prepared: Prepared, *, before_data: Callable[[], None] | None = None) -> None:
    """Send one message over an open connection; raises what the backend raises (smtplib errors, OSError).

    ``before_data`` runs after the envelope (MAIL FROM, RCPT TO) was accepted and before the message itself
    goes out (SMTP backend only; others call it first).
    """
    # Open it ourselves (a no-op once open): a backend that opened it would close it after each send.
    connection.open()
    if prepared.payload:
        if not prepared.recipients:
            return  # nothing to send, as Django's backend does it
        smtp = connection.connection
        if before_data is not None:
            smtp.data = _data_after(smtp, before_data)
        smtp.sendmail(prepared.sender, list(prepared.recipients), prepared.payload)
    else:
        if before_data is not None:
            before_data()
        connection.send_messages([prepared.message])


def _data_after(smtp, before: Callable[[], None]) -> Callable:
    """smtplib's DATA, after ``before`` (sendmail calls it once the recipients were accepted)."""
    data = type(smtp).data

    def hooked(msg):
        before()
        return data(smtp, msg)

    return hooked


# Stand-ins rendered into a campaign's message once; letters only, so no escaping or encoding changes them.
_NAME_SLOT = "cxportalslotname"
_EMAIL_SLOT = "cxportal-slot@example.invalid"
_SAFE_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$")
_HEADER_LINE = {name: re.compile(rb"^" + name + rb": [^\r\n]*\r\n", re.MULTILINE) for name in (b"Date", b"Message-ID")}


def _token_slot(length: int) -> str:
    return "cxportalslot" + "q" * (length - 12)


class WireTemplates:
    """A survey's invitation rendered once (per reminder or not, greeting by name or not), filled per customer.

    Rendering the templates and building the MIME message costs more than sending it. Every invitation of a
    chunk differs only in its token (the links), the customer's address and name, the Date and Message-ID:
    so the message is rendered once with stand-ins and each customer's bytes are the template's with theirs
    put in (the name HTML-escaped in the HTML part). Whatever the stand-ins cannot express exactly — a
    non-ASCII or unusual address, a name with line breaks, a part that would have to change its transfer
    encoding — is rendered whole, as before. ``render(invitation)`` is ``invitation_message``.
    """

    def __init__(self, render: Callable):
        self._render = render
        self._kept: dict[tuple, tuple | None] = {}

    def prepare(self, invitation) -> Prepared:
        customer = invitation.customer
        name = customer.contact_name.strip()
        # The token's stand-in has the token's length, so long headers fold where they fold for the real one.
        key = (invitation.campaign.survey_id, invitation.last_sent_at is not None, bool(name), len(invitation.token))
        if key not in self._kept:
            self._kept[key] = self._template(invitation, bool(name)) if len(invitation.token) >= 12 else None
        template = self._kept[key]
        filled = self._fill(template, invitation, name) if template else None
        return filled or prepare(self._render(invitation), wire=True)

    def _template(self, invitation, named: bool) -> tuple | None:
        stand_in = copy.copy(invitation)
        stand_in.customer = copy.copy(invitation.customer)
        stand_in.customer.contact_name = _NAME_SLOT if named else ""
        stand_in.customer.email = _EMAIL_SLOT
        stand_in.token = _token_slot(len(invitation.token))
        message = self._render(stand_in)
        prepared = prepare(message, wire=True)
        payload = prepared.payload
        head_end = payload.find(b"\r\n\r\n")
        html_at = payload.find(b"Content-Type: text/html")
        to_line = b"To: " + _EMAIL_SLOT.encode() + b"\r\n"
        head = payload[: head_end + 2]
        if (
            head_end < 0
            or html_at < 0
            or head.count(to_line) != 1
            or any(len(pattern.findall(head)) != 1 for pattern in _HEADER_LINE.values())
            or prepared.recipients != (_EMAIL_SLOT,)
        ):
            return None
        text, html_part = payload[head_end:html_at], payload[html_at:]
        eight_bit = (b"Content-Transfer-Encoding: 8bit" in text, b"Content-Transfer-Encoding: 8bit" in html_part)
        seven_bit = (b"Content-Transfer-Encoding: 7bit" in text, b"Content-Transfer-Encoding: 7bit" in html_part)
        if not all(a or b for a, b in zip(eight_bit, seven_bit, strict=True)):
            return None  # quoted-printable or base64: stand-ins cannot be replaced in the encoded text
        return prepared.sender, head, text, html_part, eight_bit, stand_in.token.encode()

    def _fill(self, template: tuple, invitation, name: str) -> Prepared | None:
        sender, head, text, html_part, eight_bit, slot = template
        email = invitation.customer.email
        if not _SAFE_ADDRESS.match(email) or "\n" in name or "\r" in name or len(name) > 200:
            return None
        head = head.replace(b"To: " + _EMAIL_SLOT.encode(), b"To: " + email.encode())
        head = _HEADER_LINE[b"Date"].sub(
            lambda _m: b"Date: " + formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode() + b"\r\n", head
        )
        head = _HEADER_LINE[b"Message-ID"].sub(
            lambda _m: b"Message-ID: " + make_msgid(domain=DNS_NAME).encode() + b"\r\n", head
        )
        token_bytes = invitation.token.encode()
        text = text.replace(_NAME_SLOT.encode(), name.encode()).replace(slot, token_bytes)
        html_part = html_part.replace(_NAME_SLOT.encode(), html.escape(name, quote=True).encode())
        html_part = html_part.replace(slot, token_bytes)
        # A name beyond ASCII makes a plain-ASCII part 8bit, as the email package would have declared it.
        if not text.isascii() and not eight_bit[0]:
            text = text.replace(b"Content-Transfer-Encoding: 7bit", b"Content-Transfer-Encoding: 8bit", 1)
        if not html_part.isascii() and not eight_bit[1]:
            html_part = html_part.replace(b"Content-Transfer-Encoding: 7bit", b"Content-Transfer-Encoding: 8bit", 1)
        return Prepared(
            message=None,
            sender=sender,
            recipients=(sanitize_address(email, settings.DEFAULT_CHARSET),),
            payload=head.replace(slot, token_bytes) + text + html_part,
        )


class RenderAhead:
    """``for key, prepared in RenderAhead(keys, produce)``: the messages in order, prepared by a thread.

    ``produce(key)`` returns the ``Prepared`` message of ``key``. An error while preparing is raised by the
    iteration at that key. ``close()`` (or leaving a ``with`` block) stops the thread early.
    """

    def __init__(self, keys: list, produce: Callable[[object], Prepared], *, ahead: int = AHEAD):
        self._keys = list(keys)
        self._produce = produce
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
                item = (key, self._produce(key), None)
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


class MarkBehind:
    """Marks sent messages in a thread of its own (its own database connection) while the next one starts.

    The sender hands over an invitation right after the mail server accepted it and goes on with the next
    message's envelope (MAIL FROM, RCPT TO); before that message's DATA it waits until the mark is
    committed (``wait``, the SMTP ``before_data`` hook). So at any moment at most one message is accepted and
    not marked sent — the duplicate bound of one per crash holds — while the commit and the envelope's round
    trips overlap. Only outside a transaction: inside one (tests, callers with their own) the other connection
    would not see the claimed rows, and the sender marks them itself.
    """

    def __init__(self, mark: Callable[[list[int]], None]):
        self._mark = mark
        self._pending: list[int] = []
        self._error: BaseException | None = None
        self._idle = threading.Event()
        self._idle.set()
        self._work = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="cxportal-mark-behind", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from django.db import connection

        try:
            while True:
                self._work.wait()
                self._work.clear()
                if self._stopping:
                    return
                try:
                    self._mark(list(self._pending))
                    self._pending = []
                except BaseException as exc:  # noqa: BLE001 - raised in the sender's thread by wait()
                    self._error = exc
                self._idle.set()
        finally:
            connection.close()

    def submit(self, invitation_ids: list[int]) -> None:
        """Mark these sent, behind the sender's back; waits for the previous mark first."""
        self.wait()
        self._pending = list(invitation_ids)
        self._idle.clear()
        self._work.set()

    def wait(self) -> None:
        """Until the last mark is committed; raises its error (the ids stay in ``unconfirmed``)."""
        self._idle.wait()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def unconfirmed(self) -> list[int]:
        """Ids handed over whose mark did not commit (after ``close``)."""
        return list(self._pending)

    def close(self) -> None:
        self._idle.wait(timeout=60)
        self._stopping = True
        self._work.set()
        self._thread.join(timeout=60)

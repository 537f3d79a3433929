"""The development outbox: the e-mails the file backend wrote under ``var/mail/`` (DEBUG only)."""

import email
import email.policy
import email.utils
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.http import Http404
from django.shortcuts import render

from cxportal import roles
from cxportal.navigation import outbox_available

SEPARATOR = "-" * 79  # between messages in the file backend's logs
MAX_MESSAGES = 200


def _sent_at(message):
    """The Date header as an aware datetime (shown in the site time zone by the template), or None."""
    try:
        return email.utils.parsedate_to_datetime(str(message["date"]))
    except (TypeError, ValueError):
        return None


def _body_text(message) -> str:
    """The plain-text body decoded with its own transfer encoding and charset."""
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        return ""
    payload = body.get_payload(decode=True) or b""
    return payload.decode(body.get_content_charset() or "utf-8", errors="replace")


def outbox_messages(*, directory: Path, limit: int = MAX_MESSAGES) -> list[dict]:
    """The newest messages first, parsed from the file backend's log files.

    The files hold the messages as sent (bytes: RFC 2047 headers, 8bit/quoted-printable/base64 bodies), so
    they are parsed as bytes; parsing them as text would mangle every non-ASCII character ("M\ufffdbelwerke").
    """
    messages = []
    files = sorted(directory.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True) if directory.exists() else []
    for path in files:
        chunks = [c.strip() for c in path.read_bytes().split(SEPARATOR.encode())]
        for chunk in reversed([c for c in chunks if c]):
            message = email.message_from_bytes(chunk, policy=email.policy.default)
            messages.append(
                {
                    "subject": str(message["subject"] or ""),
                    "to": str(message["to"] or ""),
                    "date": _sent_at(message),
                    "body": _body_text(message),
                }
            )
            if len(messages) >= limit:
                return messages
    return messages


@roles.manager_required
def outbox(request):
    if not outbox_available():
        raise Http404("The outbox exists only in development with the file or in-memory e-mail backend.")
    if "locmem" in settings.EMAIL_BACKEND:
        sent = [
            {"subject": m.subject, "to": ", ".join(m.to), "date": "", "body": m.body}
            for m in reversed(getattr(mail, "outbox", []))
        ][:MAX_MESSAGES]
    else:
        sent = outbox_messages(directory=Path(settings.EMAIL_FILE_PATH))
    return render(request, "cxportal/outbox.html", {"messages_sent": sent})

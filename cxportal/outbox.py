"""The development outbox: the e-mails the file backend wrote under ``var/mail/`` (DEBUG only)."""

import email
import email.policy
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.http import Http404
from django.shortcuts import render

from cxportal import roles
from cxportal.navigation import outbox_available

SEPARATOR = "-" * 79
MAX_MESSAGES = 200


def outbox_messages(*, directory: Path, limit: int = MAX_MESSAGES) -> list[dict]:
    """The newest messages first, parsed from the file backend's log files."""
    messages = []
    files = sorted(directory.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True) if directory.exists() else []
    for path in files:
        chunks = [c.strip() for c in path.read_text(encoding="utf-8", errors="replace").split(SEPARATOR)]
        for chunk in reversed([c for c in chunks if c]):
            message = email.message_from_string(chunk, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            messages.append(
                {
                    "subject": message["subject"],
                    "to": message["to"],
                    "date": message["date"],
                    "body": body.get_content() if body is not None else "",
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

"""Invitation e-mails rendered ahead of the sender (issue 17, P4): same messages, same order, same bookkeeping."""

from unittest import mock

import pytest
from django.core import mail

from surveys.models import Invitation
from surveys.services import distribution, sending
from tests.journeys.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _queued(survey, customers: int) -> list[int]:
    CustomerFactory.create_batch(customers)
    # Queued, not sent: nothing dispatches on commit, the chunk is left to the test.
    with mock.patch.object(distribution, "_kick_dispatch"), mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaign_schedule(survey=survey, name="Ahead")
        distribution.campaigns_dispatch_due()
    return list(Invitation.objects.order_by("pk").values_list("pk", flat=True))


def test_a_chunk_sends_every_invitation_once_in_order_with_its_own_link(survey):
    ids = _queued(survey, 5)

    assert distribution.invitations_send(invitation_ids=ids) == {"sent": 5, "failed": 0, "skipped": 0}

    invitations = {i.customer.email: i for i in Invitation.objects.select_related("customer")}
    assert [m.to[0] for m in mail.outbox] == [Invitation.objects.get(pk=pk).customer.email for pk in ids]
    for message in mail.outbox:
        assert f"/s/i/{invitations[message.to[0]].token}/" in message.body
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.Status.SENT}


def test_a_message_that_cannot_be_rendered_stops_the_chunk_and_loses_nothing(survey):
    ids = _queued(survey, 4)
    real = distribution.invitation_message

    def render(*, invitation, **kwargs):
        if invitation.pk == ids[2]:
            raise RuntimeError("template broken")
        return real(invitation=invitation, **kwargs)

    with mock.patch.object(distribution, "invitation_message", side_effect=render), pytest.raises(RuntimeError):
        distribution.invitations_send(invitation_ids=ids)

    status = dict(Invitation.objects.values_list("pk", "status"))
    assert len(mail.outbox) == 2
    assert [status[pk] for pk in ids] == [
        Invitation.Status.SENT,
        Invitation.Status.SENT,
        Invitation.Status.SENDING,  # stays claimed: a retry after the claim timeout, as before
        Invitation.Status.PENDING,  # given back for the retry
    ]


def test_render_ahead_stops_its_thread_when_the_sender_gives_up():
    rendered = []

    def produce(key):
        rendered.append(key)
        return sending.prepare(mail.EmailMessage(subject=str(key), body="", to=["a@example.com"]), wire=False)

    ahead = sending.RenderAhead(list(range(1000)), produce, ahead=4)
    first = next(iter(ahead))
    ahead.close()

    assert first[0] == 0
    assert not ahead._thread.is_alive()
    assert len(rendered) < 1000


def _parsed(payload: bytes):
    import email
    import email.policy

    message = email.message_from_bytes(payload, policy=email.policy.default)
    return {
        "to": str(message["To"]),
        "subject": str(message["Subject"]),
        "unsubscribe": str(message["List-Unsubscribe"]),
        "text": message.get_body(preferencelist=("plain",)).get_content(),
        "html": message.get_body(preferencelist=("html",)).get_content(),
        "message_id": str(message["Message-ID"]),
    }


def _headers(payload: bytes) -> list[bytes]:
    """Every header line of every part, the boundary, Date and Message-ID left out (they differ per message)."""
    lines = [line for line in payload.split(b"\r\n") if b": " in line and not line.startswith(b" ")]
    return [line for line in lines if not line.startswith((b"Date:", b"Message-ID:", b"Content-Type: multipart"))]


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_survey_rendered_once_gives_each_customer_the_message_rendered_for_them(language):
    from surveys.services import survey_create_nps

    survey = survey_create_nps(title="Pulse", touchpoint=None, language=language)
    survey.public_title = "Lieferung & Service"
    survey.save()
    names = ["", "Ada Lovelace", "Jörg <b>Müller</b> & 'Söhne'", 'Zoë "Z" O\'Brien']
    for i, name in enumerate(names):
        CustomerFactory(contact_name=name, email=f"kunde{i}@example.com")
    CustomerFactory(contact_name="Ünal", email="jürgen@exämple.de")  # not plain ASCII: rendered whole
    distribution.campaign_schedule(survey=survey, name="Once")
    with mock.patch.object(distribution, "_queue_chunk"):
        distribution.campaigns_dispatch_due()
    invitations = list(Invitation.objects.select_related("campaign__survey", "customer").order_by("pk"))
    invitations[1].last_sent_at = invitations[1].created_at  # a reminder shares nothing with the first mails

    def render(invitation):
        return distribution.invitation_message(invitation=invitation)

    templates = sending.WireTemplates(render)
    seen_ids = set()
    for invitation in invitations:
        prepared = templates.prepare(invitation)
        # Filled in from the survey's template, except the address that is not plain ASCII.
        assert (prepared.message is None) == invitation.customer.email.isascii()
        filled = _parsed(prepared.payload)
        whole = _parsed(sending.prepare(render(invitation), wire=True).payload)
        assert filled.pop("message_id") not in seen_ids
        whole.pop("message_id")
        assert filled == whole
        assert prepared.payload.count(b"Content-Transfer-Encoding") == 2
        if invitation.customer.email.isascii():  # the same headers, as the same bytes, but for ID and date
            assert _headers(prepared.payload) == _headers(sending.prepare(render(invitation), wire=True).payload)
        assert invitation.token in filled["text"]
        seen_ids.add(filled.get("message_id"))
    assert ("Guten Tag" if language == "de" else "Hello") in filled["text"]


@pytest.mark.django_db(transaction=True)
def test_over_smtp_each_mark_commits_before_the_next_message_goes_out(settings):
    """Outside a transaction the marks commit in a thread of their own, one message behind at most."""
    from django.db import connection

    from surveys.services import survey_create_nps
    from tests.integration.smtp_sink import SmtpSink

    survey = survey_create_nps(title="Pulse", touchpoint=None, language="en")
    ids = _queued(survey, 6)
    unmarked_at_data = []
    real_data = sending._data_after

    def watching(smtp, before):
        def checked():
            before()
            with connection.cursor() as cursor:  # what another process sees as this message's DATA goes out
                cursor.execute("SELECT count(*) FROM surveys_invitation WHERE status = 'sending'")
                unmarked_at_data.append(cursor.fetchone()[0])

        return real_data(smtp, checked)

    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        with mock.patch.object(sending, "_data_after", side_effect=watching):
            counts = distribution.invitations_send(invitation_ids=ids)
        received = sorted(m.token for m in sink.handler.snapshot())

    assert counts == {"sent": 6, "failed": 0, "skipped": 0}
    assert received == sorted(Invitation.objects.values_list("token", flat=True))
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.Status.SENT}
    # Before each message goes out every earlier one is marked sent: never two accepted and unmarked.
    assert unmarked_at_data == [6, 5, 4, 3, 2, 1]

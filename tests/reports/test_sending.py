"""Sending on the rhythm: once per period, in each recipient's language, failures recorded and retried."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail

from reports.models import ReportSend
from reports.services import sending
from tests.reports.test_rendering import pdf_text

BERLIN = ZoneInfo("Europe/Berlin")
JUNE_1 = datetime.datetime(2026, 6, 1, 7, 5, tzinfo=BERLIN)


def make_due(report):
    report.created_at = datetime.datetime(2026, 5, 20, tzinfo=BERLIN)
    report.save(update_fields=["created_at"])


def test_due_report_goes_to_each_recipient_once_with_pdf_in_their_language(april_and_may, monthly_report):
    make_due(monthly_report)

    first = sending.reports_send_due(now=JUNE_1)
    second = sending.reports_send_due(now=JUNE_1 + datetime.timedelta(minutes=5))  # the next beat, or a second one

    assert first == {"recorded": 2, "sent": 2, "failed": 0}
    assert second == {"recorded": 0, "sent": 0, "failed": 0}
    assert len(mail.outbox) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    english, german = by_address["manager@example.com"], by_address["leitung@example.com"]
    assert "05/01/2026" in english.subject or "2026" in english.subject
    assert "01.05.2026" in german.subject
    assert "Ihr Bericht" in german.body and "66,7" in german.body
    assert "66.7" in english.body
    assert german.attachments[0][2] == "application/pdf" and german.attachments[0][1].startswith(b"%PDF")
    html = german.alternatives[0][0]
    assert "Kennzahlen" in html
    sends = ReportSend.objects.order_by("recipient")
    assert [(s.recipient, s.status, s.period_start) for s in sends] == [
        ("leitung@example.com", "sent", datetime.date(2026, 5, 1)),
        ("manager@example.com", "sent", datetime.date(2026, 5, 1)),
    ]


def test_report_defined_after_its_due_moment_waits_for_the_next_one(april_and_may, monthly_report):
    monthly_report.created_at = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=BERLIN)
    monthly_report.save(update_fields=["created_at"])

    assert sending.reports_send_due(now=datetime.datetime(2026, 6, 1, 9, 5, tzinfo=BERLIN))["recorded"] == 0
    assert sending.reports_send_due(now=datetime.datetime(2026, 7, 1, 7, 0, tzinfo=BERLIN))["recorded"] == 2


def test_failed_send_is_recorded_and_retried_later(april_and_may, monthly_report):
    make_due(monthly_report)
    real_send = sending.EmailMultiAlternatives.send

    def flaky(message, *args, **kwargs):
        if message.to == ["leitung@example.com"]:
            raise ConnectionRefusedError("SMTP server refused the connection")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(sending.EmailMultiAlternatives, "send", flaky):
        assert sending.reports_send_due(now=JUNE_1) == {"recorded": 2, "sent": 1, "failed": 1}
    failed = ReportSend.objects.get(recipient="leitung@example.com")
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "refused" in failed.error
    assert failed.next_attempt_at > JUNE_1

    # Before the backoff has passed nothing is tried; afterwards it goes out, and the other one is not sent again.
    assert sending.reports_send_due(now=JUNE_1 + datetime.timedelta(minutes=1))["sent"] == 0
    later = failed.next_attempt_at + datetime.timedelta(seconds=1)
    assert sending.reports_send_due(now=later) == {"recorded": 0, "sent": 1, "failed": 0}
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == ("sent", 2, "")
    assert [m.to[0] for m in mail.outbox] == ["manager@example.com", "leitung@example.com"]


def test_inactive_users_stop_receiving(april_and_may, monthly_report, manager):
    make_due(monthly_report)
    manager.is_active = False
    manager.save(update_fields=["is_active"])

    sending.reports_send_due(now=JUNE_1)

    assert [m.to for m in mail.outbox] == [["leitung@example.com"]]


def test_send_interrupted_before_the_mail_server_is_retried_after_it_the_send_is_not_repeated(
    april_and_may, monthly_report
):
    make_due(monthly_report)
    sending.reports_record_due(now=JUNE_1)
    before, after = ReportSend.objects.order_by("recipient")  # leitung@, manager@
    # Two workers died mid-send: one while drawing the PDF, one after handing the message over.
    ReportSend.objects.filter(pk=before.pk).update(status="sending", attempts=1)
    ReportSend.objects.filter(pk=after.pk).update(status="sending", attempts=1, handed_over_at=JUNE_1)

    assert sending.reports_send_due(now=JUNE_1 + datetime.timedelta(minutes=5))["sent"] == 0  # maybe still busy
    result = sending.reports_send_due(now=JUNE_1 + datetime.timedelta(minutes=31))

    assert result == {"recorded": 0, "sent": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [["leitung@example.com"]]
    after.refresh_from_db()
    assert after.status == "failed" and after.attempts == sending.MAX_ATTEMPTS and after.error
    assert sending.reports_send_due(now=JUNE_1 + datetime.timedelta(days=1))["sent"] == 0


def test_department_audience_follows_the_department_and_sees_only_its_actions(
    april_and_may, monthly_report, sales, sales_member, service
):
    from tests.actionplans.factories import ActionFactory

    ActionFactory(title="Call back unhappy customers", department=sales, due_date=datetime.date(2026, 5, 20))
    ActionFactory(title="Rewrite the FAQ", department=service, due_date=datetime.date(2026, 5, 20))
    monthly_report.recipients.all().delete()
    monthly_report.department, monthly_report.department_audience = sales, True
    monthly_report.save(update_fields=["department", "department_audience"])
    make_due(monthly_report)

    sending.reports_send_due(now=JUNE_1)
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    text = pdf_text(mail.outbox[0].attachments[0][1])
    assert "Call back unhappy customers" in text and "Rewrite the FAQ" not in text

    sales.members.remove(sales_member)  # Sam moved on: July's report goes to nobody in Sales any more
    assert sending.reports_send_due(now=datetime.datetime(2026, 7, 1, 8, 0, tzinfo=BERLIN))["recorded"] == 0


def test_a_person_who_chose_german_in_the_profile_receives_the_report_in_german(april_and_may, monthly_report, manager):
    from cxportal.models import Profile

    Profile.objects.update_or_create(user=manager, defaults={"language": "de"})
    monthly_report.recipients.filter(user=manager).update(language="")  # as the form saves people
    make_due(monthly_report)

    sending.reports_send_due(now=JUNE_1)

    to_manager = next(m for m in mail.outbox if m.to[0] == "manager@example.com")
    assert "01.05.2026" in to_manager.subject and "66,7" in to_manager.body

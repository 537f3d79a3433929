"""The development outbox shows what the file e-mail backend wrote, escaped, and exists only in DEBUG."""

import pytest
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    return tmp_path


def test_outbox_lists_sent_mail_with_its_links_newest_first(client, manager, settings, file_mail):
    settings.DEBUG = True
    send_mail("First", "old one", None, ["a@example.com"])
    send_mail("Your opinion", "Answer here: http://127.0.0.1:8000/s/i/abc/ <script>x</script>", None, ["b@example.com"])
    client.force_login(manager)

    page = client.get(reverse("outbox")).content.decode()

    assert page.index("Your opinion") < page.index("First")
    assert 'href="http://127.0.0.1:8000/s/i/abc/"' in page
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_outbox_does_not_exist_in_production(client, manager, settings, file_mail):
    settings.DEBUG = False
    client.force_login(manager)
    assert client.get(reverse("outbox")).status_code == 404


def test_outbox_is_for_cx_managers_only(client, sales_member, settings, file_mail):
    settings.DEBUG = True
    client.force_login(sales_member)
    assert client.get(reverse("outbox")).status_code == 403


def test_outbox_decodes_non_ascii_subjects_and_bodies(client, manager, settings, file_mail):
    settings.DEBUG = True
    # A long body line makes Django choose quoted-printable; the subject is RFC 2047 encoded.
    send_mail("Möbelwerke Süd: Ihre Meinung", "Grüße aus Köln " + "ä" * 80, None, ["müller@example.com"])
    send_mail("Straße", "Kurz: Größe", None, ["b@example.com"])
    client.force_login(manager)

    page = client.get(reverse("outbox")).content.decode()

    assert "Möbelwerke Süd: Ihre Meinung" in page
    assert "Grüße aus Köln " + "ä" * 80 in page
    assert "Kurz: Größe" in page
    assert "Straße" in page
    assert "\ufffd" not in page


def test_outbox_shows_the_sending_time_in_the_site_time_zone(client, manager, settings, file_mail):
    settings.DEBUG = True
    settings.TIME_ZONE = "Europe/Berlin"
    EmailMessage("Timed", "body", None, ["a@example.com"], headers={"Date": "Fri, 04 Dec 2026 02:44:00 +0000"}).send()
    client.force_login(manager)

    page = client.get(reverse("outbox")).content.decode()

    assert "2026-12-04 03:44" in page
    assert "02:44" not in page

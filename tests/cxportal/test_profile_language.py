"""A person's language: profile choice, then the language switch's cookie / Accept-Language, then LANGUAGE_CODE;
each staff e-mail in the recipient's language."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from actionplans import services
from cxportal.models import Profile
from tests.actionplans.factories import ActionFactory

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_without_a_profile_the_browser_decides(manager_client):
    page = manager_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert _lang(page) == "de"
    assert "Abmelden" in page.content.decode()
    assert _lang(manager_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")) == "en"


def test_without_profile_or_browser_preference_language_code(manager_client):
    assert _lang(manager_client.get(reverse("home"))) == settings.LANGUAGE_CODE


def test_profile_page_saves_the_language_and_beats_the_browser(manager_client, manager):
    page = manager_client.get(reverse("profile"))
    assert "manager@example.com" in page.content.decode()  # read-only e-mail
    response = manager_client.post(reverse("profile"), {"language": "de"})
    assert response.status_code == 302
    assert Profile.objects.get(user=manager).language == "de"
    page = manager_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert _lang(page) == "de"
    assert "Abmelden" in page.content.decode()


def test_profile_language_is_restored_at_the_next_sign_in(client, manager):
    Profile.objects.create(user=manager, language="de")
    client.force_login(manager)
    assert _lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")) == "de"


def test_profile_page_refuses_an_unknown_language(manager_client, manager):
    response = manager_client.post(reverse("profile"), {"language": "fr"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "gültige Auswahl" in response.content.decode()
    assert not Profile.objects.filter(user=manager).exists()


def test_navigation_switch_returns_to_the_same_page_and_stores_the_profile(manager_client, manager):
    page = manager_client.get(reverse("metrics:overview"))
    assert 'id="language-switch"' in page.content.decode()
    response = manager_client.post(
        reverse("set_language"), {"language": "de", "next": reverse("metrics:overview") + "?x=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("metrics:overview") + "?x=1"
    assert Profile.objects.get(user=manager).language == "de"
    assert _lang(manager_client.get(reverse("metrics:overview"), HTTP_ACCEPT_LANGUAGE="en")) == "de"


def test_navigation_switch_works_for_anonymous_visitors(client):
    login = reverse("login")
    assert 'id="language-switch"' in client.get(login).content.decode()
    response = client.post(reverse("set_language"), {"language": "de", "next": login})
    assert response["Location"] == login
    assert _lang(client.get(login, HTTP_ACCEPT_LANGUAGE="en")) == "de"


def test_navigation_switch_needs_csrf(manager):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(manager)
    assert csrf_client.post(reverse("set_language"), {"language": "de", "next": "/"}).status_code == 403
    assert not Profile.objects.filter(user=manager).exists()


def test_each_digest_is_written_in_its_recipients_language(mailoutbox, sales, sales_member, manager):
    today = date(2026, 12, 4)
    Profile.objects.create(user=sales_member, language="de")
    ActionFactory(title="Overdue one", department=sales, owner=sales_member, due_date=today - timedelta(2))
    ActionFactory(title="Stale one", department=sales, owner=sales_member, due_date=today - timedelta(10))
    services.reminders_send_daily_digest(today=today)
    by_address = {m.to[0]: m for m in mailoutbox}
    assert by_address[sales_member.email].subject == "CX portal: Ihre Maßnahmen für den 04.12.2026"
    manager_mail = by_address[manager.email]  # overdue > 7 days reaches the CX managers, in English
    assert "Ihre" not in manager_mail.subject

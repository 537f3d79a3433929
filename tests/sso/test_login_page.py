"""The sign-in page with single sign-on off, on, and the only way in."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_without_sso_there_is_no_button_and_no_start(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in page
    assert 'name="password"' in page
    assert client.get("/accounts/sso/start/").status_code == 404
    assert client.get("/accounts/sso/callback/?code=x&state=y").status_code == 404


def test_button_names_the_provider_beside_the_password_form(client, provider):
    page = client.get("/accounts/login/?next=/actions/").content.decode()
    assert "Sign in with Keycloak" in page
    assert "/accounts/sso/start/?next=/actions/" in page
    assert 'name="password"' in page


def test_button_is_german_for_german_speakers(client, provider):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Anmelden mit Keycloak" in page


def test_sso_only_hides_and_refuses_the_password(client, provider, manager, settings):
    settings.SSO_ONLY = True
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Keycloak" in page
    assert 'name="password"' not in page
    response = client.post("/accounts/login/", {"username": "manager", "password": "pw-manager"})
    assert response.status_code == 403
    assert "switched off" in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated
    admin = client.get("/admin/login/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/accounts/login/")


@override_settings(SSO_ONLY=True)
def test_sso_only_without_sso_configured_keeps_the_password(client, manager):
    response = client.post("/accounts/login/", {"username": "manager", "password": "pw-manager"})
    assert response.status_code == 302

"""Single sign-on through a fake provider: accounts, roles and departments from groups, refusals, sign-out."""

from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.utils import translation

from actionplans.models import Department
from cxportal import roles
from cxportal.sso.models import SsoIdentity
from tests.sso.conftest import ISSUER

pytestmark = pytest.mark.django_db

ANNA = {
    "sub": "f3b1-anna",
    "email": "anna@example.com",
    "email_verified": True,
    "preferred_username": "anna",
    "given_name": "Anna",
    "family_name": "Berg",
    "groups": ["cx-managers", "Domain Users"],
}


def _user(username="anna"):
    return get_user_model().objects.get(username=username)


def _signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_start_sends_pkce_challenge_state_and_nonce(client, provider):
    location = client.get("/accounts/sso/start/")["Location"]
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{ISSUER}/protocol/openid-connect/auth?")
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"] and query["nonce"]
    assert query["redirect_uri"] == ["http://testserver/accounts/sso/callback/"]


def test_first_sign_in_creates_the_manager_and_lands_on_next(client, sso_sign_in, provider):
    response = sso_sign_in(ANNA, next_url="/journeys/")
    assert response.status_code == 302
    assert response["Location"] == "/journeys/"
    user = _user()
    assert (user.email, user.first_name, user.last_name) == ("anna@example.com", "Anna", "Berg")
    assert not user.has_usable_password()
    assert roles.is_cx_manager(user)
    assert _signed_in_user(client) == user
    assert SsoIdentity.objects.get(issuer=ISSUER, subject="f3b1-anna").user == user
    # the code went out with the PKCE verifier the fake provider checked
    assert provider.token_requests[0]["code_verifier"]


def test_sign_in_through_sso_is_in_the_audit_log(client, sso_sign_in):
    sso_sign_in(ANNA)
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=_user()).get()
    assert entry.additional_data == {"event": "sign_in", "via": "sso", "issuer": ISSUER}


def test_department_group_makes_a_member_of_that_department(client, sso_sign_in):
    sso_sign_in({**ANNA, "groups": ["dept-sales"]})
    user = _user()
    assert list(user.departments.values_list("name", flat=True)) == ["Sales"]
    assert roles.is_department_member(user)
    assert not roles.is_cx_manager(user)


def test_group_that_maps_to_nothing_is_refused_without_an_account(client, sso_sign_in):
    response = sso_sign_in({**ANNA, "groups": ["Domain Users"]})
    assert response.status_code == 403
    assert "no group that gives access to CX portal" in response.content.decode()
    assert not get_user_model().objects.filter(username="anna").exists()
    assert not SsoIdentity.objects.exists()
    assert not _signed_in_user(client).is_authenticated
    failed = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert failed.additional_data == {"event": "sign_in_failed", "reason": "sso:no_role"}


def test_removed_from_the_group_loses_the_role_at_the_next_sign_in(client, sso_sign_in):
    sso_sign_in({**ANNA, "groups": ["cx-managers", "dept-sales"]})
    client.logout()
    sso_sign_in({**ANNA, "groups": ["dept-service"]})
    user = _user()
    assert not roles.is_cx_manager(user)
    assert sorted(user.departments.values_list("name", flat=True)) == ["Customer Service"]
    client.logout()
    response = sso_sign_in({**ANNA, "groups": []})
    assert response.status_code == 403
    user = _user()
    assert not roles.has_any_role(user)
    assert not user.departments.exists()


def test_department_given_by_hand_stays(client, sso_sign_in):
    sso_sign_in({**ANNA, "groups": ["dept-sales"]})
    marketing = Department.objects.create(name="Marketing")
    marketing.members.add(_user())
    client.logout()
    sso_sign_in({**ANNA, "groups": ["dept-sales"]})
    assert sorted(_user().departments.values_list("name", flat=True)) == ["Marketing", "Sales"]


def test_changed_email_at_the_provider_updates_the_same_account(client, sso_sign_in):
    sso_sign_in(ANNA)
    client.logout()
    sso_sign_in({**ANNA, "email": "anna.berg@example.com", "preferred_username": "aberg"})
    assert get_user_model().objects.count() == 1
    assert _user().email == "anna.berg@example.com"


def test_same_username_from_another_person_gets_its_own_account(client, django_user_model, sso_sign_in):
    local = django_user_model.objects.create_user("anna", "anna@example.com", "pw")
    sso_sign_in(ANNA)
    created = SsoIdentity.objects.get().user
    assert created != local
    assert created.username == "anna-2"


def test_link_by_verified_email_takes_over_the_local_account(client, django_user_model, sso_sign_in, settings):
    settings.OIDC_LINK_BY_EMAIL = True
    local = django_user_model.objects.create_user("anna.local", "Anna@Example.com", "pw")
    sso_sign_in(ANNA)
    assert SsoIdentity.objects.get().user == local
    client.logout()
    sso_sign_in({**ANNA, "sub": "someone-else", "email_verified": False, "preferred_username": "x"})
    assert SsoIdentity.objects.get(subject="someone-else").user != local


def test_state_that_was_not_started_here_is_refused(client, sso_sign_in):
    response = sso_sign_in(ANNA, state="forged-state")
    assert response.status_code == 400
    assert "could not be matched to the one you started" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_callback_replayed_is_refused(client, provider):
    from urllib.parse import urlencode

    code, state = provider.authorize(client.get("/accounts/sso/start/")["Location"], ANNA)
    assert client.get("/accounts/sso/callback/?" + urlencode({"code": code, "state": state})).status_code == 302
    client.logout()
    replay = client.get("/accounts/sso/callback/?" + urlencode({"code": code, "state": state}))
    assert replay.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "text"),
    [
        ({"nonce": "other"}, "could not be verified"),
        ({"exp": 1_000_000, "iat": 999_000}, "has expired"),
        ({"iss": "https://evil.example.test"}, "does not trust"),
        ({"aud": "another-client"}, "could not be verified"),
    ],
)
def test_tampered_or_expired_token_is_refused_without_an_account(client, sso_sign_in, provider, overrides, text):
    provider.token_overrides = overrides
    response = sso_sign_in(ANNA)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not get_user_model().objects.exists()
    assert not _signed_in_user(client).is_authenticated


def test_token_signed_with_another_key_is_refused(client, sso_sign_in, provider):
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = sso_sign_in(ANNA)
    assert response.status_code == 400
    assert not get_user_model().objects.exists()


def test_provider_down_says_so(client, sso_sign_in, provider):
    provider.down = True
    response = sso_sign_in(ANNA)
    assert response.status_code == 502
    assert "Keycloak cannot be reached right now" in response.content.decode()


def test_provider_error_answer_is_refused(client, provider):
    client.get("/accounts/sso/start/")
    response = client.get("/accounts/sso/callback/?error=access_denied&state=x")
    assert response.status_code == 403
    assert "Keycloak did not sign you in" in response.content.decode()


def test_deactivated_account_is_refused(client, sso_sign_in):
    sso_sign_in(ANNA)
    client.logout()
    user = _user()
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = sso_sign_in(ANNA)
    assert response.status_code == 403
    assert not _signed_in_user(client).is_authenticated


def test_refusal_page_is_german_for_german_speakers(client, sso_sign_in):
    response = sso_sign_in({**ANNA, "groups": []}, next_url="/")
    with translation.override("de"):
        response = client.get("/accounts/sso/callback/?error=access_denied", HTTP_ACCEPT_LANGUAGE="de")
    assert "Keycloak hat Sie nicht angemeldet" in response.content.decode()


def test_sign_out_also_ends_the_provider_session(client, sso_sign_in):
    sso_sign_in(ANNA)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/protocol/openid-connect/logout"
    query = parse_qs(location.query)
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert not _signed_in_user(client).is_authenticated


def test_password_sign_out_stays_local(manager_client, provider):
    response = manager_client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"


def test_a_wrong_role_map_is_reported_at_startup(settings):
    from cxportal.sso.checks import role_map_check

    assert role_map_check() == []
    settings.OIDC_ROLE_MAP = {"cx-managers": "admin", "dept-sales": "department:"}
    [error] = role_map_check()
    assert error.id == "sso.E001"
    assert "'admin' is neither 'manager' nor 'department:<name>'" in error.msg

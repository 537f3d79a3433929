"""The web sign-in limits failed attempts per client address and per username (``LOGIN_FAILURE_RATE``);
beyond it the page answers 429 with the wait and checks no password."""

import time
import uuid

import pytest
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from cxportal.throttling import FailureLimit

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOO_MANY = "Too many failed sign-ins; try again in"


@pytest.fixture(autouse=True)
def own_cache():
    """A cache of this test's own, so counters of other tests (or processes) never interfere."""
    location = f"login-throttle-test-{uuid.uuid4()}"
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}},
        LOGIN_FAILURE_RATE="3/15min",
    ):
        yield


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user(username="olga", password="pw-olga")


def _sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client: Client, username: str, times: int = 3) -> None:
    for _ in range(times):
        response = _sign_in(client, username, "wrong password")
        assert response.status_code == 200
        assert TOO_MANY not in response.text


def _assert_refused(response) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    assert TOO_MANY in response.text
    assert 'role="alert"' in response.text
    assert 'name="password"' in response.text  # the form is still there to try again later


def test_after_the_failures_of_the_rate_even_the_right_password_is_refused(manager):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager")

    response = _sign_in(client, "manager", "pw-manager")

    _assert_refused(response)
    assert not _signed_in(client)


def test_a_refused_attempt_checks_no_password(manager, monkeypatch):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager")
    checked = []
    original = ModelBackend.authenticate

    def spy(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)

    _assert_refused(_sign_in(client, "manager", "pw-manager"))
    assert checked == []


def test_the_failures_of_one_address_and_username_leave_others_alone(manager, other):
    _fail(Client(REMOTE_ADDR="203.0.113.30"), "manager")

    elsewhere = Client(REMOTE_ADDR="203.0.113.31")
    response = _sign_in(elsewhere, "olga", "pw-olga")

    assert response.status_code == 302
    assert _signed_in(elsewhere)


def test_one_username_is_limited_whatever_the_address(manager):
    for n in range(3):
        _fail(Client(REMOTE_ADDR=f"203.0.113.{40 + n}"), "manager", times=1)

    fresh_address = Client(REMOTE_ADDR="203.0.113.50")
    _assert_refused(_sign_in(fresh_address, "manager", "pw-manager"))
    assert not _signed_in(fresh_address)


def test_the_username_budget_ignores_letter_case(manager):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager", times=2)
    _fail(Client(REMOTE_ADDR="203.0.113.31"), "MANAGER", times=1)

    _assert_refused(_sign_in(Client(REMOTE_ADDR="203.0.113.32"), "manager", "pw-manager"))


def test_one_address_is_limited_whatever_the_username(other):
    client = Client(REMOTE_ADDR="203.0.113.30")
    for name in ("alice", "bob", "carol"):
        _fail(client, name, times=1)

    _assert_refused(_sign_in(client, "olga", "pw-olga"))
    assert not _signed_in(client)


def test_a_successful_sign_in_neither_counts_nor_clears_anyones_failures(manager, other):
    client = Client(REMOTE_ADDR="203.0.113.30")
    for _ in range(5):
        assert _sign_in(Client(REMOTE_ADDR="203.0.113.30"), "olga", "pw-olga").status_code == 302
    _fail(client, "manager", times=2)

    assert _sign_in(Client(REMOTE_ADDR="203.0.113.30"), "olga", "pw-olga").status_code == 302
    _fail(client, "manager", times=1)

    _assert_refused(_sign_in(client, "manager", "pw-manager"))


def test_the_message_names_the_minutes_left_in_the_window(manager, monkeypatch):
    window_start = (time.time() // 900 + 1) * 900
    monkeypatch.setattr(FailureLimit, "timer", lambda self: window_start + 10)
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager")

    response = _sign_in(client, "manager", "pw-manager")
    assert response["Retry-After"] == "890"
    assert "Too many failed sign-ins; try again in 15 minutes." in response.text

    monkeypatch.setattr(FailureLimit, "timer", lambda self: window_start + 870)
    response = _sign_in(client, "manager", "pw-manager")
    assert response["Retry-After"] == "30"
    assert "Too many failed sign-ins; try again in 1 minute." in response.text


def test_sign_in_works_again_when_the_window_is_over(manager, monkeypatch):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager")
    refused = _sign_in(client, "manager", "pw-manager")
    _assert_refused(refused)

    later = time.time() + int(refused["Retry-After"]) + 1
    monkeypatch.setattr(FailureLimit, "timer", lambda self: later)

    assert _sign_in(client, "manager", "pw-manager").status_code == 302
    assert _signed_in(client)


@override_settings(LOGIN_FAILURE_RATE="1/15min")
def test_an_attempt_is_counted_before_its_password_is_checked(manager, monkeypatch):
    """So parallel attempts cannot all pass a check made before any of them failed."""
    from cxportal.login import username_ident
    from cxportal.throttling import LOGIN_FAILURES_PER_ADDRESS, LOGIN_FAILURES_PER_USERNAME

    waits_during_check = []
    original = ModelBackend.authenticate

    def spy(self, request, username=None, password=None, **kwargs):
        waits_during_check.append(
            (
                LOGIN_FAILURES_PER_ADDRESS.retry_after("203.0.113.30"),
                LOGIN_FAILURES_PER_USERNAME.retry_after(username_ident(username)),
            )
        )
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)

    assert _sign_in(Client(REMOTE_ADDR="203.0.113.30"), "manager", "pw-manager").status_code == 302
    [(address_wait, username_wait)] = waits_during_check
    assert address_wait is not None and username_wait is not None  # a parallel attempt would be refused
    # ... and the successful sign-in took its attempt back.
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.30"), "manager", "pw-manager").status_code == 302


def test_the_page_escapes_what_was_typed(manager):
    client = Client(REMOTE_ADDR="203.0.113.30")
    name = "<script>alert(1)</script>"
    _fail(client, name)

    response = _sign_in(client, name, "whatever")

    _assert_refused(response)
    assert name not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_a_wrong_password_is_announced_in_an_alert(manager):
    response = _sign_in(Client(), "manager", "wrong password")

    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert "Please enter a correct username and password." in response.text


def test_an_empty_form_is_neither_checked_nor_counted(manager):
    client = Client(REMOTE_ADDR="203.0.113.30")
    for _ in range(5):
        assert client.post(LOGIN, {"username": "manager", "password": ""}).status_code == 200

    assert _sign_in(client, "manager", "pw-manager").status_code == 302


@override_settings(LOGIN_FAILURE_RATE="")
def test_an_empty_rate_turns_the_limit_off(manager):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager", times=20)

    assert _sign_in(client, "manager", "pw-manager").status_code == 302


@override_settings(LOGIN_FAILURE_RATE="ten an hour")
def test_a_malformed_rate_is_a_clear_configuration_error(manager):
    with pytest.raises(ImproperlyConfigured, match="LOGIN_FAILURE_RATE='ten an hour': write it as <number>/"):
        _sign_in(Client(), "manager", "pw-manager")


def test_the_admin_sign_in_has_the_same_limit(admin_user):
    """/admin/login/ (staff accounts) counts failures against the same budgets and then checks no password."""
    client = Client(REMOTE_ADDR="203.0.113.77")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"})
        assert TOO_MANY not in response.text
    response = client.post("/admin/login/", {"username": admin_user.username, "password": "password"})
    assert TOO_MANY in response.text
    assert not _signed_in(client)
    # Another address and username keep their own budgets.
    other_client = Client(REMOTE_ADDR="203.0.113.78")
    assert TOO_MANY not in other_client.post("/admin/login/", {"username": "nobody", "password": "x"}).text

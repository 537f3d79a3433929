"""Failed web sign-ins slow down with growing delays per (username, address), per address and per username —
never a hard lock that an attacker elsewhere could trigger; a refused attempt answers 429 and checks no password.
"""

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client, override_settings

from cxportal.throttling import LOGIN_BACKOFF_PER_PAIR, Backoff

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOO_MANY = "Too many failed sign-ins; try again in"
LIMITS = {
    "LOGIN_FAILURES_FREE": 3,
    "LOGIN_ADDRESS_FAILURES_FREE": 5,
    "LOGIN_USERNAME_FAILURES_FREE": 6,
    "LOGIN_BACKOFF_BASE_SECONDS": 60,
    "LOGIN_BACKOFF_MAX_SECONDS": 900,
    "LOGIN_FAILURE_MEMORY_SECONDS": 86400,
}


@pytest.fixture(autouse=True)
def own_cache():
    """A cache of this test's own, so counters of other tests (or processes) never interfere."""
    location = f"login-throttle-test-{uuid.uuid4()}"
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}},
        **LIMITS,
    ):
        yield


@pytest.fixture
def clock(monkeypatch):
    """The backoff's clock, moved by hand: ``clock.now += 61``."""

    class Clock:
        now = time.time()

    monkeypatch.setattr(Backoff, "timer", lambda self: Clock.now)
    return Clock


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


def _assert_refused(response, wait: int | None = None) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    if wait is not None:
        assert int(response["Retry-After"]) == wait
    assert TOO_MANY in response.text
    assert 'role="alert"' in response.text
    assert 'name="password"' in response.text  # the form is still there to try again later


def test_after_the_free_failures_each_attempt_waits_longer_instead_of_a_lock(manager, clock):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager")

    _assert_refused(_sign_in(client, "manager", "pw-manager"), wait=60)
    assert not _signed_in(client)

    clock.now += 61
    _fail(client, "manager", times=1)  # allowed again after the wait; the next wait doubles
    _assert_refused(_sign_in(client, "manager", "pw-manager"), wait=120)

    clock.now += 121
    assert _sign_in(client, "manager", "pw-manager").status_code == 302
    assert _signed_in(client)


def test_the_delay_is_capped(manager, clock):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager")
    for _ in range(8):
        clock.now += 901
        _fail(client, "manager", times=1)

    _assert_refused(_sign_in(client, "manager", "pw-manager"), wait=900)


def test_a_refused_attempt_checks_no_password(manager, monkeypatch, clock):
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


def test_ten_failures_with_random_usernames_from_one_address_do_not_lock_out_anyone_elsewhere(
    manager, service_member, clock
):
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(10):
        response = _sign_in(attacker, f"user-{uuid.uuid4().hex[:8]}", "guess")
        assert response.status_code in (200, 429)
    _assert_refused(_sign_in(attacker, "sue", "pw-sue"))  # the spraying address itself is slowed down

    member = Client(REMOTE_ADDR="203.0.113.31")
    assert _sign_in(member, "sue", "pw-sue").status_code == 302
    assert _signed_in(member)


def test_the_right_password_works_from_a_clean_address_while_the_account_is_attacked_from_elsewhere(manager, clock):
    for _round in range(5):  # e.g. ten wrong passwords every 15 minutes, from many addresses
        for n in range(10):
            _sign_in(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "manager", "guess")
        clock.now += 15 * 60

    office = Client(REMOTE_ADDR="203.0.113.30")
    assert _sign_in(office, "manager", "pw-manager").status_code == 302
    assert _signed_in(office)


def test_a_distributed_attack_on_one_username_slows_down_the_addresses_that_took_part(manager, clock):
    for n in range(6):  # one failure each: every address is within its own free failures
        _fail(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "manager", times=1)

    _assert_refused(_sign_in(Client(REMOTE_ADDR="198.51.100.1"), "manager", "guess"))
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.30"), "manager", "pw-manager").status_code == 302


def test_the_failures_of_one_address_and_username_leave_others_alone(manager, other, clock):
    _fail(Client(REMOTE_ADDR="203.0.113.30"), "manager")

    elsewhere = Client(REMOTE_ADDR="203.0.113.31")
    assert _sign_in(elsewhere, "olga", "pw-olga").status_code == 302
    assert _signed_in(elsewhere)
    same_address = Client(REMOTE_ADDR="203.0.113.30")
    assert _sign_in(same_address, "olga", "pw-olga").status_code == 302  # another username from there too


def test_the_pair_ignores_letter_case(manager, clock):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager", times=2)
    _fail(client, "MANAGER", times=1)

    _assert_refused(_sign_in(client, "Manager", "pw-manager"))


def test_one_address_is_slowed_down_whatever_the_usernames(other, clock):
    client = Client(REMOTE_ADDR="203.0.113.30")
    for name in ("alice", "bob", "carol", "dave", "erin"):
        _fail(client, name, times=1)

    _assert_refused(_sign_in(client, "olga", "pw-olga"))
    assert not _signed_in(client)


def test_a_success_clears_only_its_own_pair(manager, other, clock):
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "olga", times=2)
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.30"), "olga", "pw-olga").status_code == 302
    _fail(client, "olga", times=2)  # the mistyping person starts afresh after signing in
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.30"), "olga", "pw-olga").status_code == 302

    _fail(client, "manager", times=1)  # the address's fifth failure: its free ones are used up
    # Signing in as olga cleared only olga's pair: the address's failures stay, no guesses were bought.
    _assert_refused(_sign_in(client, "manager", "pw-manager"))


def test_the_message_names_seconds_or_minutes(manager, clock, settings):
    settings.LOGIN_BACKOFF_BASE_SECONDS = 30
    client = Client(REMOTE_ADDR="203.0.113.30")
    _fail(client, "manager")

    response = _sign_in(client, "manager", "pw-manager")
    assert response["Retry-After"] == "30"
    assert "Too many failed sign-ins; try again in 30 seconds." in response.text

    settings.LOGIN_BACKOFF_BASE_SECONDS = 120
    response = _sign_in(client, "manager", "pw-manager")
    assert response["Retry-After"] == "120"
    assert "Too many failed sign-ins; try again in 2 minutes." in response.text


def test_an_attempt_is_counted_before_its_password_is_checked(manager, monkeypatch, clock):
    """So parallel attempts cannot all pass a check made before any of them failed."""
    from cxportal.login import username_ident

    counted_during_check = []
    original = ModelBackend.authenticate

    def spy(self, request, username=None, password=None, **kwargs):
        counted_during_check.append(LOGIN_BACKOFF_PER_PAIR.failures(f"{username_ident(username)}_203.0.113.30"))
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)

    assert _sign_in(Client(REMOTE_ADDR="203.0.113.30"), "manager", "pw-manager").status_code == 302
    assert counted_during_check == [1]
    assert LOGIN_BACKOFF_PER_PAIR.failures(f"{username_ident('manager')}_203.0.113.30") == 0  # taken back


def test_the_page_escapes_what_was_typed(manager, clock):
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


def test_the_admin_sign_in_has_the_same_limit_and_answers_429(admin_user, clock):
    """/admin/login/ (staff accounts) counts failures against the same budgets, then answers 429 like the site."""
    client = Client(REMOTE_ADDR="203.0.113.77")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"})
        assert response.status_code == 200 and TOO_MANY not in response.text
    response = client.post("/admin/login/", {"username": admin_user.username, "password": "password"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 60
    assert TOO_MANY in response.text
    assert not _signed_in(client)
    # Another address and username keep their own budgets.
    other_client = Client(REMOTE_ADDR="203.0.113.78")
    assert TOO_MANY not in other_client.post("/admin/login/", {"username": "nobody", "password": "x"}).text


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(manager, other, settings, clock):
    settings.TRUSTED_PROXIES = "1"
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66")
    _fail(attacker, "manager")
    _assert_refused(_sign_in(attacker, "manager", "pw-manager"))

    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert _sign_in(colleague, "manager", "pw-manager").status_code == 302


_OTHER_PROCESS = """
import django, os
django.setup()
from cxportal.throttling import LOGIN_BACKOFF_PER_ADDRESS
for _ in range({times}):
    attempt, _wait = LOGIN_BACKOFF_PER_ADDRESS.attempt("198.51.100.9")
    LOGIN_BACKOFF_PER_ADDRESS.failed(attempt)
"""


def test_web_processes_sharing_the_cache_share_the_counts(tmp_path, settings):
    """``make run`` and production point every web process at one cache (file or Redis): their counts add up."""
    from cxportal.throttling import LOGIN_BACKOFF_PER_ADDRESS

    location = tmp_path / "cache"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(location)}
    }
    attempt, _wait = LOGIN_BACKOFF_PER_ADDRESS.attempt("198.51.100.9")
    LOGIN_BACKOFF_PER_ADDRESS.failed(attempt)

    root = Path(__file__).resolve().parents[2]
    env = {
        "DJANGO_SETTINGS_MODULE": "cxportal.settings_test",
        "CACHE_URL": f"filecache://{location}",
        "PATH": "/usr/bin:/bin",
        "CXPORTAL_VAR_DIR": str(tmp_path / "var"),
    }
    subprocess.run([sys.executable, "-c", _OTHER_PROCESS.format(times=3)], cwd=root, env=env, check=True, timeout=120)

    assert LOGIN_BACKOFF_PER_ADDRESS.failures("198.51.100.9") == 4

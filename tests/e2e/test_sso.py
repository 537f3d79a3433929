"""Single sign-on in a real browser against a real OpenID Connect provider: the certified ``oidc-provider``
from npm, run by node on 127.0.0.1 (``tests/e2e/oidc/provider.mjs``; ``make test`` installs it into
``var/e2e/oidc``). Its development sign-in form takes any login; ``carla`` is in ``cx-managers``, ``sam`` in
``dept-sales``, ``eve`` only in a group the portal does not map."""

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from actionplans.models import Action
from cxportal import roles
from cxportal.sso.models import SsoIdentity
from tests.actionplans.factories import ActionFactory
from tests.e2e.conftest import E2E_DIR
from tests.integration.conftest import unavailable

PROVIDER_SCRIPT = Path(__file__).parent / "oidc" / "provider.mjs"
MODULES = E2E_DIR / "oidc" / "node_modules"
CLIENT_ID, CLIENT_SECRET = "cx-portal-e2e", "e2e-secret-not-for-production"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _discovery(issuer: str, process) -> dict:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"oidc-provider stopped: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2) as answer:  # noqa: S310
                return json.load(answer)
        except OSError:
            time.sleep(0.2)
    pytest.fail("oidc-provider did not answer within 20 s")


@pytest.fixture
def oidc_provider(live_server, settings):
    """The provider running for this test, and the portal configured for it as the README describes."""
    node = shutil.which("node")
    if node is None or not (MODULES / "oidc-provider" / "package.json").exists():
        unavailable(f"node or oidc-provider in {MODULES} is missing (make test installs it: scripts/e2e_prereqs.sh)")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            node,
            str(PROVIDER_SCRIPT),
            str(MODULES),
            str(port),
            CLIENT_ID,
            CLIENT_SECRET,
            f"{live_server.url}/accounts/sso/callback/",
            f"{live_server.url}/accounts/login/",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        issuer = f"http://127.0.0.1:{port}"
        config = _discovery(issuer, process)
        settings.OIDC_ENABLED = True
        settings.OIDC_PROVIDER_NAME = "Test IdP"
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_RP_SCOPES = "openid email profile groups"
        settings.OIDC_OP_ISSUER = config["issuer"]
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = config["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = config["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        settings.OIDC_OP_LOGOUT_ENDPOINT = config["end_session_endpoint"]
        settings.OIDC_ROLE_MAP = {"cx-managers": "manager", "dept-sales": "department:Sales"}
        settings.AUTHENTICATION_BACKENDS = [
            "django.contrib.auth.backends.ModelBackend",
            "cxportal.sso.backend.SsoBackend",
        ]
        # What cxportal/settings.py adds for an end_session endpoint: signing out may be redirected there.
        csp = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
        csp["DIRECTIVES"]["form-action"] = ["'self'", issuer]
        settings.CONTENT_SECURITY_POLICY = csp
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def local_only(page):
    """Nothing leaves the machine: the provider's development pages @import a web font, which is refused."""

    def route(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    return page


def _sign_in_at_provider(page, live_server, login: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Test IdP").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page


def test_manager_signs_in_with_the_provider_and_signs_out_there_too(
    live_server, oidc_provider, local_only, shots, axe_check
):
    page = local_only
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Sign in with Test IdP")).to_be_visible()
    axe_check(page)
    shots(page, "login-with-sso")

    _sign_in_at_provider(page, live_server, "carla")
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_be_attached()
    carla = get_user_model().objects.get(username="carla")
    assert roles.is_cx_manager(carla)
    assert carla.email == "carla@example.com"
    assert SsoIdentity.objects.get(user=carla).issuer == oidc_provider
    page.goto(f"{live_server.url}/settings/audit-log/")  # a page for CX managers only
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    shots(page, "manager-signed-in")

    page.get_by_role("button", name="Log out", include_hidden=True).click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's end_session page
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    # The provider's session is over too: the next sign-in asks for the login again.
    page.get_by_role("link", name="Sign in with Test IdP").click()
    expect(page.locator("input[name=login]")).to_be_visible()
    shots(page, "provider-asks-again")


def test_department_member_from_the_group_sees_only_their_department(
    live_server, oidc_provider, local_only, sales, service, shots
):
    ours = ActionFactory(department=sales, title="Call back every detractor within a day")
    theirs = ActionFactory(department=service, title="Shorten the hold time")
    page = local_only
    _sign_in_at_provider(page, live_server, "sam")
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_be_attached()

    page.goto(f"{live_server.url}/actions/")
    expect(page.get_by_role("link", name=ours.title)).to_be_visible()
    expect(page.get_by_text(theirs.title)).to_have_count(0)
    assert page.goto(f"{live_server.url}/actions/{theirs.pk}/").status == 404
    shots(page, "member-sees-own-department")
    sam = get_user_model().objects.get(username="sam")
    assert list(sam.departments.all()) == [sales]
    assert Action.objects.count() == 2


def test_person_in_no_mapped_group_is_refused_without_an_account(live_server, oidc_provider, local_only, shots):
    page = local_only
    _sign_in_at_provider(page, live_server, "eve")
    expect(page.get_by_role("alert")).to_contain_text("in no group that gives access to CX portal")
    shots(page, "refused")
    assert not get_user_model().objects.filter(username="eve").exists()
    assert not SsoIdentity.objects.exists()

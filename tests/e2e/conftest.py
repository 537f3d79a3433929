"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Chromium comes from the system (``make test`` installs it when missing), axe-core from the npm registry
into ``var/e2e/node_modules``. Outside CI a missing piece skips the tests with the reason; with ``CI=true``
they fail instead (the convention of ``tests/integration/conftest.py``).
"""

import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cxportal import roles
from tests.integration.conftest import unavailable

E2E_DIR = Path(settings.BASE_DIR) / "var" / "e2e"
SCREENSHOT_DIR = E2E_DIR / "screenshots"
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = "Pixel 7"
# Pages with plotly.js are heavy for the live server's static handler on a busy CI machine: wait longer than
# Playwright's default five seconds before calling an expectation failed.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


def pytest_configure(config):
    # pytest-base-url (which pytest-playwright loads) declares its session fixture as a method; pytest 9 warns.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last.

    Their live server needs a transactional database, which is emptied after each test, migration rows
    (the role groups) included. pytest-django runs such tests after the others, but pytest then groups the
    tests of pytest-playwright's session-scoped browser parameter together, which pulls them in front of
    database tests that rely on those rows.
    """
    here = Path(__file__).parent
    browser_tests = [item for item in items if here in Path(item.path).parents]
    if browser_tests:
        moved = set(browser_tests)
        items[:] = [item for item in items if item not in moved] + browser_tests


@pytest.fixture(scope="session")
def playwright(playwright):
    """Playwright's sync API keeps its event loop "running" in this thread, so Django would refuse the ORM
    calls of tests and fixtures as made "from an async context". Allowed only while Playwright runs (the
    browser tests run last), so no other test's subprocess inherits the setting."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def chromium_path() -> str | None:
    """Debian's Chromium (Playwright's own download does not run everywhere); CX_E2E_CHROMIUM overrides."""
    if explicit := os.environ.get("CX_E2E_CHROMIUM"):
        return explicit if Path(explicit).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium is not installed (make test installs it: apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _e2e_database(live_server, transactional_db):
    """Every browser test talks to the live server; its transactional database loses the migrations' rows
    after each test, so the role groups are made again here."""
    for name in (roles.CX_MANAGER, roles.DEPARTMENT_MEMBER):
        Group.objects.get_or_create(name=name)


@pytest.fixture
def phone(new_context, playwright):
    """A page in a phone-sized, touch, mobile browser context."""
    device = {k: v for k, v in playwright.devices[PHONE].items() if k != "default_browser_type"}
    return new_context(**device).new_page()


@pytest.fixture
def phone_without_js(new_context, playwright):
    """The same phone with JavaScript switched off."""
    device = {k: v for k, v in playwright.devices[PHONE].items() if k != "default_browser_type"}
    return new_context(**device, java_script_enabled=False).new_page()


class Screenshots:
    """``shots(page, "survey-page")`` saves ``var/e2e/screenshots/<test>/<nn>-survey-page.png``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path


@pytest.fixture
def shots(request) -> Screenshots:
    name = request.node.originalname
    language = getattr(getattr(request.node, "callspec", None), "params", {}).get("language")
    if language:  # a story run per language keeps both sets of screenshots
        name = f"{name}-{language}"
    return Screenshots(SCREENSHOT_DIR / re.sub(r"[^A-Za-z0-9_.-]+", "-", name))


def _install_axe() -> None:
    npm = shutil.which("npm")
    if npm is None:
        return
    subprocess.run(
        [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(E2E_DIR), "axe-core@4"],
        check=False,
        capture_output=True,
        timeout=180,
    )


AXE_MISSING = f"axe-core is not installed in {AXE_JS.parent} and npm could not fetch it (make test does)"


@pytest.fixture(scope="session")
def axe_source() -> str | None:
    """The axe-core script; None when it is missing outside CI (with CI=true a missing axe-core fails)."""
    if not AXE_JS.exists():
        _install_axe()
    if not AXE_JS.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{AXE_MISSING} (CI=true: the accessibility checks must run)", pytrace=False)
        return None
    return AXE_JS.read_text()


BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture
def axe(axe_check, axe_source):
    """``axe(page)`` for a test whose point is accessibility: without axe-core (outside CI) the test skips."""
    if axe_source is None:
        pytest.skip(AXE_MISSING)
    return axe_check


@pytest.fixture
def axe_check(axe_source):
    """``axe_check(page)``: run axe-core in the page; fails on serious or critical violations, returns the rest.

    Without axe-core (outside CI) it warns that the check was skipped and lets the rest of the test run.
    """

    def check(page) -> list[dict]:
        if axe_source is None:
            warnings.warn(f"{AXE_MISSING}: the accessibility check of {page.url} was skipped", stacklevel=2)
            return []
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol: a <script> tag would be an inline script, which our
            # Content-Security-Policy blocks (as it should).
            page.evaluate(axe_source + "\n;true")
        result = page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return {
                    rules: result.passes.length + result.violations.length,
                    violations: result.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(" ") + " — " + n.failureSummary),
                    })),
                };
            }"""
        )
        assert result["rules"] > 0, "axe-core checked nothing"
        violations = result["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        report = "\n".join(
            f"{v['impact']}: {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"]) for v in blocking
        )
        assert not blocking, f"axe-core found serious/critical violations on {page.url}:\n{report}"
        return violations

    return check


@pytest.fixture
def log_in(live_server):
    """``log_in(page, "manager", "pw-manager")``: through the login form, as a person does."""

    def submit(page, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        # The sign-in page in English, or in German after someone chose Deutsch in this browser.
        german = page.locator("html").get_attribute("lang") == "de"
        page.get_by_label("Benutzername" if german else "Username").fill(username)
        page.get_by_label("Passwort" if german else "Password").fill(password)
        page.get_by_role("button", name="Anmelden" if german else "Log in").click()
        # On a phone the button sits in the collapsed navigation.
        # English, or German for a person who chose it in the profile.
        expect(
            page.get_by_role("button", name=re.compile(r"^(Log out|Abmelden)$"), include_hidden=True)
        ).to_be_attached()

    return submit

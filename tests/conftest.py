"""Fixtures every app's tests share: people in each role, signed-in clients, an API client with a key, and the
NPS survey most tests answer (``survey`` with its ``nps`` and ``reason`` questions).

Each app's own fixtures are in ``tests/<app>/conftest.py``, its factories in ``tests/<app>/factories.py``; helpers
used across apps (query counts) in ``tests/helpers.py``. A module that needs a different survey gives its fixture
a different name (``builder_survey``, ``logic_survey`` …) rather than overriding ``survey``."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group

from cxportal import roles
from cxportal.apikeys import api_key_create
from surveys.services import privacy
from tests.actionplans.factories import DepartmentFactory
from tests.helpers import key_client
from tests.surveys.factories import nps_survey


def pytest_configure(config):
    # The German catalogue is built, not kept in git: a test run straight after a pull compiles it first.
    from cxportal.catalogues import catalogues_compile

    catalogues_compile()


def _user(django_user_model, username: str, group: str | None):
    user = django_user_model.objects.create_user(
        username=username, password="pw-" + username, email=f"{username}@example.com"
    )
    if group:
        # get_or_create: a transactional test earlier in the session flushed the groups the migration made.
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def manager(django_user_model):
    return _user(django_user_model, "manager", roles.CX_MANAGER)


@pytest.fixture
def manager_client(client, manager):
    """The test client signed in as a CX manager (the web UI; for the API see ``api_client``)."""
    client.force_login(manager)
    return client


@pytest.fixture
def sales(db):
    return DepartmentFactory(name="Sales")


@pytest.fixture
def service(db):
    return DepartmentFactory(name="Customer Service")


@pytest.fixture
def sales_member(django_user_model, sales):
    user = _user(django_user_model, "sam", roles.DEPARTMENT_MEMBER)
    sales.members.add(user)
    return user


@pytest.fixture
def service_member(django_user_model, service):
    user = _user(django_user_model, "sue", roles.DEPARTMENT_MEMBER)
    service.members.add(user)
    return user


@pytest.fixture
def api_client_for():
    """``api_client_for(["journeys:read"])``: an APIClient authenticating with a new key of those scopes."""

    def make(scopes):
        _key, raw = api_key_create(name="test key", scopes=scopes)
        return key_client(raw)

    return make


@pytest.fixture
def api_client(db, api_client_for):
    return api_client_for(["*"])


@pytest.fixture
def survey(db):
    """The NPS template survey ("Onboarding NPS", English): the score (required), then "why?" (optional)."""
    return nps_survey()


@pytest.fixture
def nps(survey):
    return survey.questions.get(kind="nps")


@pytest.fixture
def reason(survey):
    return survey.questions.get(kind="long_text")


@pytest.fixture
def no_broker():
    """Erasure queues its follow-up work after commit; here nothing is sent. Yields the mock to inspect."""
    with mock.patch.object(privacy, "task_queue") as send_task:
        yield send_task


@pytest.fixture
def var_dir(settings, tmp_path):
    """Staged files (CSV imports waiting for confirmation) go to this test's own folder."""
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _default_language():
    """English stays the default in tests: a test that activates German cannot leak it into the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

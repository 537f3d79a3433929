"""Who may use the API: API keys with scopes, people by role, and the offline API docs."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from cxportal import roles
from cxportal.apikeys import api_key_create, api_key_revoke
from cxportal.models import ApiKey
from journeys.models import JourneyMap
from tests.helpers import key_client, session_client
from tests.journeys.factories import CustomerFactory, JourneyMapFactory

pytestmark = pytest.mark.django_db

MAPS = "/api/v1/journey-maps/"
SURVEYS = "/api/v1/surveys/"


class TestApiKeys:
    def test_request_without_credentials_is_401_and_names_the_api_key_scheme(self):
        response = APIClient().get(MAPS)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Api-Key"

    @pytest.mark.parametrize(
        "header",
        [
            "Api-Key not-a-key",
            "Api-Key ",
            "Api-Key cxp_",
            "Api-Key cxp_deadbeef0000_thisKeyWasNeverIssued",
        ],
    )
    def test_malformed_or_unknown_key_is_401(self, header):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get(MAPS)
        assert response.status_code == 401

    def test_key_with_a_known_prefix_but_wrong_secret_is_401(self):
        _key, raw = api_key_create(name="real", scopes=["*"])
        tampered = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
        assert key_client(tampered).get(MAPS).status_code == 401
        assert key_client(raw).get(MAPS).status_code == 200

    def test_revoked_key_is_401(self):
        key, raw = api_key_create(name="leaked", scopes=["*"])
        client = key_client(raw)
        assert client.get(MAPS).status_code == 200

        api_key_revoke(api_key=key)

        assert client.get(MAPS).status_code == 401

    def test_expired_key_is_401(self):
        key, raw = api_key_create(name="old", scopes=["*"], expires_at=timezone.now() + timedelta(days=1))
        ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        assert key_client(raw).get(MAPS).status_code == 401

    def test_key_not_yet_expired_works(self):
        _key, raw = api_key_create(name="fresh", scopes=["*"], expires_at=timezone.now() + timedelta(days=1))
        assert key_client(raw).get(MAPS).status_code == 200

    def test_read_scope_reads_but_cannot_write_nor_reach_other_areas(self, api_client_for):
        JourneyMapFactory(name="Onboarding")
        client = api_client_for(["journeys:read"])

        listing = client.get(MAPS)
        created = client.post(MAPS, {"name": "Sneaky"}, format="json")
        surveys = client.get(SURVEYS)

        assert listing.status_code == 200
        assert [m["name"] for m in listing.json()["results"]] == ["Onboarding"]
        assert created.status_code == 403
        assert "journeys:write" in created.json()["detail"]
        assert not JourneyMap.objects.filter(name="Sneaky").exists()
        assert surveys.status_code == 403

    def test_write_scope_implies_read_of_the_same_area(self, api_client_for):
        client = api_client_for(["journeys:write"])

        created = client.post(MAPS, {"name": "Purchase"}, format="json")
        listing = client.get(MAPS)

        assert created.status_code == 201
        assert listing.status_code == 200
        assert listing.json()["count"] == 1
        assert client.get(SURVEYS).status_code == 403

    def test_star_scope_can_do_everything(self, api_client_for):
        client = api_client_for(["*"])
        assert client.post(MAPS, {"name": "Everything"}, format="json").status_code == 201
        for url in (MAPS, SURVEYS, "/api/v1/customers/", "/api/v1/actions/", "/api/v1/departments/"):
            assert client.get(url).status_code == 200, url

    def test_unknown_scope_is_refused_when_creating_a_key(self):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as exc:
            api_key_create(name="typo", scopes=["journey:read"])
        assert "scopes" in exc.value.message_dict
        assert ApiKey.objects.count() == 0

    def test_key_is_stored_only_as_a_hash(self):
        key, raw = api_key_create(name="hashed", scopes=["*"])
        secret = raw.rsplit("_", 1)[-1]

        stored = ApiKey.objects.filter(pk=key.pk).values().get()

        for value in stored.values():
            assert raw not in str(value)
            assert secret not in str(value)
        assert len(stored["key_hash"]) == 64

    def test_using_a_key_records_when_it_was_last_used(self):
        key, raw = api_key_create(name="used", scopes=["journeys:read"])
        assert key.last_used_at is None
        before = timezone.now()

        assert key_client(raw).get(MAPS).status_code == 200

        key.refresh_from_db()
        assert key.last_used_at is not None
        assert key.last_used_at >= before


class TestCreateApiKeyCommand:
    def test_prints_the_key_on_its_last_line_and_that_key_works(self):
        out, err = StringIO(), StringIO()

        call_command("create_api_key", "ERP sync", "--scope", "*", stdout=out, stderr=err)

        raw = out.getvalue().strip().splitlines()[-1].strip()
        assert ApiKey.objects.get().name == "ERP sync"
        client = key_client(raw)
        assert client.get(MAPS).status_code == 200
        assert client.post(MAPS, {"name": "From ERP"}, format="json").status_code == 201

    def test_repeated_scope_option_gives_several_scopes(self):
        out = StringIO()
        call_command(
            "create_api_key", "BI", "--scope", "journeys:read", "--scope", "surveys:read", stdout=out, stderr=StringIO()
        )
        raw = out.getvalue().strip().splitlines()[-1]
        client = key_client(raw)
        assert client.get(MAPS).status_code == 200
        assert client.get(SURVEYS).status_code == 200
        assert client.get("/api/v1/actions/").status_code == 403


class TestSessionUsers:
    def test_cx_manager_has_full_access(self, manager):
        client = session_client(manager)
        CustomerFactory()
        assert client.post(MAPS, {"name": "Manager map"}, format="json").status_code == 201
        assert client.get(MAPS).status_code == 200
        assert client.get("/api/v1/customers/").json()["count"] == 1
        assert client.get(SURVEYS).status_code == 200

    def test_department_member_reads_journey_maps_but_cannot_write_them(self, sales_member):
        journey_map = JourneyMapFactory(name="Read me")
        client = session_client(sales_member)

        assert client.get(MAPS).status_code == 200
        assert client.get(f"{MAPS}{journey_map.pk}/").status_code == 200
        assert client.post(MAPS, {"name": "Nope"}, format="json").status_code == 403
        assert client.patch(f"{MAPS}{journey_map.pk}/", {"name": "Renamed"}, format="json").status_code == 403
        journey_map.refresh_from_db()
        assert journey_map.name == "Read me"
        assert not JourneyMap.objects.filter(name="Nope").exists()

    def test_department_member_cannot_list_customers(self, sales_member):
        CustomerFactory()
        assert session_client(sales_member).get("/api/v1/customers/").status_code == 403

    def test_user_without_a_role_gets_403(self, django_user_model):
        nobody = django_user_model.objects.create_user(username="nobody", password="pw-nobody")
        client = session_client(nobody)
        assert client.get(MAPS).status_code == 403
        assert client.get("/api/v1/actions/").status_code == 403

    def test_role_comes_from_the_cx_manager_group(self, django_user_model):
        user = django_user_model.objects.create_user(username="promoted", password="pw-promoted")
        assert session_client(user).post(MAPS, {"name": "x"}, format="json").status_code == 403
        user.groups.add(Group.objects.get(name=roles.CX_MANAGER))
        assert session_client(user).post(MAPS, {"name": "y"}, format="json").status_code == 201


class TestApiDocs:
    def test_schema_is_served(self, client, manager):
        client.force_login(manager)
        response = client.get("/api/schema/")
        assert response.status_code == 200
        assert b"/api/v1/journey-maps/" in response.content

    def test_swagger_ui_loads_only_local_assets(self, client, manager):
        client.force_login(manager)
        response = client.get("/api/docs/")
        assert response.status_code == 200
        html = response.content.decode()

        sources = re.findall(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", html)
        assert sources, "the docs page should load Swagger UI from somewhere"
        for source in sources:
            assert not source.startswith(("http://", "https://", "//")), source
            if source == "/api/docs/?script=":  # the init script, served apart for the Content-Security-Policy
                continue
            assert source.startswith("/static/"), source
            assert finders.find(source.removeprefix("/static/")), f"{source} is not shipped with the site"
        # No external host anywhere (e.g. a CDN URL built in JavaScript).
        external = re.findall(r"https?://([^/\"'\s]+)", html)
        assert all(host in ("testserver", "127.0.0.1", "localhost") for host in external), external

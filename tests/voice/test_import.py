"""The CSV import of tickets and reviews: preview with per-row errors, confirm stores the valid rows only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from voice.models import FeedbackItem

pytestmark = pytest.mark.django_db

CSV = (
    "external_id;text;source;language\n"
    "zd-1;Die Ersatzteile kamen zu spät;ticket;de\n"
    "zd-2;;ticket;\n"
    "rv-1;Great service, thank you;review;\n"
).encode("cp1252")


def _stage(client, content=CSV):
    return client.post(reverse("voice:import"), {"file": SimpleUploadedFile("export.csv", content, "text/csv")})


def test_preview_then_confirm_stores_the_valid_rows(manager_client, var_dir):
    response = _stage(manager_client)
    assert response.status_code == 302
    preview = manager_client.get(response["Location"])
    assert preview.context["preview"].counts == {"new": 2, "update": 0, "invalid": 1}
    assert not FeedbackItem.objects.exists()  # the preview stores nothing
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    manager_client.post(reverse("voice:import_confirm", args=[token]))
    assert sorted(FeedbackItem.objects.values_list("external_id", flat=True)) == ["rv-1", "zd-1"]
    assert FeedbackItem.objects.get(external_id="zd-1").text == "Die Ersatzteile kamen zu spät"


def test_unknown_columns_are_refused_with_a_clear_error(manager_client, var_dir):
    response = _stage(manager_client, b"external_id,body\nx,y\n")
    assert response.status_code == 400
    assert "Unknown column(s): body" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_members_cannot_import(client, sales_member, var_dir):
    client.force_login(sales_member)
    assert _stage(client).status_code == 403

"""CSV import of events and transactions: upload → preview with every row's errors → confirm or cancel."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cxportal import staged_import
from metrics.models import TouchpointEvent, Transaction
from tests.journeys.factories import CustomerFactory, TouchpointFactory

URL = "/dashboards/import/"
BERLIN = ZoneInfo("Europe/Berlin")
pytestmark = pytest.mark.usefixtures("var_dir")


def upload(client, kind: str, text: str, *, encoding="utf-8"):
    file = SimpleUploadedFile("data.csv", text.encode(encoding), content_type="text/csv")
    return client.post(URL, {"kind": kind, "file": file})


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return re.fullmatch(r"/dashboards/import/([A-Za-z0-9_-]+)/", response["Location"])[1]


@pytest.fixture
def events_csv(db):
    touchpoint = TouchpointFactory(name="Web shop")
    CustomerFactory(external_id="C-1")
    return touchpoint, (
        "\ufeffexternal_id;touchpoint;kind;customer;occurred_at\n"
        f"e1;{touchpoint.pk};visit;C-1;2026-03-01T09:30\n"
        f"e2;{touchpoint.pk};conversion;;2026-03-01\n"
        "e3;999999;visit;;2026-03-02\n"
        f"e4;{touchpoint.pk};click;C-404;2999-01-01\n"
        f"e1;{touchpoint.pk};visit;;2026-03-03\n"
    )


def test_preview_lists_every_row_with_its_errors_and_stores_nothing(manager_client, events_csv):
    touchpoint, text = events_csv
    text = text.replace("e1;", "e1x;", 1)  # the last row's e1 is unique then
    token = token_of(upload(manager_client, "events", text))

    content = manager_client.get(f"{URL}{token}/").content.decode()

    assert re.search(r"<strong>3</strong> new · <strong>0</strong> already stored.*<strong>2</strong> invalid", content)
    assert "Unknown touchpoint 999999." in content
    assert "Unknown kind “click”" in content and "Unknown customer “C-404”." in content
    assert "is in the future." in content
    assert content.count("<tr") == 6  # header + 5 rows
    assert TouchpointEvent.objects.count() == 0


def test_duplicate_external_ids_in_the_file_are_errors(manager_client, events_csv):
    _, text = events_csv
    content = manager_client.get(f"{URL}{token_of(upload(manager_client, 'events', text))}/").content.decode()
    assert "The external id “e1” appears 2 times in this upload." in content


def test_confirm_stores_the_valid_rows_and_is_idempotent(
    manager_client, events_csv, django_capture_on_commit_callbacks
):
    touchpoint, text = events_csv
    text = text.replace("e1;", "e1x;", 1)
    token = token_of(upload(manager_client, "events", text))

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"{URL}{token}/confirm/", follow=True)

    assert "Imported 3 touchpoint events; 0 already stored; 2 invalid rows skipped." in response.content.decode()
    assert sorted(TouchpointEvent.objects.values_list("external_id", flat=True)) == ["e1", "e1x", "e2"]
    first = TouchpointEvent.objects.get(external_id="e1x")
    assert first.occurred_at == datetime(2026, 3, 1, 9, 30, tzinfo=BERLIN)
    assert first.customer.external_id == "C-1"
    # the staged file is gone; a second confirm is refused
    response = manager_client.post(f"{URL}{token}/confirm/", follow=True)
    assert "does not exist or has expired" in response.content.decode()
    # the same file again: all valid rows are unchanged
    token = token_of(upload(manager_client, "events", text))
    content = manager_client.get(f"{URL}{token}/").content.decode()
    assert "<strong>0</strong> new · <strong>3</strong> already stored" in content


def test_cancel_stores_nothing_and_forgets_the_upload(manager_client, events_csv, var_dir):
    _, text = events_csv
    token = token_of(upload(manager_client, "events", text))
    assert list((var_dir / "imports").glob(f"*{token}.json"))

    response = manager_client.post(f"{URL}{token}/cancel/", follow=True)

    assert "Import cancelled; nothing was imported." in response.content.decode()
    assert TouchpointEvent.objects.count() == 0
    assert not list((var_dir / "imports").glob(f"*{token}.json"))


def test_transactions_with_comma_and_naive_dates_in_site_time_zone(manager_client, db):
    CustomerFactory(external_id="C-7")
    text = (
        "external_id,customer,amount,occurred_at\n"
        "t1,C-7,120.00,2026-01-31T23:30\n"
        "t2,C-7,12.345,2026-02-01\n"
        "t3,C-7,abc,2026-02-01\n"
        "t4,,5,2026-02-01\n"
    )
    token = token_of(upload(manager_client, "transactions", text))
    content = manager_client.get(f"{URL}{token}/").content.decode()
    assert "At most 2 decimal places." in content and "“abc” is not a number." in content
    assert "This field is required." in content

    manager_client.post(f"{URL}{token}/confirm/")

    stored = Transaction.objects.get()
    assert (stored.external_id, stored.amount) == ("t1", Decimal("120.00"))
    assert stored.occurred_at == datetime(2026, 1, 31, 23, 30, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("events", "external_id,touchpoint,kind,occurred_at,colour\n", "Unknown column(s): colour."),
        ("events", "external_id,touchpoint,occurred_at\n", "The file needs the column(s) kind."),
        (
            "transactions",
            "external_id,customer,amount,occurred_at\n" + "x,C,1,2026-01-01\n" * 10_001,
            "more than 10,000",
        ),
        ("events", "", "is empty"),
    ],
)
def test_files_that_cannot_be_previewed_are_refused(manager_client, db, kind, text, message):
    response = upload(manager_client, kind, text)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_file_size_limit(manager_client, db, monkeypatch):
    monkeypatch.setattr(staged_import, "IMPORT_MAX_BYTES", 100)
    response = upload(
        manager_client, "events", "external_id,touchpoint,kind,occurred_at\n" + "a,1,visit,2026-01-01\n" * 10
    )
    assert response.status_code == 400 and "larger than" in response.content.decode()


def test_tampered_or_foreign_token_is_refused(client, manager, django_user_model, events_csv):
    from django.contrib.auth.models import Group

    from cxportal import roles

    other = django_user_model.objects.create_user("other")
    other.groups.add(Group.objects.get(name=roles.CX_MANAGER))
    client.force_login(manager)
    token = token_of(upload(client, "events", events_csv[1]))

    assert client.get(f"{URL}..%2F..%2Fetc%2Fpasswd/").status_code in (302, 404)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43):
        response = client.get(f"{URL}{bad}/", follow=True)
        assert "does not exist or has expired" in response.content.decode()
    client.force_login(other)
    response = client.post(f"{URL}{token}/confirm/", follow=True)
    assert "does not exist or has expired" in response.content.decode()
    assert TouchpointEvent.objects.count() == 0
    client.force_login(manager)
    assert client.get(f"{URL}{token}/").status_code == 200


def test_members_and_anonymous_are_refused(client, sales_member, events_csv):
    assert client.get(URL).status_code == 302
    client.force_login(sales_member)
    assert client.get(URL).status_code == 403
    assert upload(client, "events", events_csv[1]).status_code == 403


def test_upload_page_has_labelled_fields(manager_client, db):
    content = manager_client.get(URL).content.decode()
    assert "What the file holds" in content and re.search(r'<label\s+for="id_file"', content)

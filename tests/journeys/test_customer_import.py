"""The customers CSV import: parsing, the preview with every row's errors, confirm, cancel and tokens."""

import json
import os
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cxportal.errors import ApplicationError
from journeys import services
from journeys.models import Customer
from journeys.services.customer_import import customer_csv_parse
from tests.journeys.factories import CustomerFactory, PersonaFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("var_dir")]

BERLIN = ZoneInfo("Europe/Berlin")
HEADER = "external_id,email,name,language,persona,acquired_at,churned_at,do_not_contact,attr:segment\n"


def csv_file(text: str, name="customers.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def staged(var_dir) -> list:
    directory = var_dir / "imports"
    return list(directory.glob("*.json")) if directory.exists() else []


def bad_rows_csv() -> str:
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    return HEADER + (
        "C-1,anna@example.com,Anna,de,IT lead,2024-01-15,,0,mid_market\n"  # line 2: valid, new
        "C-2,not-an-email,Bert,en,,2024-01-15,,,\n"  # 3: bad email
        "C-3,c@example.com,Carla,en,,,,,\n"  # 4: duplicate id (with line 5)
        "C-3,c2@example.com,Carla 2,en,,,,,\n"  # 5: duplicate id
        f"C-4,d@example.com,Dora,en,,{future},,,\n"  # 6: date in the future
        "C-5,e@example.com,Emil,en,,2024-05-01,2024-04-01,,\n"  # 7: churned before acquired
        "C-6,f@example.com,Fritz,en,Nobody,,,,\n"  # 8: unknown persona
        "C-7,g@example.com,Gina,fr,,,,,\n"  # 9: bad language
        "C-8,h@example.com,Hugo,en,,,,,,surplus\n"  # 10: more cells than columns
        "C-9,i@example.com,Ida updated,en,,,,,\n"  # 11: valid, update
    )


# --- parsing -------------------------------------------------------------------------------------


def test_parse_reads_a_bom_semicolons_and_attribute_columns():
    raw = "\ufeffexternal_id;Name;attr:segment;attr:region\nC-1;Anna;retail;south\nC-2;Bert;;north\n\n".encode()

    file_errors, rows = customer_csv_parse(raw)

    assert file_errors == []
    assert [r["data"] for r in rows] == [
        {"external_id": "C-1", "name": "Anna", "attributes": {"segment": "retail", "region": "south"}},
        {"external_id": "C-2", "name": "Bert", "attributes": {"region": "north"}},
    ]
    assert [r["line"] for r in rows] == [2, 3]


def test_parse_reads_windows_1252():
    _errors, rows = customer_csv_parse("external_id,name\nC-1,Jürgen Müller\n".encode("cp1252"))

    assert rows[0]["data"]["name"] == "Jürgen Müller"


def test_unknown_columns_are_one_file_error():
    file_errors, rows = customer_csv_parse(b"external_id,phone,fax,name\nC-1,1,2,Anna\nC-2,3,4,Bert\n")

    assert len(file_errors) == 1
    assert "Unknown column(s): phone, fax." in file_errors[0]
    assert rows[0]["data"] == {"external_id": "C-1", "name": "Anna"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"name,email\nAnna,a@example.com\n", "external_id column"),
        (b"\x00\x01\x02\x00binary", "not a CSV"),
    ],
)
def test_files_that_cannot_be_previewed_are_refused(raw, message):
    with pytest.raises(ValidationError) as exc:
        customer_csv_parse(raw)

    assert message in exc.value.messages[0]


def test_more_than_10000_rows_is_refused():
    raw = ("external_id\n" + "".join(f"C-{i}\n" for i in range(10_001))).encode()

    with pytest.raises(ValidationError) as exc:
        customer_csv_parse(raw)

    assert "more than 10,000 rows" in exc.value.messages[0]


def test_a_file_over_5_mb_is_refused_and_nothing_is_staged(manager, var_dir):
    big = csv_file("external_id,name\n" + "C-1," + "x" * (5 * 1024 * 1024) + "\n")

    with pytest.raises(ValidationError):
        services.customer_import_stage(upload=big, by=manager)

    assert staged(var_dir) == []


# --- preview -------------------------------------------------------------------------------------


def test_preview_shows_each_kind_of_error_on_its_row_and_the_counts(manager):
    PersonaFactory(name="IT lead")
    CustomerFactory(external_id="C-9", name="Ida")

    token = services.customer_import_stage(upload=csv_file(bad_rows_csv()), by=manager)
    preview = services.customer_import_preview(token=token, by=manager)

    by_line = {row["line"]: row for row in preview.rows}
    assert by_line[2]["action"] == "new" and by_line[2]["errors"] == {}
    assert "email" in by_line[3]["errors"]
    assert "appears 2 times" in by_line[4]["errors"]["external_id"][0]
    assert "appears 2 times" in by_line[5]["errors"]["external_id"][0]
    assert "in the future" in by_line[6]["errors"]["acquired_at"][0]
    assert "before acquired" in by_line[7]["errors"]["churned_at"][0]
    assert by_line[8]["errors"]["persona"] == ["Unknown persona “Nobody”."]
    assert "Unknown language" in by_line[9]["errors"]["language"][0]
    assert "more cells" in by_line[10]["errors"]["non_field_errors"][0]
    assert by_line[11]["action"] == "update"
    assert preview.counts == {"new": 1, "update": 1, "invalid": 8}
    assert preview.can_confirm
    assert not Customer.objects.exclude(external_id="C-9").exists()


def test_preview_page_lists_rows_with_errors_escaped(client, manager):
    client.force_login(manager)
    text = "external_id,name,email\nC-1,<script>alert(1)</script>,bad\n"

    response = client.post(reverse("journeys:customer_import"), {"file": csv_file(text)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "Enter a valid email address." in page
    assert "0</strong> new" in page and "1</strong> invalid" in page


def test_preview_with_unknown_columns_offers_no_confirm_and_confirm_is_refused(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("journeys:customer_import"), {"file": csv_file("external_id,phone\nC-1,123\n")}, follow=True
    )
    token = response.context["preview"].token

    assert "Unknown column(s): phone" in response.content.decode()
    assert "Import 1 valid row" not in response.content.decode()
    with pytest.raises(ApplicationError):
        services.customer_import_confirm(token=token, by=manager)
    assert not Customer.objects.exists()


# --- confirm and cancel --------------------------------------------------------------------------


def test_confirm_imports_only_the_valid_rows_in_one_go(client, manager, var_dir, django_capture_on_commit_callbacks):
    PersonaFactory(name="IT lead")
    CustomerFactory(external_id="C-9", name="Ida")
    client.force_login(manager)
    token = services.customer_import_stage(upload=csv_file(bad_rows_csv()), by=manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("journeys:customer_import_confirm", args=[token]), follow=True)

    assert "Imported: 1 new, 1 updated, 8 invalid rows skipped." in response.content.decode()
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["C-1", "C-9"]
    anna = Customer.objects.get(external_id="C-1")
    assert (anna.email, anna.language, anna.persona.name) == ("anna@example.com", "de", "IT lead")
    assert anna.acquired_at == datetime(2024, 1, 15, tzinfo=BERLIN)
    assert anna.attributes == {"segment": "mid_market"}
    assert Customer.objects.get(external_id="C-9").name == "Ida updated"
    assert staged(var_dir) == []


def test_confirm_reports_the_lines_it_skipped(manager):
    token = services.customer_import_stage(
        upload=csv_file("external_id,email\nC-1,a@example.com\nC-2,bad\nC-3,c@example.com,extra\n"), by=manager
    )

    result = services.customer_import_confirm(token=token, by=manager)

    assert (result.created, result.updated) == (1, 0)
    assert sorted(e["line"] for e in result.errors) == [3, 4]


def test_cancel_imports_nothing_and_forgets_the_upload(client, manager, var_dir):
    client.force_login(manager)
    token = services.customer_import_stage(upload=csv_file("external_id\nC-1\n"), by=manager)

    response = client.post(reverse("journeys:customer_import_cancel", args=[token]), follow=True)

    assert "nothing was imported" in response.content.decode()
    assert not Customer.objects.exists()
    assert staged(var_dir) == []
    assert client.post(reverse("journeys:customer_import_confirm", args=[token])).status_code == 302
    assert not Customer.objects.exists()


def test_a_token_is_usable_once(manager, django_capture_on_commit_callbacks):
    token = services.customer_import_stage(upload=csv_file("external_id\nC-1\n"), by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_import_confirm(token=token, by=manager)

    with pytest.raises(ApplicationError):
        services.customer_import_confirm(token=token, by=manager)


@pytest.mark.parametrize("token", ["../../etc/passwd", "x" * 43, "", "abc"])
def test_a_tampered_token_is_refused(client, manager, token):
    services.customer_import_stage(upload=csv_file("external_id\nC-1\n"), by=manager)

    with pytest.raises(ApplicationError):
        services.customer_import_confirm(token=token, by=manager)
    assert not Customer.objects.exists()


def test_tampered_token_in_the_url_redirects_with_a_message(client, manager):
    client.force_login(manager)

    response = client.post(reverse("journeys:customer_import_confirm", args=["A" * 43]), follow=True)

    assert "does not exist or has expired" in response.content.decode()
    assert not Customer.objects.exists()


def test_an_expired_import_is_refused(manager, var_dir):
    token = services.customer_import_stage(upload=csv_file("external_id\nC-1\n"), by=manager)
    path = var_dir / "imports" / f"{token}.json"
    payload = json.loads(path.read_text())
    payload["created"] = time.time() - 2 * 3600
    path.write_text(json.dumps(payload))

    with pytest.raises(ApplicationError):
        services.customer_import_preview(token=token, by=manager)
    assert not path.exists()


def test_another_users_import_is_refused(manager, django_user_model):
    token = services.customer_import_stage(upload=csv_file("external_id\nC-1\n"), by=manager)
    other = django_user_model.objects.create_user("other-manager")

    with pytest.raises(ApplicationError):
        services.customer_import_confirm(token=token, by=other)
    assert not Customer.objects.exists()


def test_old_staged_imports_are_swept(manager, var_dir):
    old = services.customer_import_stage(upload=csv_file("external_id\nC-1\n"), by=manager)
    old_path = var_dir / "imports" / f"{old}.json"
    os.utime(old_path, (time.time() - 3 * 3600, time.time() - 3 * 3600))

    services.customer_import_stage(upload=csv_file("external_id\nC-2\n"), by=manager)

    assert not old_path.exists()


def test_members_cannot_use_the_import(client, sales_member, manager):
    token = services.customer_import_stage(upload=csv_file("external_id\nC-1\n"), by=manager)
    client.force_login(sales_member)

    assert client.post(reverse("journeys:customer_import"), {"file": csv_file("external_id\nC-2\n")}).status_code == 403
    assert client.post(reverse("journeys:customer_import_confirm", args=[token])).status_code == 403
    assert not Customer.objects.exists()

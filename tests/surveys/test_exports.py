"""Exports of responses: one row per response, neutralised cells (headers too), BOM, ISO times, XLSX."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from cxportal.exports import neutralise_cell
from surveys import exports
from surveys.models import Answer
from surveys.services import response_submit, survey_create
from tests.journeys.factories import CustomerFactory, TouchpointFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
EXPORTS = "/api/v1/responses/export/"


@pytest.fixture
def export_survey():
    return survey_create(
        title='=HYPERLINK("http://evil")',
        touchpoint=TouchpointFactory(name="@Store"),
        questions=[
            {"kind": "nps", "text": "How likely …?"},
            {
                "kind": "multiple_choice",
                "text": "+What did you use?",
                "choices": ["App", "-Shop", "Phone"],
                "required": False,
            },
            {"kind": "long_text", "text": "-Why?", "required": False},
        ],
    )


def submit(survey, score, *, text="", choices=(), customer=None, at=datetime(2026, 3, 2, 9, 30, tzinfo=BERLIN)):
    q = {q.kind: q for q in survey.questions.all()}
    answers = [{"question": q["nps"].pk, "value": score}]
    if text:
        answers.append({"question": q["long_text"].pk, "text": text})
    if choices:
        answers.append({"question": q["multiple_choice"].pk, "choices": list(choices)})
    return response_submit(survey=survey, answers=answers, customer=customer, submitted_at=at)


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel reads umlauts right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 170", "'+49 170"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (7, 7),
        (None, None),
    ],
)
def test_neutralise_cell_prefixes_only_text_that_could_be_a_formula(value, expected):
    assert neutralise_cell(value) == expected


class TestCsv:
    def test_one_row_per_response_with_a_column_per_question(self, client, manager, export_survey):
        customer = CustomerFactory(external_id="C-1")
        submit(export_survey, 9, text="Schnelle Lieferung, schön", choices=["App", "Phone"], customer=customer)
        submit(export_survey, 3)
        client.force_login(manager)

        download = client.get(reverse("surveys:response_export", args=["csv"]))

        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")
        assert "attachment" in download["Content-Disposition"]
        header, *rows = csv_rows(b"".join(download.streaming_content))
        assert header[:6] == ["Response ID", "Survey", "Touchpoint", "Submitted at", "Source", "Customer external ID"]
        assert header[6:] == ["How likely …?", "'+What did you use?", "'-Why?"]
        assert len(rows) == 2
        by_score = {row[6]: row for row in rows}
        assert by_score["9"][7:] == ["App; Phone", "Schnelle Lieferung, schön"]
        assert by_score["9"][5] == "C-1"
        assert by_score["3"][7:] == ["", ""]

    def test_cells_and_headers_that_could_be_formulas_are_neutralised(self, client, manager, export_survey):
        submit(export_survey, 0, text="=cmd|' /C calc'!A0", choices=["-Shop"])
        submit(export_survey, 1, text="@SUM(1+1)")
        tabbed = submit(export_survey, 2, text="placeholder")
        # The respondent form trims text; data from elsewhere (imports, admin) may still start with a tab or CR.
        Answer.objects.filter(response=tabbed, question__kind="long_text").update(text="\t=1+1")
        client.force_login(manager)

        header, *rows = csv_rows(
            b"".join(client.get(reverse("surveys:response_export", args=["csv"])).streaming_content)
        )

        assert header[6:] == ["How likely …?", "'+What did you use?", "'-Why?"]
        texts = sorted(row[8] for row in rows)
        assert texts == sorted(["'=cmd|' /C calc'!A0", "'@SUM(1+1)", "'\t=1+1"])
        assert {row[1] for row in rows} == {'\'=HYPERLINK("http://evil")'}
        assert {row[2] for row in rows} == {"'@Store"}
        assert "'-Shop" in {row[7] for row in rows}
        for row in [header, *rows]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell

    def test_submitted_at_is_iso_8601_with_the_site_offset(self, client, manager, export_survey):
        submit(export_survey, 9, at=datetime(2026, 3, 2, 9, 30, tzinfo=BERLIN))  # winter: +01:00
        submit(export_survey, 8, at=datetime(2026, 7, 2, 9, 30, tzinfo=BERLIN))  # summer: +02:00
        client.force_login(manager)

        _header, *rows = csv_rows(
            b"".join(client.get(reverse("surveys:response_export", args=["csv"])).streaming_content)
        )

        assert sorted(row[3] for row in rows) == ["2026-03-02T09:30:00+01:00", "2026-07-02T09:30:00+02:00"]

    def test_anonymous_survey_leaves_the_customer_blank(self, client, manager, export_survey):
        export_survey.anonymous = True
        export_survey.save(update_fields=["anonymous"])
        submit(export_survey, 9, customer=CustomerFactory(external_id="C-SECRET"))
        client.force_login(manager)

        body = b"".join(client.get(reverse("surveys:response_export", args=["csv"])).streaming_content)

        assert b"C-SECRET" not in body
        assert csv_rows(body)[1][5] == ""

    def test_export_respects_the_list_filters(self, client, manager, export_survey):
        submit(export_survey, 2)
        submit(export_survey, 10)
        client.force_login(manager)

        download = client.get(reverse("surveys:response_export", args=["csv"]), {"band": "promoter"})

        _header, *rows = csv_rows(b"".join(download.streaming_content))
        assert [row[6] for row in rows] == ["10"]

    def test_export_reads_in_chunks_with_constant_queries_per_chunk(
        self, client, manager, export_survey, monkeypatch, django_assert_max_num_queries
    ):
        monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 5)
        for i in range(23):
            submit(export_survey, i % 11, text=f"t{i}", customer=CustomerFactory())
        client.force_login(manager)

        # session/user + questions + per chunk (5 of 23 → 5 chunks): responses and their answers.
        with django_assert_max_num_queries(4 + 2 * 5):
            rows = csv_rows(b"".join(client.get(reverse("surveys:response_export", args=["csv"])).streaming_content))
        assert len(rows) == 24

    def test_unknown_format_is_404(self, client, manager):
        client.force_login(manager)
        assert client.get(reverse("surveys:response_export", args=["pdf"])).status_code == 404


class TestXlsx:
    def test_xlsx_opens_with_openpyxl_and_has_the_same_neutralised_cells(self, client, manager, export_survey):
        submit(export_survey, 9, text="=1+1", choices=["-Shop"], customer=CustomerFactory(external_id="C-9"))
        submit(export_survey, 4, text="ok\x01=cmd")  # a control character XLSX cannot hold is dropped
        client.force_login(manager)

        csv_body = b"".join(client.get(reverse("surveys:response_export", args=["csv"])).streaming_content)
        download = client.get(reverse("surveys:response_export", args=["xlsx"]))

        assert download.status_code == 200
        assert download["Content-Type"] == exports.XLSX_CONTENT_TYPE
        book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
        sheet = book.active
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert values[0] == csv_rows(csv_body)[0]
        assert sorted(values[1:]) == sorted([[c.replace("\x01", "") for c in row] for row in csv_rows(csv_body)[1:]])
        # No cell is a formula.
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        assert any(v == "'=1+1" for row in values for v in row)


class TestApi:
    def test_csv_export_with_a_read_scope(self, api_client_for, export_survey):
        submit(export_survey, 9, text="-minus")
        other = survey_create(title="Other", questions=[{"kind": "csat", "text": "Ok?"}])
        response_submit(survey=other, answers=[{"question": other.questions.get().pk, "value": 4}])

        download = api_client_for(["surveys:read"]).get(EXPORTS, {"format": "csv", "survey": export_survey.pk})

        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")
        header, *rows = csv_rows(b"".join(download.streaming_content))
        assert len(rows) == 1
        assert rows[0][8] == "'-minus"

    def test_xlsx_export_via_api(self, api_client, export_survey):
        submit(export_survey, 9)

        download = api_client.get(EXPORTS, {"format": "xlsx"})

        assert download.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
        assert book.active.max_row == 2

    def test_bad_filters_are_400_with_field_errors(self, api_client):
        response = api_client.get(EXPORTS, {"format": "pdf", "band": "great"})

        assert response.status_code == 400
        assert set(response.json()) == {"format", "band"}

    def test_key_without_surveys_scope_is_refused(self, api_client_for):
        assert api_client_for(["journeys:read"]).get(EXPORTS).status_code == 403

    def test_department_member_is_refused(self, client, sales_member):
        client.force_login(sales_member)
        assert client.get(EXPORTS).status_code == 403

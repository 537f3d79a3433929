"""Export (JSON, CSV), import and the print view of journey maps."""

import copy
import csv
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journeys import selectors, services
from journeys.models import JourneyMap, MapChange, PainPoint, Stage, Touchpoint
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory
from tests.journeys.rich_map import rich_map

pytestmark = pytest.mark.django_db


def _export(journey_map) -> dict:
    return services.journey_map_export(journey_map=selectors.journey_map_full(map_id=journey_map.pk))


def _comparable(document: dict) -> dict:
    """The document without what an import may change: the map's name and the export time."""
    document = copy.deepcopy(document)
    document.pop("exported_at")
    document["map"].pop("name")
    return document


def _counts():
    return JourneyMap.objects.count(), Stage.objects.count(), Touchpoint.objects.count(), PainPoint.objects.count()


class TestJsonExport:
    def test_document_is_versioned_and_references_by_position_not_id(self):
        journey_map = rich_map()

        document = _export(journey_map)

        assert (document["format"], document["version"]) == ("cxportal.journey_map", 1)
        assert document["map"]["kind"] == "current_state"
        assert document["personas"] == ["Head of production"]
        assert [s["name"] for s in document["stages"]] == ["Need recognition", "Überlegung & Angebot"]
        assert document["stages"][1]["touchpoints"][0]["emotion_score"] == -2
        quote = next(p for p in document["pain_points"] if p["title"] == "Quote takes two weeks")
        assert (quote["stage"], quote["touchpoint"]) == (1, {"stage": 1, "index": 0})
        backstage = next(lane for lane in document["lanes"] if lane["kind"] == "backstage")
        assert backstage["cells"] == {"1": "Sales engineer prepares the quote"}
        assert "id" not in json.dumps(document["stages"])

    def test_export_page_and_api_give_the_document(self, client, sales_member, api_client_for):
        journey_map = rich_map()
        client.force_login(sales_member)

        page = client.get(reverse("journeys:map_export_json", args=[journey_map.pk]))
        api = api_client_for(["journeys:read"]).get(f"/api/v1/journey-maps/{journey_map.pk}/export/")

        assert page.status_code == api.status_code == 200
        assert page["Content-Disposition"].startswith("attachment;")
        assert _comparable(json.loads(page.content)) == _comparable(api.json()) == _comparable(_export(journey_map))

    def test_html_in_texts_stays_data_in_the_json(self, client, manager):
        journey_map = JourneyMapFactory(name="<script>alert(1)</script>")
        client.force_login(manager)

        response = client.get(reverse("journeys:map_export_json", args=[journey_map.pk]))

        assert response["Content-Type"].startswith("application/json")
        assert json.loads(response.content)["map"]["name"] == "<script>alert(1)</script>"


class TestRoundTrip:
    def test_export_import_export_gives_the_same_document(self, manager):
        original = _export(rich_map())

        result = services.journey_map_import(document=original, by=manager, name="Imported copy")

        assert result.warnings == []
        assert result.journey_map.name == "Imported copy"
        assert _comparable(_export(result.journey_map)) == _comparable(original)

    def test_import_through_the_upload_page_round_trips(self, client, manager):
        original = _export(rich_map())
        client.force_login(manager)
        upload = SimpleUploadedFile("map.json", json.dumps(original).encode(), content_type="application/json")

        response = client.post(reverse("journeys:map_import"), {"file": upload, "name": ""})

        imported = JourneyMap.objects.latest("id")
        assert response.status_code == 302
        assert response["Location"] == reverse("journeys:map_detail", args=[imported.pk])
        assert imported.name == "Machine purchase" and imported.owner == manager
        assert _comparable(_export(imported)) == _comparable(original)

    def test_import_through_the_api_round_trips(self, api_client):
        original = _export(rich_map())

        response = api_client.post("/api/v1/journey-maps/import/", original, format="json")

        assert response.status_code == 201
        assert response.json()["warnings"] == []
        imported = JourneyMap.objects.get(pk=response.json()["id"])
        assert _comparable(_export(imported)) == _comparable(original)

    def test_import_records_history(self, manager):
        result = services.journey_map_import(document=_export(rich_map()), by=manager)

        entry = MapChange.objects.get(journey_map=result.journey_map)
        assert (entry.action, entry.user) == ("imported", manager)
        assert "2 stages, 3 touchpoints" in entry.summary

    def test_unknown_persona_is_a_warning_and_skipped(self, manager):
        document = _export(rich_map())
        document["personas"].append("Nobody we know")

        result = services.journey_map_import(document=document, by=manager)

        assert result.warnings == ["personas[1]: no persona named “Nobody we know”; the map was imported without it"]
        assert [p.name for p in result.journey_map.personas.all()] == ["Head of production"]

    def test_document_without_lanes_gets_the_default_lanes(self, manager):
        document = _export(rich_map())
        del document["lanes"]

        result = services.journey_map_import(document=document, by=manager)

        assert result.journey_map.lanes.filter(kind="touchpoints").exists()


def _bad(mutate):
    def build():
        document = _export(rich_map())
        mutate(document)
        return document

    return build


BAD_DOCUMENTS = [
    ("unknown format", _bad(lambda d: d.update(format="miro.board")), "format", "must be"),
    ("unknown version", _bad(lambda d: d.update(version=2)), "version", "unsupported version 2"),
    ("missing map", _bad(lambda d: d.pop("map")), "map", "is required"),
    ("missing map name", _bad(lambda d: d["map"].pop("name")), "map.name", "is required"),
    ("bad kind", _bad(lambda d: d["map"].update(kind="whiteboard")), "map.kind", "unknown value"),
    (
        "bad channel",
        _bad(lambda d: d["stages"][0]["touchpoints"][0].update(channel="pigeon")),
        "stages[0].touchpoints[0].channel",
        "unknown value",
    ),
    (
        "emotion 7",
        _bad(lambda d: d["stages"][1]["touchpoints"][0].update(emotion_score=7)),
        "stages[1].touchpoints[0].emotion_score",
        "must be between −3 and 3",
    ),
    (
        "emotion as text",
        _bad(lambda d: d["stages"][1]["touchpoints"][0].update(emotion_score="-2")),
        "stages[1].touchpoints[0].emotion_score",
        "must be a whole number",
    ),
    (
        "severity 9",
        _bad(lambda d: d["pain_points"][0].update(severity=9)),
        "pain_points[0].severity",
        "between 1 and 5",
    ),
    ("missing stage", _bad(lambda d: d["pain_points"][0].update(stage=5)), "pain_points[0].stage", "refers to stage 5"),
    (
        "missing touchpoint",
        _bad(lambda d: d["opportunities"][0].update(touchpoint={"stage": 0, "index": 9})),
        "opportunities[0].touchpoint.index",
        "refers to touchpoint 9",
    ),
    (
        "cell of a missing stage",
        _bad(lambda d: d["lanes"][0]["cells"].update({"4": "x"})),
        "lanes[0].cells.4",
        "refers to stage 4",
    ),
    (
        "name too long",
        _bad(lambda d: d["stages"][0].update(name="x" * 121)),
        "stages[0].name",
        "at most 120 characters (has 121)",
    ),
    ("stages not a list", _bad(lambda d: d.update(stages={"a": 1})), "stages", "must be a list"),
    ("missing stages", _bad(lambda d: d.pop("stages")), "stages", "is required"),
    (
        "cell key not a number",
        _bad(lambda d: d["lanes"][0]["cells"].update({"²": "x"})),
        "lanes[0].cells.²",
        "must be a whole number",
    ),
    (
        "flag not a boolean",
        _bad(lambda d: d["stages"][0]["touchpoints"][0].update(is_digital="yes")),
        "stages[0].touchpoints[0].is_digital",
        "must be true or false",
    ),
]


class TestImportValidation:
    @pytest.mark.parametrize(
        ("build", "path", "message"), [b[1:] for b in BAD_DOCUMENTS], ids=[b[0] for b in BAD_DOCUMENTS]
    )
    def test_bad_document_is_refused_with_the_path_of_the_problem(self, manager, build, path, message):
        document = build()
        before = _counts()

        with pytest.raises(ValidationError) as error:
            services.journey_map_import(document=document, by=manager)

        assert path in error.value.message_dict
        assert any(message in m for m in error.value.message_dict[path]), error.value.message_dict
        assert _counts() == before

    def test_every_problem_is_reported_at_once(self, manager):
        document = _export(rich_map())
        document["map"]["kind"] = "whiteboard"
        document["stages"][1]["touchpoints"][0]["emotion_score"] = 7
        document["stages"][0]["touchpoints"][1]["channel"] = "pigeon"
        document["pain_points"][1]["severity"] = 0

        with pytest.raises(ValidationError) as error:
            services.journey_map_import(document=document, by=manager)

        assert set(error.value.message_dict) == {
            "map.kind",
            "stages[1].touchpoints[0].emotion_score",
            "stages[0].touchpoints[1].channel",
            "pain_points[1].severity",
        }
        assert "stages[1].touchpoints[0].emotion_score: must be between −3 and 3" in (
            services.exchange.validation_messages(error.value)
        )

    def test_upload_page_lists_every_problem_and_creates_nothing(self, client, manager):
        document = _export(rich_map())
        document["stages"][1]["touchpoints"][0]["emotion_score"] = 7
        document["stages"][0]["name"] = "<script>alert(1)</script>" + "x" * 200
        client.force_login(manager)
        before = _counts()

        response = client.post(
            reverse("journeys:map_import"),
            {"file": SimpleUploadedFile("map.json", json.dumps(document).encode())},
        )

        page = response.content.decode()
        assert response.status_code == 200
        assert "2 problems" in page
        assert "stages[1].touchpoints[0].emotion_score: must be between −3 and 3" in page
        assert "stages[0].name: must be at most 120 characters" in page
        assert _counts() == before

    def test_upload_that_is_not_json_is_refused_on_the_file_field(self, client, manager):
        client.force_login(manager)

        response = client.post(reverse("journeys:map_import"), {"file": SimpleUploadedFile("map.json", b"{nope")})

        assert "not valid JSON (line 1, column 2" in response.content.decode()
        assert JourneyMap.objects.count() == 0

    def test_oversized_upload_is_refused(self, client, manager):
        client.force_login(manager)
        big = SimpleUploadedFile("map.json", b" " * (2 * 1024 * 1024 + 1) + b"{}")

        response = client.post(reverse("journeys:map_import"), {"file": big})

        assert response.status_code == 200
        assert "larger than 2 MB" in response.content.decode()
        assert JourneyMap.objects.count() == 0

    def test_oversized_api_body_is_a_400(self, api_client):
        document = _export(rich_map())
        document["map"]["goal"] = "x" * (2 * 1024 * 1024)
        before = _counts()

        response = api_client.post("/api/v1/journey-maps/import/", document, format="json")

        assert response.status_code == 400
        assert "larger than 2 MB" in response.json()["file"][0]
        assert _counts() == before

    def test_api_body_that_is_not_an_object_is_a_400(self, api_client):
        response = api_client.post("/api/v1/journey-maps/import/", [1, 2], format="json")

        assert response.status_code == 400
        assert response.json() == {"file": ["The document must be a JSON object."]}

    def test_api_reports_problems_by_path(self, api_client):
        document = _export(rich_map())
        document["stages"][1]["touchpoints"][0]["emotion_score"] = 7

        response = api_client.post("/api/v1/journey-maps/import/", document, format="json")

        assert response.status_code == 400
        assert response.json() == {"stages[1].touchpoints[0].emotion_score": ["must be between −3 and 3"]}


class TestImportPermissions:
    def test_department_member_may_not_import(self, client, sales_member):
        client.force_login(sales_member)

        assert client.get(reverse("journeys:map_import")).status_code == 403
        response = client.post(reverse("journeys:map_import"), {"file": SimpleUploadedFile("m.json", b"{}")})
        assert response.status_code == 403

    def test_read_only_api_key_may_not_import(self, api_client_for):
        document = _export(rich_map())

        response = api_client_for(["journeys:read"]).post("/api/v1/journey-maps/import/", document, format="json")

        assert response.status_code == 403
        assert JourneyMap.objects.count() == 1

    def test_import_page_has_a_labelled_file_field(self, client, manager):
        client.force_login(manager)

        page = client.get(reverse("journeys:map_import")).content.decode()

        assert 'for="id_file"' in page and "Journey map file (JSON)" in page


class TestCsvExport:
    def _rows(self, response) -> list[list[str]]:
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    def test_one_row_per_touchpoint_with_a_bom_for_excel(self, client, sales_member):
        journey_map = rich_map()
        client.force_login(sales_member)

        response = client.get(reverse("journeys:map_export_csv", args=[journey_map.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith(b"\xef\xbb\xbf")
        header, *rows = self._rows(response)
        assert header[:5] == ["map", "stage position", "stage", "touchpoint position", "touchpoint"]
        assert [r[4] for r in rows] == ["Trade fair", "Review portal", "Quote call"]
        quote = rows[2]
        assert quote[1:3] == ["2", "Überlegung & Angebot"]
        assert quote[5:] == [
            "Phone",
            "direct",
            "two-way",
            "digital",
            "-2",
            "annoyed",
            "yes",
            "Asks for a quote",
            "Why does this take two weeks?",
            "1",
        ]
        assert rows[1][6] == "indirect" and rows[0][8] == "physical"

    def test_formula_like_cells_are_neutralised(self, client, manager):
        journey_map = JourneyMapFactory(name="@SUM(A1)")
        stage = StageFactory(journey_map=journey_map, name="\tTabbed")
        for i, name in enumerate(['=HYPERLINK("http://x")', "+1", "-2", "@cmd", "\rcarriage", "plain"]):
            TouchpointFactory(stage=stage, name=name, thoughts="=1+1" if i == 0 else "", position=i)
        client.force_login(manager)

        _, *rows = self._rows(client.get(reverse("journeys:map_export_csv", args=[journey_map.pk])))

        assert [r[4] for r in rows] == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@cmd", "'\rcarriage", "plain"]
        assert {r[0] for r in rows} == {"'@SUM(A1)"} and {r[2] for r in rows} == {"'\tTabbed"}
        assert rows[0][13] == "'=1+1"

    def test_header_cells_are_neutralised_too(self):
        assert services.exchange.csv_neutralise("=cmd") == "'=cmd"
        assert all(not str(services.exchange.csv_neutralise(h)).startswith("=") for h in services.exchange.CSV_HEADER)
        assert services.exchange.csv_neutralise(-2) == -2  # a number the export writes is not a formula


class TestPrintView:
    def test_print_page_shows_the_map_across_stages_with_legend_and_no_navigation(self, client, sales_member):
        journey_map = rich_map()
        client.force_login(sales_member)

        response = client.get(reverse("journeys:map_print", args=[journey_map.pk]))

        page = response.content.decode()
        assert response.status_code == 200
        assert "journeys/print.css" in page
        assert 'class="navbar' not in page
        assert page.index("1. Need recognition") < page.index("2. Überlegung &amp; Angebot")
        for text in [
            "Trade fair",
            "Visits the booth",
            "Why does this take two weeks?",
            "Quote takes two weeks",
            "Live demo at the booth",
            "Sales engineer prepares the quote",
            "line of visibility",
            "Legend:",
            "One contact person",  # a map-wide opportunity
        ]:
            assert text in page, text
        assert "Hidden notes" not in page
        assert ">-2</text>" in page and ">+1</text>" in page

    def test_print_stylesheet_is_landscape_a4(self, client):
        from django.contrib.staticfiles import finders

        css = Path(finders.find("journeys/print.css")).read_text(encoding="utf-8")

        assert "@page { size: A4 landscape; margin: 10mm; }" in css

    def test_print_page_escapes_html(self, client, manager):
        journey_map = JourneyMapFactory(name="<script>alert('map')</script>")
        stage = StageFactory(journey_map=journey_map, name="<b>stage</b>")
        TouchpointFactory(stage=stage, name="<img src=x onerror=alert(1)>", emotion_score=1, thoughts="<i>hm</i>")
        PainPoint.objects.create(journey_map=journey_map, stage=stage, title="<svg onload=alert(2)>")
        client.force_login(manager)

        page = client.get(reverse("journeys:map_print", args=[journey_map.pk])).content.decode()

        for raw in ["<script>alert('map')", "<b>stage</b>", "<img src=x", "<i>hm</i>", "<svg onload"]:
            assert raw not in page, raw
        assert "&lt;img src=x onerror=alert(1)&gt;" in page

    def test_print_needs_a_role(self, client, django_user_model):
        journey_map = JourneyMapFactory()
        client.force_login(django_user_model.objects.create_user("nobody", password="x"))

        assert client.get(reverse("journeys:map_print", args=[journey_map.pk])).status_code == 403


class TestPrintSeveralMaps:
    def test_ticked_maps_print_in_the_chosen_order_one_sheet_each(self, client, sales_member):
        first, second = JourneyMapFactory(name="Onboarding"), JourneyMapFactory(name="Renewal")
        StageFactory(journey_map=first, name="Kick-off")
        StageFactory(journey_map=second, name="Contract review")
        client.force_login(sales_member)

        response = client.get(reverse("journeys:maps_print"), {"map": [second.pk, first.pk]})

        page = response.content.decode()
        assert response.status_code == 200
        assert page.count('class="print-map') == 2
        assert page.index("Contract review") < page.index("Kick-off")
        assert "Back to the journey maps" in page

    def test_the_map_list_offers_printing_the_ticked_maps(self, client, manager):
        journey_map = JourneyMapFactory(name="Onboarding")
        client.force_login(manager)

        page = client.get(reverse("journeys:map_list")).content.decode()

        assert f'action="{reverse("journeys:maps_print")}"' in page
        assert f'name="map" value="{journey_map.pk}"' in page

    def test_nothing_ticked_returns_to_the_list_with_a_message(self, client, manager):
        client.force_login(manager)

        response = client.get(reverse("journeys:maps_print"), follow=True)

        assert response.redirect_chain[-1][0] == reverse("journeys:map_list")
        assert "Tick the maps to print first." in response.content.decode()

    @pytest.mark.parametrize("value", ["abc", "1.5", ""])
    def test_a_malformed_id_is_refused_with_a_message(self, client, manager, value):
        client.force_login(manager)

        response = client.get(reverse("journeys:maps_print"), {"map": value}, follow=True)

        assert "must be given by their ids" in response.content.decode()

    def test_a_missing_map_is_a_404_naming_it(self, client, manager):
        journey_map = JourneyMapFactory()
        client.force_login(manager)

        response = client.get(reverse("journeys:maps_print"), {"map": [journey_map.pk, 999999]})

        assert response.status_code == 404

    def test_printing_many_maps_takes_the_same_queries_as_printing_two(
        self, client, manager, django_assert_max_num_queries
    ):
        def a_map():
            journey_map = JourneyMapFactory()
            for _ in range(3):
                stage = StageFactory(journey_map=journey_map)
                TouchpointFactory(stage=stage, emotion_score=1)
                PainPoint.objects.create(journey_map=journey_map, stage=stage, title="Slow")
            return journey_map

        maps = [a_map() for _ in range(2)]
        client.force_login(manager)
        with CaptureQueriesContext(connection) as two:
            client.get(reverse("journeys:maps_print"), {"map": [m.pk for m in maps]})
        maps += [a_map() for _ in range(4)]

        with django_assert_max_num_queries(len(two.captured_queries)):
            response = client.get(reverse("journeys:maps_print"), {"map": [m.pk for m in maps]})

        assert response.content.decode().count('class="print-map') == 6

    def test_printing_needs_a_role(self, client, django_user_model):
        journey_map = JourneyMapFactory()
        client.force_login(django_user_model.objects.create_user("nobody", password="x"))

        assert client.get(reverse("journeys:maps_print"), {"map": journey_map.pk}).status_code == 403

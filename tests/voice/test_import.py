"""The CSV import of tickets and reviews: preview with per-row errors, confirm stores the valid rows only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from voice import tasks  # noqa: F401 - registers voice.import_feedback, as in the worker
from voice.models import AnalysisRun, FeedbackItem

pytestmark = pytest.mark.django_db

CSV = (
    "external_id;text;source;language\n"
    "zd-1;Die Ersatzteile kamen zu spät;ticket;de\n"
    "zd-2;;ticket;\n"
    "rv-1;Great service, thank you;review;\n"
).encode("cp1252")


def _stage(client, content=CSV):
    return client.post(reverse("voice:import"), {"file": SimpleUploadedFile("export.csv", content, "text/csv")})


def test_preview_then_confirm_stores_the_valid_rows_in_the_worker(
    manager_client, var_dir, django_capture_on_commit_callbacks
):
    response = _stage(manager_client)
    assert response.status_code == 302
    preview = manager_client.get(response["Location"])
    assert preview.context["preview"].counts == {"new": 2, "update": 0, "invalid": 1}
    assert not FeedbackItem.objects.exists()  # the preview stores nothing
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        confirmed = manager_client.post(reverse("voice:import_confirm", args=[token]))
    run = AnalysisRun.objects.get(kind="import")
    assert confirmed["Location"] == reverse("voice:import_progress", args=[run.pk])
    waiting = manager_client.get(confirmed["Location"]).content.decode()
    assert "0 of 3 rows" in waiting and 'hx-trigger="every 2s"' in waiting  # the page polls while it waits
    assert not FeedbackItem.objects.exists()  # the request only queued it

    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()  # the worker
    assert sorted(FeedbackItem.objects.values_list("external_id", flat=True)) == ["rv-1", "zd-1"]
    assert FeedbackItem.objects.get(external_id="zd-1").text == "Die Ersatzteile kamen zu spät"
    done = manager_client.get(confirmed["Location"]).content.decode()
    assert "Imported 2 new and 0 updated items; 1 invalid rows skipped." in done and "every 2s" not in done


def test_a_large_import_reports_progress_per_chunk_and_a_repeat_stores_each_row_once(manager, var_dir, monkeypatch):
    from voice.services import feedback_import

    monkeypatch.setattr(feedback_import, "IMPORT_CHUNK", 2)
    lines = "".join(f"x-{i};Kommentar Nummer {i};ticket;de\n" for i in range(5))
    token = feedback_import.STAGING.stage(
        upload=SimpleUploadedFile("big.csv", ("external_id;text;source;language\n" + lines).encode(), "text/csv"),
        by=manager,
        parse=lambda raw: {"kind": "feedback", "rows": feedback_import.feedback_csv_parse(raw)},
    )
    run = AnalysisRun.objects.create(kind="import", total=5)
    progress, upsert = [], feedback_import.feedback_upsert

    def upsert_watched(**kwargs):  # what a polling page sees before each chunk is stored
        progress.append(AnalysisRun.objects.get(pk=run.pk).done)
        return upsert(**kwargs)

    monkeypatch.setattr(feedback_import, "feedback_upsert", upsert_watched)
    assert feedback_import.feedback_import_run(run=run, token=token, by=manager) == (5, 0, 0)
    run.refresh_from_db()
    assert progress == [0, 2, 4] and run.done == 5
    # Run again (a worker crash before the end: the staged file is still there): nothing doubles.
    token2 = feedback_import.STAGING.stage(
        upload=SimpleUploadedFile("big.csv", ("external_id;text;source;language\n" + lines).encode(), "text/csv"),
        by=manager,
        parse=lambda raw: {"kind": "feedback", "rows": feedback_import.feedback_csv_parse(raw)},
    )
    assert feedback_import.feedback_import_run(run=run, token=token2, by=manager) == (0, 5, 0)
    assert FeedbackItem.objects.count() == 5


def test_unknown_columns_are_refused_with_a_clear_error(manager_client, var_dir):
    response = _stage(manager_client, b"external_id,body\nx,y\n")
    assert response.status_code == 400
    assert "Unknown column(s): body" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_members_cannot_import(client, sales_member, var_dir):
    client.force_login(sales_member)
    assert _stage(client).status_code == 403

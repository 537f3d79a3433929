"""The thin slice end to end through the pages: map → ask → measure → act, with bad input refused on every form."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action
from journeys.models import JourneyMap, Stage, Touchpoint
from surveys.models import Answer, Response, Survey

pytestmark = pytest.mark.django_db


def _touchpoint_row(page: str, touchpoint_name: str) -> str:
    table = page.split('id="touchpoint-table"', 1)[1].split("</table>", 1)[0]
    rows = [row for row in re.findall(r"<tr>.*?</tr>", table, flags=re.S) if f"<td>{touchpoint_name}</td>" in row]
    assert len(rows) == 1, f"expected one dashboard row for {touchpoint_name!r}"
    return rows[0]


def test_cx_loop_from_map_to_done_action(client, manager, sales, sales_member, settings):
    settings.CX_MIN_SAMPLE_SIZE = 1
    client.force_login(manager)

    # --- Map: a journey map from the classic stages, with a touchpoint -------------------------------
    refused = client.post(
        reverse("journeys:map_create"), {"name": "", "kind": "current_state", "stage_template": "classic"}
    )
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert JourneyMap.objects.count() == 0

    created = client.post(
        reverse("journeys:map_create"),
        {"name": "Spare parts purchase", "kind": "current_state", "stage_template": "classic"},
    )
    assert created.status_code == 302
    journey_map = JourneyMap.objects.get()
    stages = list(journey_map.stages.order_by("position"))
    assert [s.name for s in stages] == ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"]
    purchase = stages[2]

    refused = client.post(reverse("journeys:touchpoint_create", args=[purchase.pk]), {"name": "", "channel": "email"})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    refused = client.post(
        reverse("journeys:touchpoint_create", args=[purchase.pk]),
        {"name": "Order confirmation", "channel": "email", "emotion_score": "7"},
    )
    assert refused.status_code == 200
    assert "emotion_score" in refused.context["form"].errors
    assert Touchpoint.objects.count() == 0

    added = client.post(
        reverse("journeys:touchpoint_create", args=[purchase.pk]),
        {"name": "Order confirmation", "channel": "email", "emotion_score": "1"},
    )
    assert added.status_code == 302
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.stage == purchase
    assert "Order confirmation" in client.get(added["Location"]).content.decode()

    # --- Ask: an NPS survey for that touchpoint --------------------------------------------------------
    refused = client.post(
        reverse("surveys:survey_create"),
        {"title": "", "touchpoint": touchpoint.pk, "language": "en", "ask_reason": "on"},
    )
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert Survey.objects.count() == 0

    created = client.post(
        reverse("surveys:survey_create"),
        {"title": "Order NPS", "touchpoint": touchpoint.pk, "language": "en", "ask_reason": "on"},
    )
    assert created.status_code == 302
    survey = Survey.objects.get()
    assert survey.touchpoint == touchpoint
    detail = client.get(created["Location"]).content.decode()
    public_url = reverse("respondent:survey", args=[survey.public_token])
    assert public_url in detail

    # --- The respondent answers on the public page (no account) ----------------------------------------
    respondent = Client()
    nps = survey.questions.get(kind="nps")
    reason = survey.questions.get(kind="long_text")
    page = respondent.get(public_url)
    assert page.status_code == 200
    assert "Not at all likely" in page.content.decode()

    refused = respondent.post(public_url, {f"q{nps.pk}": "11", f"q{reason.pk}": "too high"})
    assert refused.status_code == 400
    assert "Please correct the answers marked below." in refused.content.decode()
    assert Response.objects.count() == Answer.objects.count() == 0

    for score, why in (("9", "Fast and clear"), ("3", "Confirmation came a week late")):
        answered = respondent.post(public_url, {f"q{nps.pk}": score, f"q{reason.pk}": why})
        assert answered.status_code == 302
        assert "Thank you!" in respondent.get(answered["Location"]).content.decode()
    assert sorted(Answer.objects.filter(question=nps).values_list("value", flat=True)) == [3, 9]
    assert set(Response.objects.values_list("touchpoint", flat=True)) == {touchpoint.pk}

    # --- Measure: recompute and read the dashboard -------------------------------------------------------
    call_command("recompute_metrics", stdout=StringIO())

    dashboard = client.get(reverse("metrics:dashboard"))
    assert dashboard.status_code == 200
    row = _touchpoint_row(dashboard.content.decode(), "Order confirmation")
    assert "<td>Spare parts purchase</td>" in row
    assert "<td>Purchase</td>" in row
    assert re.search(r'<td class="text-end kpi-badge">0\.0</td>', row), row  # 1 promoter, 1 detractor
    assert re.search(r'<td class="text-end">2</td>', row), row  # n = 2

    # --- Act: assign an action to Sales ------------------------------------------------------------------
    due = timezone.localdate() + timedelta(days=14)
    action_form = {
        "title": "Send order confirmations the same day",
        "department": sales.pk,
        "owner": sales_member.pk,
        "touchpoint": touchpoint.pk,
        "kpi": "nps",
        "priority": "high",
        "due_date": due.isoformat(),
    }
    refused = client.post(reverse("actionplans:action_create"), {**action_form, "due_date": "31/12/2026"})
    assert refused.status_code == 200
    assert "Enter a valid date." in refused.content.decode()
    refused = client.post(reverse("actionplans:action_create"), {**action_form, "title": ""})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert Action.objects.count() == 0

    assigned = client.post(reverse("actionplans:action_create"), action_form)
    assert assigned.status_code == 302
    action = Action.objects.get()
    assert (action.department, action.owner, action.due_date) == (sales, sales_member, due)

    # --- The Sales member sees it and marks it done ---------------------------------------------------------
    member = Client()
    member.force_login(sales_member)
    mine = member.get(reverse("actionplans:my_department")).content.decode()
    assert "Send order confirmations the same day" in mine
    assert reverse("actionplans:action_detail", args=[action.pk]) in mine

    refused = member.post(reverse("actionplans:action_detail", args=[action.pk]), {"status": "done", "progress": "150"})
    assert refused.status_code == 200
    assert "progress" in refused.context["form"].errors
    action.refresh_from_db()
    assert action.status == "open"

    done = member.post(
        reverse("actionplans:action_detail", args=[action.pk]), {"status": "done", "progress": "0"}, follow=True
    )
    assert done.status_code == 200
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.progress == 100
    assert action.done_at is not None
    status = re.search(r'id="action-status">.*?</dd>', done.content.decode(), re.S)[0]
    assert 'data-status="done"' in status and "Done" in status
    assert 'aria-valuenow="100"' in status and "100 %" in status  # a progress bar, with its number

    # Nothing extra was stored by any of the refused forms along the way.
    assert JourneyMap.objects.count() == 1
    assert Stage.objects.count() == 5
    assert Touchpoint.objects.count() == 1
    assert Survey.objects.count() == 1
    assert Response.objects.count() == 2
    assert Action.objects.count() == 1

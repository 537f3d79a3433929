"""KPI targets: CRUD and validation (UI and API), crossing detection and the alerts it sends."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from metrics.models import KpiTarget, Notification, TargetCrossing
from metrics.services import snapshots_recompute, targets
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at

MAY = date(2026, 5, 20)


@pytest.fixture
def touchpoint(db):
    return TouchpointFactory(name="After-sales service")


def test_create_validates_kpi_scope_and_range(touchpoint, manager):
    target = targets.target_create(
        kpi="nps", value=30, scope_type="touchpoint", scope_key=str(touchpoint.pk), by=manager
    )
    assert target.created_by == manager

    with pytest.raises(ValidationError) as exc:
        targets.target_create(kpi="happiness", value=1)
    assert "kpi" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        targets.target_create(kpi="nps", value=101)
    assert "between -100 and 100" in exc.value.message_dict["value"][0]
    with pytest.raises(ValidationError) as exc:
        targets.target_create(kpi="ces", value=0.5)
    assert "value" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        targets.target_create(kpi="nps", value=10, scope_type="touchpoint", scope_key="999999")
    assert "scope_key" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        targets.target_create(kpi="nps", value=10, scope_type="channel", scope_key="carrier-pigeon")
    assert "scope_key" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # one target per KPI and scope
        targets.target_create(kpi="nps", value=40, scope_type="touchpoint", scope_key=str(touchpoint.pk))
    assert "already has a target" in exc.value.message_dict["scope_key"][0]
    assert KpiTarget.objects.count() == 1


class TestTargetPages:
    def test_manager_creates_edits_and_deletes_a_target(self, client, manager, touchpoint):
        client.force_login(manager)
        form = {
            "kpi": "nps",
            "scope_type": "touchpoint",
            "scope_key": touchpoint.pk,
            "comparison": "gte",
            "value": "30",
            "notify": "on",
        }

        response = client.post(reverse("metrics:target_create"), form)

        assert response.status_code == 302
        target = KpiTarget.objects.get()
        assert (target.kpi, target.scope_key, target.value, target.notify) == ("nps", str(touchpoint.pk), 30, True)
        page = client.get(reverse("metrics:target_list")).content.decode()
        assert "touchpoint" in page and "After-sales service" in page

        client.post(reverse("metrics:target_edit", args=[target.pk]), {**form, "value": "35"})
        target.refresh_from_db()
        assert target.value == 35

        client.post(reverse("metrics:target_delete", args=[target.pk]))
        assert not KpiTarget.objects.exists()

    def test_invalid_target_re_renders_with_the_message_and_saves_nothing(self, client, manager):
        client.force_login(manager)

        response = client.post(
            reverse("metrics:target_create"),
            {"kpi": "csat", "scope_type": "company", "comparison": "gte", "value": "120"},
        )

        assert response.status_code == 200
        assert "CSAT targets lie between 0 and 100." in response.content.decode()
        assert not KpiTarget.objects.exists()

    def test_department_member_reads_but_cannot_write(self, client, sales_member, touchpoint):
        target = targets.target_create(kpi="nps", value=30)
        client.force_login(sales_member)

        assert client.get(reverse("metrics:target_list")).status_code == 200
        assert client.get(reverse("metrics:target_create")).status_code == 403
        assert (
            client.post(
                reverse("metrics:target_create"),
                {"kpi": "nps", "scope_type": "company", "comparison": "gte", "value": "1"},
            ).status_code
            == 403
        )
        assert client.post(reverse("metrics:target_edit", args=[target.pk]), {"value": "1"}).status_code == 403
        assert client.post(reverse("metrics:target_delete", args=[target.pk])).status_code == 403
        assert KpiTarget.objects.get().value == 30


class TestTargetApi:
    URL = "/api/v1/kpi-targets/"

    def test_crud(self, api_client, touchpoint):
        created = api_client.post(
            self.URL,
            {
                "kpi": "nps",
                "scope_type": "touchpoint",
                "scope_key": str(touchpoint.pk),
                "comparison": "gte",
                "value": 30,
            },
        )
        assert created.status_code == 201, created.json()
        target_id = created.json()["id"]
        listed = api_client.get(self.URL).json()
        assert listed["count"] == 1 and listed["results"][0]["status"] == ""
        assert api_client.patch(f"{self.URL}{target_id}/", {"value": 25}).json()["value"] == 25
        assert api_client.delete(f"{self.URL}{target_id}/").status_code == 204
        assert not KpiTarget.objects.exists()

    def test_bad_input_answers_400_with_field_errors(self, api_client):
        assert "kpi" in api_client.post(self.URL, {"kpi": "mood", "value": 1}).json()
        assert "value" in api_client.post(self.URL, {"kpi": "nps", "value": 500}).json()
        assert (
            "scope_key"
            in api_client.post(self.URL, {"kpi": "nps", "value": 5, "scope_type": "map", "scope_key": "123456"}).json()
        )
        assert not KpiTarget.objects.exists()

    def test_department_member_reads_and_gets_403_on_writes(self, client, sales_member):
        target = targets.target_create(kpi="nps", value=30)
        client.force_login(sales_member)

        assert client.get(self.URL).status_code == 200
        assert client.post(self.URL, {"kpi": "nps", "value": 1}, content_type="application/json").status_code == 403
        assert client.patch(f"{self.URL}{target.pk}/", {"value": 1}, content_type="application/json").status_code == 403
        assert client.delete(f"{self.URL}{target.pk}/").status_code == 403
        assert KpiTarget.objects.get().value == 30

    def test_api_key_needs_the_metrics_scope(self, db, api_client_for):
        assert api_client_for(["journeys:read"]).get(self.URL).status_code == 403
        assert api_client_for(["metrics:read"]).post(self.URL, {"kpi": "nps", "value": 1}).status_code == 403


# ---------------------------------------------------------------- crossings


@pytest.fixture
def measured(touchpoint):
    """A touchpoint with an NPS question and a target NPS ≥ 30 there."""
    question = nps_question_at(touchpoint)
    target = targets.target_create(kpi="nps", value=30, scope_type="touchpoint", scope_key=str(touchpoint.pk))
    return question, target


def evaluate():
    snapshots_recompute()
    return targets.targets_evaluate(today=MAY)


def test_first_evaluation_is_a_silent_baseline_then_a_drop_is_a_crossing(
    measured, manager, django_capture_on_commit_callbacks
):
    question, target = measured
    add_answers(question, [10] * 10, date(2026, 5, 2))  # NPS 100: met
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate() == []
    target.refresh_from_db()
    assert target.status == "met"
    assert not mail.outbox and not Notification.objects.exists()

    add_answers(question, [0] * 10, date(2026, 5, 3))  # 10 P, 10 D: NPS 0 → missed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        crossings = evaluate()

    assert [(c.direction, c.value, c.n, c.period_start) for c in crossings] == [("missed", 0.0, 20, date(2026, 5, 1))]
    assert len(callbacks) == 1  # the e-mail waits for the commit
    notification = Notification.objects.get(user=manager)
    assert (
        notification.title
        == "NPS target missed: touchpoint " + f"{question.survey.touchpoint.stage.name} › After-sales service"
    )
    assert "is 0 in May 2026 (n = 20)" in notification.body and "≥ 30" in notification.body
    assert notification.read_at is None
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "NPS target missed" in mail.outbox[0].subject


def test_each_manager_reads_the_in_app_alert_in_their_language(
    measured, manager, django_user_model, django_capture_on_commit_callbacks
):
    from cxportal import roles
    from cxportal.models import Profile
    from tests.conftest import _user

    german = _user(django_user_model, "leiterin", roles.CX_MANAGER)
    Profile.objects.create(user=german, language="de")
    question, _target = measured
    add_answers(question, [10] * 10, date(2026, 5, 2))
    evaluate()
    add_answers(question, [0] * 10, date(2026, 5, 3))
    with django_capture_on_commit_callbacks(execute=True):
        evaluate()

    assert Notification.objects.get(user=manager).title.startswith("NPS target missed: ")
    theirs = Notification.objects.get(user=german)
    assert theirs.title.startswith("NPS-Zielwert verfehlt: ")
    assert "liegt im Mai 2026 bei 0 (n = 20)" in theirs.body


def test_crossing_is_recorded_once_and_both_directions_are_seen(measured, manager, django_capture_on_commit_callbacks):
    question, target = measured
    add_answers(question, [10] * 10, date(2026, 5, 2))
    evaluate()
    add_answers(question, [0] * 12, date(2026, 5, 3))  # NPS −9.1: missed
    with django_capture_on_commit_callbacks(execute=True):
        assert len(evaluate()) == 1
        assert evaluate() == []  # idempotent: nothing new, no second alert

    add_answers(question, [10] * 20, date(2026, 5, 4))  # 30 P, 12 D of 42: NPS 42.9 → met again
    with django_capture_on_commit_callbacks(execute=True):
        assert [c.direction for c in evaluate()] == ["met"]
    assert Notification.objects.filter(user=manager).count() == 2
    assert "met again" in Notification.objects.first().title
    assert len(mail.outbox) == 2

    add_answers(question, [0] * 40, date(2026, 5, 5))  # missed again in the same month: already recorded
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate() == []
    target.refresh_from_db()
    assert target.status == "missed"
    assert TargetCrossing.objects.count() == 2
    assert len(mail.outbox) == 2


def test_below_the_minimum_sample_there_is_no_alert(measured, manager, django_capture_on_commit_callbacks):
    question, target = measured
    add_answers(question, [10] * 10, date(2026, 5, 2))
    evaluate()
    other = TouchpointFactory()
    q2 = nps_question_at(other)
    t2 = targets.target_create(kpi="nps", value=30, scope_type="touchpoint", scope_key=str(other.pk))
    add_answers(q2, [10] * 5, date(2026, 5, 2))
    evaluate()
    add_answers(q2, [0] * 4, date(2026, 5, 3))  # 9 answers, NPS 11.1 < 30 but n < 10
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate() == []
    t2.refresh_from_db()
    assert t2.status == ""
    assert not mail.outbox


def test_targets_without_notify_record_the_crossing_silently(measured, manager, django_capture_on_commit_callbacks):
    question, target = measured
    targets.target_update(target=target, data={"notify": False})
    add_answers(question, [10] * 10, date(2026, 5, 2))
    evaluate()
    add_answers(question, [0] * 10, date(2026, 5, 3))
    with django_capture_on_commit_callbacks(execute=True):
        assert len(evaluate()) == 1
    assert not Notification.objects.exists() and not mail.outbox


def test_recompute_command_evaluates_the_targets(measured, manager, settings, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    question, _target = measured
    today = timezone.localdate()
    add_answers(question, [10] * 10, today)
    out = StringIO()
    call_command("recompute_metrics", stdout=out)
    assert "0 KPI target crossing(s)." in out.getvalue()
    assert KpiTarget.objects.get().status == "met"

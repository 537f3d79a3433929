"""Action services: who may create and change actions, the rules they keep, and the daily reminder digest."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from actionplans import services
from actionplans.models import Action, ReminderDigest
from cxportal import roles
from tests.actionplans.factories import ActionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 11)


class TestActionCreate:
    def test_manager_assigns_an_action_to_a_department_member(self, manager, sales, sales_member):
        action = services.action_create(
            title="Call back detractors", department=sales, owner=sales_member, due_date=TODAY, by=manager
        )
        stored = Action.objects.get()
        assert stored == action
        assert (stored.department, stored.owner, stored.status, stored.created_by) == (
            sales,
            sales_member,
            Action.Status.OPEN,
            manager,
        )

    def test_owner_outside_the_department_is_refused(self, manager, sales, service_member):
        with pytest.raises(ValidationError) as exc:
            services.action_create(
                title="Wrong owner", department=sales, owner=service_member, due_date=TODAY, by=manager
            )
        assert "owner" in exc.value.message_dict
        assert Action.objects.count() == 0

    def test_due_date_before_start_date_is_refused(self, manager, sales):
        with pytest.raises(ValidationError) as exc:
            services.action_create(
                title="Backwards", department=sales, start_date=TODAY, due_date=TODAY - timedelta(days=1), by=manager
            )
        assert "due_date" in exc.value.message_dict
        assert Action.objects.count() == 0

    def test_due_date_on_the_start_date_is_fine(self, manager, sales):
        services.action_create(title="One day", department=sales, start_date=TODAY, due_date=TODAY, by=manager)
        assert Action.objects.count() == 1

    def test_department_member_cannot_create_actions(self, sales, sales_member):
        with pytest.raises(PermissionDenied):
            services.action_create(title="Self-assigned", department=sales, due_date=TODAY, by=sales_member)
        assert Action.objects.count() == 0

    def test_empty_title_is_refused(self, manager, sales):
        with pytest.raises(ValidationError) as exc:
            services.action_create(title="", department=sales, due_date=TODAY, by=manager)
        assert "title" in exc.value.message_dict
        assert Action.objects.count() == 0


class TestActionUpdate:
    def test_progress_over_100_is_refused_and_the_action_is_unchanged(self, manager, sales):
        action = ActionFactory(department=sales, progress=40)

        with pytest.raises(ValidationError) as exc:
            services.action_update(action=action, data={"progress": 140, "title": "Changed too"}, by=manager)

        assert "progress" in exc.value.message_dict
        stored = Action.objects.get(pk=action.pk)
        assert (stored.progress, stored.title) == (40, action.title)

    def test_due_date_moved_before_the_start_is_refused(self, manager, sales):
        action = ActionFactory(department=sales, start_date=TODAY, due_date=TODAY + timedelta(days=5))

        with pytest.raises(ValidationError):
            services.action_update(action=action, data={"due_date": TODAY - timedelta(days=1)}, by=manager)

        assert Action.objects.get(pk=action.pk).due_date == TODAY + timedelta(days=5)

    def test_member_updates_status_and_progress_of_their_departments_action(self, sales, sales_member):
        action = ActionFactory(department=sales)

        services.action_update(action=action, data={"status": "in_progress", "progress": 30}, by=sales_member)

        stored = Action.objects.get(pk=action.pk)
        assert (stored.status, stored.progress) == ("in_progress", 30)

    @pytest.mark.parametrize("field", ["department", "owner", "title"])
    def test_member_cannot_reassign_or_rename_an_action(self, field, sales, service, sales_member, django_user_model):
        colleague = django_user_model.objects.create_user(username="colleague", password="pw-colleague")
        sales.members.add(colleague)
        action = ActionFactory(department=sales, owner=sales_member, title="Fix the quote process")
        new_value = {"department": service, "owner": colleague, "title": "Someone else's problem"}[field]

        with pytest.raises(PermissionDenied):
            services.action_update(action=action, data={field: new_value, "status": "done"}, by=sales_member)

        stored = Action.objects.get(pk=action.pk)
        assert (stored.department, stored.owner, stored.title, stored.status) == (
            sales,
            sales_member,
            "Fix the quote process",
            "open",
        )

    def test_member_of_another_department_cannot_change_the_action(self, sales, service_member):
        action = ActionFactory(department=sales)
        with pytest.raises(PermissionDenied):
            services.action_update(action=action, data={"status": "done"}, by=service_member)
        assert Action.objects.get(pk=action.pk).status == "open"

    def test_marking_done_sets_done_at_and_full_progress(self, sales, sales_member):
        action = ActionFactory(department=sales, progress=30)

        services.action_update(action=action, data={"status": "done"}, by=sales_member)

        stored = Action.objects.get(pk=action.pk)
        assert stored.status == "done"
        assert stored.progress == 100
        assert stored.done_at is not None

    def test_reopening_a_done_action_clears_done_at(self, manager, sales):
        action = ActionFactory(department=sales)
        services.action_update(action=action, data={"status": "done"}, by=manager)

        services.action_update(action=action, data={"status": "in_progress", "progress": 80}, by=manager)

        stored = Action.objects.get(pk=action.pk)
        assert stored.done_at is None
        assert (stored.status, stored.progress) == ("in_progress", 80)

    def test_manager_moves_an_action_to_another_department_with_a_new_owner(
        self, manager, sales, service, service_member
    ):
        action = ActionFactory(department=sales)

        services.action_update(action=action, data={"department": service, "owner": service_member}, by=manager)

        stored = Action.objects.get(pk=action.pk)
        assert (stored.department, stored.owner) == (service, service_member)

    def test_manager_cannot_move_an_action_away_from_its_owners_department(self, manager, sales, service, sales_member):
        action = ActionFactory(department=sales, owner=sales_member)

        with pytest.raises(ValidationError) as exc:
            services.action_update(action=action, data={"department": service}, by=manager)

        assert "owner" in exc.value.message_dict
        assert Action.objects.get(pk=action.pk).department == sales


@pytest.fixture
def lead(django_user_model, sales):
    user = django_user_model.objects.create_user(username="lea", password="pw-lea", email="lea@example.com")
    user.groups.add(Group.objects.get(name=roles.DEPARTMENT_MEMBER))
    sales.members.add(user)
    sales.lead = user
    sales.save(update_fields=["lead"])
    return user


def _mail_to(address: str):
    messages = [m for m in mail.outbox if m.to == [address]]
    assert len(messages) == 1, f"expected one digest for {address}, got {len(messages)}"
    return messages[0]


def _section(body: str, heading: str) -> str:
    """The lines of one digest section (up to the next blank line)."""
    if heading not in body:
        return ""
    return body.split(heading, 1)[1].split("\n\n", 1)[0]


class TestDailyDigest:
    @pytest.fixture
    def actions(self, sales, sales_member, lead):
        return {
            "soon": ActionFactory(
                title="Due soon", department=sales, owner=sales_member, due_date=TODAY + timedelta(2)
            ),
            "today": ActionFactory(title="Due today", department=sales, owner=sales_member, due_date=TODAY),
            "late": ActionFactory(
                title="Slightly late", department=sales, owner=sales_member, due_date=TODAY - timedelta(2)
            ),
            "stale": ActionFactory(
                title="Long overdue", department=sales, owner=sales_member, due_date=TODAY - timedelta(10)
            ),
            "later": ActionFactory(
                title="Next month", department=sales, owner=sales_member, due_date=TODAY + timedelta(30)
            ),
            "closed": ActionFactory(
                title="Closed late", department=sales, owner=sales_member, due_date=TODAY - timedelta(20), status="done"
            ),
        }

    def test_owner_gets_due_soon_and_overdue_actions(self, actions, sales_member, manager):
        services.reminders_send_daily_digest(today=TODAY)

        body = _mail_to(sales_member.email).body
        assert "Due soon" in _section(body, "Due within 3 days:")
        assert "Due today" in _section(body, "Due within 3 days:")
        overdue = _section(body, "Overdue:")
        assert "Slightly late" in overdue
        assert "Long overdue" in overdue
        assert "Next month" not in body
        assert "Closed late" not in body

    def test_department_lead_gets_the_overdue_actions_only(self, actions, lead, manager):
        services.reminders_send_daily_digest(today=TODAY)

        body = _mail_to(lead.email).body
        assert "Slightly late" in _section(body, "Overdue:")
        assert "Long overdue" in _section(body, "Overdue:")
        assert "Due soon" not in body
        assert "Due today" not in body

    def test_cx_managers_get_actions_overdue_by_more_than_seven_days(self, actions, manager, lead):
        services.reminders_send_daily_digest(today=TODAY)

        body = _mail_to(manager.email).body
        escalated = _section(body, "Overdue for more than 7 days")
        assert "Long overdue" in escalated
        assert "Slightly late" not in body
        assert "Due soon" not in body

    def test_exactly_seven_days_overdue_is_not_escalated_yet(self, sales, sales_member, manager):
        ActionFactory(title="A week late", department=sales, owner=sales_member, due_date=TODAY - timedelta(7))

        services.reminders_send_daily_digest(today=TODAY)

        assert [m.to for m in mail.outbox] == [[sales_member.email]]

    def test_action_without_owner_or_lead_still_reaches_managers_when_escalated(self, sales, manager):
        ActionFactory(title="Nobody's", department=sales, due_date=TODAY - timedelta(9))

        assert services.reminders_send_daily_digest(today=TODAY) == 1

        assert "Nobody's" in _mail_to(manager.email).body

    def test_running_twice_on_the_same_day_sends_nothing_new(self, actions, sales_member, lead, manager):
        first = services.reminders_send_daily_digest(today=TODAY)
        sent = len(mail.outbox)

        second = services.reminders_send_daily_digest(today=TODAY)

        assert first == sent == 3
        assert second == 0
        assert len(mail.outbox) == sent
        assert ReminderDigest.objects.filter(day=TODAY).count() == 3

    def test_the_next_day_sends_again(self, actions, sales_member, lead, manager):
        services.reminders_send_daily_digest(today=TODAY)
        mail.outbox.clear()

        assert services.reminders_send_daily_digest(today=TODAY + timedelta(days=1)) == 3

    def test_nothing_due_sends_nothing(self, sales, sales_member, manager):
        ActionFactory(department=sales, owner=sales_member, due_date=TODAY + timedelta(days=10))
        assert services.reminders_send_daily_digest(today=TODAY) == 0
        assert mail.outbox == []

    def test_a_failed_mail_is_retried_by_a_later_run(self, sales, sales_member):
        ActionFactory(title="Due soon", department=sales, owner=sales_member, due_date=TODAY)
        with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("down")):
            with pytest.raises(OSError):
                services.reminders_send_daily_digest(today=TODAY)
        assert ReminderDigest.objects.count() == 0

        assert services.reminders_send_daily_digest(today=TODAY) == 1
        assert len(mail.outbox) == 1

    def test_today_is_the_berlin_date_shortly_after_midnight(self, sales, sales_member, settings):
        """23:30 UTC on 10 March is 00:30 on 11 March in Berlin: an action due on 10 March is overdue."""
        assert settings.TIME_ZONE == "Europe/Berlin"
        ActionFactory(title="Due on the tenth", department=sales, owner=sales_member, due_date=date(2026, 3, 10))
        late_evening_utc = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)

        with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
            services.reminders_send_daily_digest()

        body = _mail_to(sales_member.email).body
        assert "Due on the tenth" in _section(body, "Overdue:")
        assert ReminderDigest.objects.get().day == date(2026, 3, 11)

    def test_shortly_before_midnight_in_berlin_it_is_still_the_same_day(self, sales, sales_member):
        """22:30 UTC on 10 March is 23:30 on 10 March in Berlin: the action is due today, not overdue."""
        ActionFactory(title="Due on the tenth", department=sales, owner=sales_member, due_date=date(2026, 3, 10))
        late_evening_utc = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)

        with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
            services.reminders_send_daily_digest()

        body = _mail_to(sales_member.email).body
        assert "Due on the tenth" in _section(body, "Due within 3 days:")
        assert "Overdue" not in body
        assert ReminderDigest.objects.get().day == date(2026, 3, 10)

    def test_explicit_today_decides_what_is_overdue(self, sales, sales_member):
        ActionFactory(title="Due on the tenth", department=sales, owner=sales_member, due_date=date(2026, 3, 10))

        services.reminders_send_daily_digest(today=date(2026, 3, 10))
        services.reminders_send_daily_digest(today=date(2026, 3, 11))

        on_the_day, next_day = (m.body for m in mail.outbox)
        assert "Due on the tenth" in _section(on_the_day, "Due within 3 days:")
        assert "Due on the tenth" in _section(next_day, "Overdue:")

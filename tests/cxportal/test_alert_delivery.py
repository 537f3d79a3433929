"""Each CX manager chooses on their profile how they hear of target alerts and emerging topics: in the app and by
e-mail (the default), in the app only, or not at all."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cxportal import roles
from cxportal.alert_delivery import TARGET, TOPIC, alert_audience
from cxportal.models import Profile
from metrics.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def managers(django_user_model):
    group, _created = Group.objects.get_or_create(name=roles.CX_MANAGER)
    people = []
    for name in ("both", "app", "off", "noprofile"):
        user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw-123456789")
        user.groups.add(group)
        people.append(user)
    Profile.objects.create(user=people[0], target_alerts="email", topic_alerts="off")
    Profile.objects.create(user=people[1], target_alerts="app", topic_alerts="app")
    Profile.objects.create(user=people[2], target_alerts="off", topic_alerts="email")
    return people


def test_each_manager_gets_each_kind_of_alert_as_chosen(managers):
    both, app, off, noprofile = managers
    in_app, by_email = alert_audience(managers, TARGET)
    assert in_app == [both, app, noprofile] and by_email == [both, noprofile]
    in_app, by_email = alert_audience(managers, TOPIC)
    assert in_app == [app, off, noprofile] and by_email == [off, noprofile]


def test_a_missed_target_reaches_managers_as_they_chose(managers, django_capture_on_commit_callbacks):
    from metrics.models import KpiTarget, TargetCrossing
    from metrics.services import targets

    target = KpiTarget.objects.create(kpi="nps", scope_type="company", scope_key="", comparison="gte", value=30)
    crossing = TargetCrossing.objects.create(
        target=target, direction="missed", period_start=date(2026, 11, 1), value=12.0, n=80, crossed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        targets._notify_managers(target=target, crossing=crossing, scope_label="Company")
    told = set(Notification.objects.filter(kind=Notification.Kind.TARGET).values_list("user__username", flat=True))
    assert told == {"both", "app", "noprofile"}
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "both@example.com",
        "noprofile@example.com",
    ]


def test_the_profile_page_saves_the_choices_and_refuses_unknown_ones(managers, client):
    both = managers[0]
    client.force_login(both)
    page = client.get(reverse("profile"))
    assert "An emerging topic in the customers&#x27; comments" in page.content.decode()
    response = client.post(reverse("profile"), {"language": "", "target_alerts": "app", "topic_alerts": "email"})
    assert response.status_code == 302
    assert Profile.objects.filter(user=both).values_list("target_alerts", "topic_alerts").get() == ("app", "email")
    response = client.post(reverse("profile"), {"language": "de", "target_alerts": "sometimes"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Profile.objects.filter(user=both).values_list("language", "target_alerts").get() == ("", "app")


def test_department_members_are_not_asked(client, django_user_model):
    member = django_user_model.objects.create_user("member", "member@example.com", "pw-123456789")
    client.force_login(member)
    assert "Alerts" not in client.get(reverse("profile")).content.decode()


def test_the_service_refuses_unknown_choices_and_keeps_what_is_left_out(managers):
    from cxportal.alert_delivery import alert_choices, alert_choices_save

    app = managers[1]
    with pytest.raises(ValueError):
        alert_choices_save(app, {"target_alerts": "sometimes"})
    alert_choices_save(app, {"target_alerts": "off", "topic_alerts": ""})
    assert alert_choices(app) == {"target_alerts": "off", "topic_alerts": "app"}


def test_whoever_turns_the_action_digest_off_gets_none_and_the_others_are_told_how(
    client, mailoutbox, sales, sales_member, manager
):
    """The daily e-mail of due and overdue actions: on by default, offered on everyone's profile page (department
    members too), and each digest says where to turn it off."""
    from datetime import timedelta

    from actionplans import services
    from tests.actionplans.factories import ActionFactory

    client.force_login(sales_member)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="action_digest"' in page and "checked" in page.split('name="action_digest"')[1].split(">")[0]
    assert client.post(reverse("profile"), {"language": ""}).status_code == 302  # unticked
    assert Profile.objects.get(user=sales_member).action_digest is False
    assert (
        "checked" not in client.get(reverse("profile")).content.decode().split('name="action_digest"')[1].split(">")[0]
    )

    today = date(2026, 12, 4)
    ActionFactory(title="Stale one", department=sales, owner=sales_member, due_date=today - timedelta(10))
    assert services.reminders_send_daily_digest(today=today) == 1
    (mail_to_manager,) = mailoutbox  # overdue > 7 days: the CX manager hears of it, the owner asked not to
    assert mail_to_manager.to == [manager.email]
    assert f"{reverse('profile')}" in mail_to_manager.body and "untick" in mail_to_manager.body

    assert client.post(reverse("profile"), {"language": "", "action_digest": "on"}).status_code == 302
    mailoutbox.clear()
    assert services.reminders_send_daily_digest(today=today + timedelta(days=1)) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([manager.email, sales_member.email])


def test_without_an_address_the_digest_is_not_offered(client, django_user_model):
    member = django_user_model.objects.create_user("nomail", "", "pw-123456789")
    client.force_login(member)
    assert 'name="action_digest"' not in client.get(reverse("profile")).content.decode()

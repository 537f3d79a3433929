"""The notifications page, mark-as-read, and the bell in the navigation."""

import re

from django.urls import reverse

from metrics.models import Notification


def test_bell_shows_the_unread_count_and_the_page_marks_read(client, manager, django_user_model):
    other = django_user_model.objects.create_user(username="other")
    first = Notification.objects.create(
        user=manager, title="NPS target missed: <b>Hotline</b>", url="/dashboards/targets/"
    )
    Notification.objects.create(user=manager, title="CSAT target met again")
    Notification.objects.create(user=other, title="not yours")
    client.force_login(manager)

    page = client.get(reverse("metrics:notification_list")).content.decode()

    bell = re.search(r'<a[^>]*id="notification-bell".*?</a>', page, flags=re.S).group(0)
    assert ">2</span>" in bell
    assert "&lt;b&gt;Hotline&lt;/b&gt;" in page and "<b>Hotline" not in page
    assert "not yours" not in page

    client.post(reverse("metrics:notifications_read"), {"notification": first.pk})
    assert Notification.objects.filter(user=manager, read_at__isnull=True).count() == 1
    client.post(reverse("metrics:notifications_read"))
    assert not Notification.objects.filter(user=manager, read_at__isnull=True).exists()
    assert Notification.objects.get(user=other).read_at is None
    bell = re.search(r'<a[^>]*id="notification-bell".*?</a>', client.get("/dashboards/").content.decode(), flags=re.S)
    assert "none unread" in bell.group(0)


def test_a_user_cannot_mark_someone_elses_notification(client, manager, django_user_model):
    other = django_user_model.objects.create_user(username="other")
    theirs = Notification.objects.create(user=other, title="x")
    client.force_login(manager)

    client.post(reverse("metrics:notifications_read"), {"notification": theirs.pk})

    theirs.refresh_from_db()
    assert theirs.read_at is None

"""Who hears of an alert, and how: each person's choice on their profile page — in the app and by e-mail (the
default), in the app only, or not at all — for each kind of alert that goes to every CX manager: a KPI target
missed or met again (``TARGET``), and an emerging Voice topic (``TOPIC``); and whether a person (anyone with
actions, department members too) gets the daily e-mail of their due and overdue actions (``digest_*``)."""

from cxportal.models import Profile

TARGET = "target_alerts"
TOPIC = "topic_alerts"
KINDS = (TARGET, TOPIC)


def alert_audience(users, kind: str) -> tuple[list, list]:
    """``(in_app, by_email)``: the people among ``users`` who get this kind of alert in the app, and those of them
    who also get it by e-mail (only people with an address). People without a profile get both."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of alert: {kind!r}")
    users = list(users)
    chosen = dict(Profile.objects.filter(user__in=[user.pk for user in users]).values_list("user_id", kind))
    default = Profile.AlertDelivery.APP_AND_EMAIL
    in_app = [user for user in users if chosen.get(user.pk, default) != Profile.AlertDelivery.OFF]
    by_email = [user for user in in_app if user.email and chosen.get(user.pk, default) == default]
    return in_app, by_email


def alert_choices(user) -> dict[str, str]:
    """The person's choice per kind of alert (the default where they have no profile yet)."""
    chosen = Profile.objects.filter(user_id=user.pk).values(*KINDS).first()
    return chosen or dict.fromkeys(KINDS, Profile.AlertDelivery.APP_AND_EMAIL)


def alert_choices_save(user, choices: dict[str, str]) -> None:
    """Store the person's choices; a kind left out (or empty) stays as it was. Unknown kinds or values are refused."""
    allowed = set(Profile.AlertDelivery.values)
    changes = {kind: value for kind, value in choices.items() if value}
    if set(changes) - set(KINDS) or set(changes.values()) - allowed:
        raise ValueError(f"unknown alert choice: {changes!r}")
    if changes:
        Profile.objects.update_or_create(user=user, defaults=changes)


def digest_declined(user_ids) -> set[int]:
    """Of ``user_ids``, the people who turned the daily e-mail of their actions off (the default is on)."""
    return set(
        Profile.objects.filter(user_id__in=list(user_ids), action_digest=False).values_list("user_id", flat=True)
    )


def digest_wanted(user) -> bool:
    return not digest_declined([user.pk])


def digest_wanted_save(user, wanted: bool) -> None:
    Profile.objects.update_or_create(user=user, defaults={"action_digest": wanted})

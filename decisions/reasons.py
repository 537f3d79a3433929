"""Churn-risk reasons in words a CX manager reads (the stored features are identifiers).

A reason is a feature that raises the customer's risk, and whether their value is high or low against the
average customer: "low scores" and "high scores" are different reasons.
"""

from django.utils.translation import gettext as _


def reason_texts() -> dict[tuple[str, str], str]:
    return {
        ("score_level", "low"): _("low scores in the last 6 months"),
        ("score_level", "high"): _("high scores in the last 6 months"),
        ("last_nps", "low"): _("low last NPS answer"),
        ("last_nps", "high"): _("high last NPS answer"),
        ("score_trend", "low"): _("scores falling"),
        ("score_trend", "high"): _("scores rising"),
        ("no_scores", "high"): _("no survey answers in the last year"),
        ("no_scores", "low"): _("has answered surveys"),
        ("answers_365", "low"): _("few survey answers"),
        ("answers_365", "high"): _("many survey answers"),
        ("days_since_answer", "high"): _("long time since the last answer"),
        ("days_since_answer", "low"): _("answered recently"),
        ("invitation_response_rate", "low"): _("ignores survey invitations"),
        ("invitation_response_rate", "high"): _("answers most survey invitations"),
        ("events_90", "low"): _("few touchpoint visits lately"),
        ("events_90", "high"): _("many touchpoint visits lately"),
        ("events_trend", "low"): _("touchpoint visits falling"),
        ("events_trend", "high"): _("touchpoint visits rising"),
        ("revenue_365", "low"): _("low revenue in the last year"),
        ("revenue_365", "high"): _("high revenue in the last year"),
        ("revenue_trend", "low"): _("revenue falling"),
        ("revenue_trend", "high"): _("revenue rising"),
    }


def reason_label(reason: dict) -> str:
    return reason_texts().get((reason["feature"], reason.get("direction", "low")), reason["feature"])

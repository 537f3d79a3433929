"""Churn-risk reasons in words a CX manager reads (the stored features are identifiers).

A reason is a feature that raises the customer's risk, and whether their value is high or low against the
average customer: "low scores" and "high scores" are different reasons.
"""

import numpy as np
from django.utils.translation import gettext as _


def risk_reasons(features: bytes, scaling: dict) -> list[dict]:
    """The (up to) three features that add most to a customer's risk, strongest first, worked out from their
    stored feature values and the model's ``scaling`` (ChurnModel.scaling) as the model computed them: each
    feature standardised ((value − mean) / scale) times its coefficient is the log-odds it adds. Each reason:
    the feature, whether the customer's value is above ("high") or below ("low") the average customer's, the
    value (2 places) and its contribution (3 places); only contributions above zero are reasons. None without
    feature values or the model's scaling."""
    if not features or not scaling:
        return []
    x = np.frombuffer(features, dtype="<f8")
    z = (x - np.asarray(scaling["mean"])) / np.asarray(scaling["scale"])
    contributions = z * np.asarray(scaling["coef"])
    top = np.argsort(-contributions)[:3]
    value, contribution = np.round(x[top], 2).tolist(), np.round(contributions[top], 3).tolist()
    return [
        {"feature": scaling["features"][j], "direction": "high" if z[j] > 0 else "low", "value": v, "contribution": c}
        for j, v, c in zip(top.tolist(), value, contribution, strict=True)
        if c > 0
    ]


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

"""The registry of report sections: a key, a translated title, and the function that reads its data.

Each reader takes the report's scope and period and returns a plain dict the templates (HTML e-mail,
preview, PDF) draw; charts come as SVG strings from ``reports.svg``. The numbers come from the same
selectors as the dashboards (snapshots), so the report and the dashboard agree for the same filters.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplans.models import Action
from journeys.models import Touchpoint
from metrics.kpis import REGISTRY, period_start
from metrics.models import ScopeType
from metrics.selectors.dashboards import map_kpis, overview_cards
from metrics.selectors.snapshots import kpi_by_scope, kpi_series
from reports import svg
from reports.schedule import bucket_of, site_zone
from surveys import scales
from surveys.models import Answer
from surveys.selectors.campaigns import campaigns_with_counts

TREND_KPIS = ["nps", "csat", "ces"]
TREND_BUCKETS = 6
COMMENT_LIMIT = 5
OVERDUE_LIMIT = 10
CAMPAIGN_LIMIT = 8
TOPIC_LIMIT = 5
DRIVER_LIMIT = 5
RISK_LIMIT = 10
TOUCHPOINT_LIMIT = 20
KPI_LABELS = {
    "nps": gettext_lazy("NPS"),
    "csat": gettext_lazy("CSAT"),
    "ces": gettext_lazy("CES"),
    "response_rate": gettext_lazy("Response rate"),
    "conversion_rate": gettext_lazy("Conversion rate"),
    "churn_rate": gettext_lazy("Churn rate"),
    "retention_rate": gettext_lazy("Retention rate"),
    "clv": gettext_lazy("Customer lifetime value"),
}

# The model's status labels are not marked for translation; the report needs them in the reader's language.
STATUS_LABELS = {
    Action.Status.OPEN: gettext_lazy("Open"),
    Action.Status.IN_PROGRESS: gettext_lazy("In progress"),
    Action.Status.BLOCKED: gettext_lazy("Blocked"),
    Action.Status.DONE: gettext_lazy("Done"),
    Action.Status.CANCELLED: gettext_lazy("Cancelled"),
    Action.Status.OBSOLETE: gettext_lazy("Obsolete"),
}


# The filters a report can hold, in the order they are named.
FILTER_KEYS = ("map", "persona", "channel", "department")
FILTER_LABELS = {
    "map": gettext_lazy("Journey map"),
    "persona": gettext_lazy("Persona"),
    "channel": gettext_lazy("Channel"),
    "department": gettext_lazy("Department"),
}


@dataclass(frozen=True)
class ReportScope:
    """What one rendering reads: the filters, the period and its bucket."""

    journey_map_id: int | None
    department_id: int | None
    date_from: datetime.date
    date_to: datetime.date
    bucket: str
    persona_id: int | None = None
    channel: str = ""

    @property
    def active_filters(self) -> list[str]:
        values = {
            "map": self.journey_map_id,
            "persona": self.persona_id,
            "channel": self.channel,
            "department": self.department_id,
        }
        return [key for key in FILTER_KEYS if values[key]]

    @property
    def kpi_filter(self) -> str | None:
        """The one filter the KPI snapshots are read for: they are kept per journey map, persona or channel,
        not per combination; with several set, the map comes first, then the persona, then the channel."""
        for key in ("map", "persona", "channel"):
            if key in self.active_filters:
                return key
        return None

    @property
    def scope(self) -> tuple[str, str]:
        """The KPI snapshots' scope, as the overview dashboard reads it for the same filter."""
        kpi_filter = self.kpi_filter
        if kpi_filter == "map":
            return ScopeType.MAP, str(self.journey_map_id)
        if kpi_filter == "persona":
            return ScopeType.PERSONA, str(self.persona_id)
        if kpi_filter == "channel":
            return ScopeType.CHANNEL, self.channel
        return ScopeType.COMPANY, ""


def kpi_number(kpi: str, value: float | None) -> str:
    """A KPI value in the active language's format (12,9 in German), with its unit."""
    if value is None:
        return "–"
    digits = 2 if kpi in ("ces", "clv") else 1
    text = formats.number_format(value, digits, use_l10n=True, force_grouping=kpi == "clv")
    if kpi == "clv":
        return f"{text} {settings.CX_CURRENCY}"
    if REGISTRY[kpi].unit == "%":
        return f"{text} %"
    return text


def _change_text(card) -> str:
    change = card.significance
    if change is None or change.delta is None:
        return _("no comparison")
    delta = formats.number_format(change.delta, 2 if card.kpi in ("ces", "clv") else 1, use_l10n=True)
    sign = "+" if change.delta > 0 else ""
    reading = {"significant": _("significant"), "noise": _("within noise"), "untested": _("not tested")}
    return f"{sign}{delta} ({reading[change.reading]})"


def kpi_summary(scope: ReportScope) -> dict:
    scope_type, scope_key = scope.scope
    cards = overview_cards(
        scope_type=scope_type,
        scope_key=scope_key,
        date_from=scope.date_from,
        date_to=scope.date_to,
        bucket=scope.bucket,
        today=scope.date_to + datetime.timedelta(days=1),
    )
    rows = [
        {
            "kpi": card.kpi,
            "label": KPI_LABELS.get(card.kpi, card.kpi),
            "value": kpi_number(card.kpi, card.current.value),
            "n": card.current.n,
            "previous": kpi_number(card.kpi, card.previous.value),
            "change": _change_text(card),
            "significant": bool(card.significance and card.significance.significant),
        }
        for card in cards
    ]
    return {"rows": rows}


def trend(scope: ReportScope) -> dict:
    scope_type, scope_key = scope.scope
    first = scope.date_to
    for _step in range(TREND_BUCKETS):
        first = period_start(first, scope.bucket) - datetime.timedelta(days=1)
    first = first + datetime.timedelta(days=1)
    charts = []
    for kpi in TREND_KPIS:
        series = kpi_series(
            kpi=kpi,
            scope_type=scope_type,
            scope_key=scope_key,
            bucket=scope.bucket,
            date_from=first,
            date_to=scope.date_to,
        )
        points = series["results"]
        labels = [formats.date_format(p["period_start"], "SHORT_DATE_FORMAT") for p in points]
        values = [p["value"] for p in points]
        if not any(v is not None for v in values):
            charts.append({"title": KPI_LABELS[kpi], "svg": ""})
            continue
        chart = svg.line_chart(
            title=str(KPI_LABELS[kpi]),
            labels=labels,
            values=values,
            digits=2 if kpi == "ces" else 1,
            number=lambda v, k=kpi: kpi_number(k, v),
        )
        charts.append({"title": KPI_LABELS[kpi], "svg": chart})
    return {"charts": charts}


def journey_map(scope: ReportScope) -> dict:
    if not scope.journey_map_id:
        return {"missing": _("Choose a journey map for this section.")}
    data = map_kpis(map_id=scope.journey_map_id, date_from=scope.date_from, date_to=scope.date_to)
    stages = [
        {
            "name": point["stage"].name,
            "felt": point["felt"],
            "measured": point["measured"],
        }
        for point in data["curve"]
    ]
    touchpoints = [
        {
            "name": badge["touchpoint"].name,
            "items": [
                {"label": item["label"], "value": kpi_number(item["kpi"], item["result"].value), "n": item["result"].n}
                for item in badge["items"]
            ],
        }
        for badge in data["badges"]
    ]
    chart = svg.line_chart(
        title=_("Emotion per stage (measured)"),
        labels=[s["name"] for s in stages],
        values=[s["measured"] for s in stages],
        number=lambda v: formats.number_format(v, 1, use_l10n=True),
    )
    return {"stages": stages, "touchpoints": touchpoints, "chart": chart}


def _in_period(scope: ReportScope, path: str) -> Q:
    tz = site_zone()
    start = datetime.datetime.combine(scope.date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(scope.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return Q(**{f"{path}__gte": start, f"{path}__lt": end})


def detractor_comments(scope: ReportScope) -> dict:
    detractors = Answer.objects.filter(
        _in_period(scope, "response__submitted_at"),
        question__kind=scales.NPS,
        value__lte=scales.NPS_DETRACTOR_MAX,
    )
    if scope.journey_map_id:
        detractors = detractors.filter(response__touchpoint__stage__journey_map_id=scope.journey_map_id)
    if scope.persona_id:
        detractors = detractors.filter(response__customer__persona_id=scope.persona_id)
    if scope.channel:
        detractors = detractors.filter(response__touchpoint__channel=scope.channel)
    comments = (
        Answer.objects.filter(
            response_id__in=detractors.values("response_id"), question__kind__in=["short_text", "long_text"]
        )
        .exclude(text="")
        .select_related("response__touchpoint")
        .order_by("-response__submitted_at", "-pk")[:COMMENT_LIMIT]
    )
    return {
        "comments": [
            {
                "text": a.text,
                "touchpoint": a.response.touchpoint.name if a.response.touchpoint_id else "",
                "date": a.response.submitted_at,
            }
            for a in comments
        ]
    }


def actions(scope: ReportScope) -> dict:
    queryset = Action.objects.all()
    if scope.department_id:
        queryset = queryset.filter(department_id=scope.department_id)
    as_of = scope.date_to + datetime.timedelta(days=1)
    counts = dict(queryset.values_list("status").annotate(c=Count("id")).order_by())
    statuses = [{"label": STATUS_LABELS[value], "count": counts.get(value, 0)} for value in Action.Status.values]
    overdue = list(
        queryset.exclude(status__in=Action.CLOSED)
        .filter(due_date__lt=as_of)
        .select_related("department", "owner")
        .order_by("due_date", "pk")[:OVERDUE_LIMIT]
    )
    return {
        "statuses": statuses,
        "overdue": [
            {
                "title": a.title,
                "department": a.department.name,
                "owner": (a.owner.get_full_name() or a.owner.username) if a.owner_id else "–",
                "due_date": a.due_date,
                "days": (as_of - a.due_date).days,
            }
            for a in overdue
        ],
    }


def campaigns(scope: ReportScope) -> dict:
    """The latest campaigns sent by the end of the period (those of the period first among them)."""
    end = datetime.datetime.combine(scope.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=site_zone())
    rows = campaigns_with_counts().filter(send_at__lt=end, dispatched_at__isnull=False)
    if scope.journey_map_id:
        rows = rows.filter(survey__touchpoint__stage__journey_map_id=scope.journey_map_id)
    if scope.channel:
        rows = rows.filter(survey__touchpoint__channel=scope.channel)
    latest = list(rows.order_by("-send_at", "-pk")[:CAMPAIGN_LIMIT])[::-1]
    items = [
        {
            "name": c.name,
            "send_at": c.send_at,
            "sent": c.sent,
            "responded": c.responded,
            "rate": scales.response_rate(sent=c.sent, responded=c.responded),
        }
        for c in latest
    ]
    chart = (
        svg.bar_chart(
            title=_("Response rate per campaign"),
            labels=[i["name"] for i in items],
            values=[i["rate"] for i in items],
            number=lambda v: kpi_number("response_rate", v),
        )
        if items
        else ""
    )
    for item in items:
        item["rate_text"] = kpi_number("response_rate", item["rate"])
    return {"campaigns": items, "chart": chart}


def _percent(value: float) -> str:
    return formats.number_format(round(100 * value, 1), 1) + " %"


def voice_topics(scope: ReportScope) -> dict:
    """The topics customers wrote about in the period (survey comments, tickets, reviews), most frequent first."""
    from voice.models import FeedbackItem
    from voice.selectors import topic_stats

    items = FeedbackItem.objects.filter(_in_period(scope, "occurred_at"))
    if scope.journey_map_id:
        items = items.filter(touchpoint__stage__journey_map_id=scope.journey_map_id)
    if scope.persona_id:
        items = items.filter(customer__persona_id=scope.persona_id)
    if scope.channel:
        # A text's own channel; a survey comment has none of its own and takes its touchpoint's.
        items = items.filter(Q(channel=scope.channel) | Q(channel="", touchpoint__channel=scope.channel))
    rows = [
        {
            "label": stats.topic.display_label,
            "count": stats.count,
            "negative": _percent(stats.negative / stats.count),
        }
        for stats in topic_stats(items=items)
        if stats.count
    ][:TOPIC_LIMIT]
    return {"topics": rows, "items": items.count()}


def key_drivers(scope: ReportScope) -> dict:
    """What explains the relationship NPS in the period: the significant drivers, most important first."""
    from decisions.charts import quadrant_labels
    from decisions.services.drivers import drivers_analyse

    analysis = drivers_analyse(kpi="nps", date_from=scope.date_from, date_to=scope.date_to)
    if analysis.refused:
        return {"missing": _("Too few customers with a relationship NPS in this period to name key drivers.")}
    labels = quadrant_labels()
    drivers = sorted((d for d in analysis.drivers if d.significant), key=lambda d: -d.importance)[:DRIVER_LIMIT]
    return {
        "drivers": [
            {
                "name": d.name,
                "importance": _percent(d.importance),
                "performance": formats.number_format(round(d.performance, 1), 1),
                "quadrant": labels.get(d.quadrant, ""),
            }
            for d in drivers
        ],
        "n": analysis.n,
    }


def customers_at_risk(scope: ReportScope) -> dict:
    """The customers most likely to leave, as the latest churn model scored them (none when it refused)."""
    from decisions.models import ChurnModel
    from decisions.reasons import reason_label
    from decisions.selectors import risks_ranked
    from decisions.services.churn import latest_model

    model = latest_model()
    if model is None or model.status != ChurnModel.Status.OK:
        return {"missing": _("No churn-risk model with enough history yet: no customer is scored.")}
    risks = risks_ranked()
    if scope.persona_id:
        risks = risks.filter(customer__persona_id=scope.persona_id)
    return {
        "customers": [
            {
                "name": r.customer.name,
                "probability": _percent(r.probability),
                "reasons": ", ".join(reason_label(reason) for reason in r.reasons[:2]),
            }
            for r in risks[:RISK_LIMIT]
        ],
        "auc": formats.number_format(round(model.auc or 0, 2), 2),
    }


def touchpoints(scope: ReportScope) -> dict:
    """NPS, CSAT and CES per touchpoint of the period (the breakdown page's numbers), in map order."""
    values = {
        kpi: kpi_by_scope(kpi=kpi, scope_type=ScopeType.TOUCHPOINT, date_from=scope.date_from, date_to=scope.date_to)
        for kpi in TREND_KPIS
    }
    ids = {int(key) for kpi_values in values.values() for key, result in kpi_values.items() if result.n}
    queryset = Touchpoint.objects.filter(pk__in=ids).select_related("stage__journey_map")
    if scope.journey_map_id:
        queryset = queryset.filter(stage__journey_map_id=scope.journey_map_id)
    if scope.channel:
        queryset = queryset.filter(channel=scope.channel)
    if scope.department_id:
        # A department's report: the touchpoints it owns (their follow-ups land there).
        queryset = queryset.filter(ownership__department_id=scope.department_id)
    rows = []
    for tp in queryset.order_by("stage__journey_map__name", "stage__position", "position", "pk")[:TOUCHPOINT_LIMIT]:
        cells = []
        for kpi in TREND_KPIS:
            result = values[kpi].get(str(tp.pk))
            has_value = result is not None and result.value is not None
            cells.append(
                {"value": kpi_number(kpi, result.value if has_value else None), "n": result.n if result else 0}
            )
        rows.append(
            {"name": tp.name, "map": tp.stage.journey_map.name, "channel": tp.get_channel_display(), "cells": cells}
        )
    return {"kpis": [KPI_LABELS[k] for k in TREND_KPIS], "rows": rows}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    reader: Callable[[ReportScope], dict]
    description: str = ""
    needs_map: bool = False
    # The report filters this section honours; "kpi" stands for one of map, persona and channel (the
    # KPI snapshots hold one of them at a time, see ReportScope.kpi_filter).
    filters: tuple[str, ...] = ()


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in [
        Section(
            "kpi_summary",
            gettext_lazy("KPI summary"),
            kpi_summary,
            gettext_lazy("Every KPI of the period beside the previous period, with its significance."),
            filters=("kpi",),
        ),
        Section(
            "trend",
            gettext_lazy("Trend"),
            trend,
            gettext_lazy("NPS, CSAT and CES over the last six periods as charts."),
            filters=("kpi",),
        ),
        Section(
            "touchpoints",
            gettext_lazy("Breakdown by touchpoint"),
            touchpoints,
            gettext_lazy("NPS, CSAT and CES of each touchpoint with answers in the period."),
            filters=("map", "channel", "department"),
        ),
        Section(
            "journey_map",
            gettext_lazy("Journey map: emotion and KPIs"),
            journey_map,
            gettext_lazy("The measured emotion per stage and each touchpoint's KPIs."),
            needs_map=True,
            filters=("map",),
        ),
        Section(
            "detractor_comments",
            gettext_lazy("Latest detractor comments"),
            detractor_comments,
            gettext_lazy("The five latest comments of customers who gave 0–6."),
            filters=("map", "persona", "channel"),
        ),
        Section(
            "actions",
            gettext_lazy("Actions: status and overdue"),
            actions,
            gettext_lazy("Actions per status and the overdue ones with their owners."),
            filters=("department",),
        ),
        Section(
            "voice_topics",
            gettext_lazy("Voice: topics of the period"),
            voice_topics,
            gettext_lazy("What customers wrote about most (comments, tickets, reviews) with the negative share."),
            filters=("map", "persona", "channel"),
        ),
        Section(
            "key_drivers",
            gettext_lazy("Key drivers of the NPS"),
            key_drivers,
            gettext_lazy("The touchpoints and questions that explain the relationship NPS, most important first."),
        ),
        Section(
            "customers_at_risk",
            gettext_lazy("Customers at risk"),
            customers_at_risk,
            gettext_lazy("The customers most likely to leave, with the main reasons."),
            filters=("persona",),
        ),
        Section(
            "campaigns",
            gettext_lazy("Campaign response rates"),
            campaigns,
            gettext_lazy("The latest campaigns with invitations sent, answers and response rate."),
            filters=("map", "channel"),
        ),
    ]
}
SECTION_CHOICES = [(s.key, s.title) for s in SECTIONS.values()]


def scope_for(report, *, date_from: datetime.date, date_to: datetime.date) -> ReportScope:
    return ReportScope(
        report.journey_map_id,
        report.department_id,
        date_from,
        date_to,
        bucket_of(report.rhythm),
        persona_id=report.persona_id,
        channel=report.channel or "",
    )


def _names(keys) -> str:
    return ", ".join(str(FILTER_LABELS[key]) for key in keys)


def filter_note(section: Section, scope: ReportScope) -> dict:
    """Which of the report's filters this section applies, and which it cannot (with why, for the KPIs)."""
    active = scope.active_filters
    if "kpi" in section.filters:
        applied = [scope.kpi_filter] if scope.kpi_filter else []
    else:
        applied = [key for key in active if key in section.filters]
    ignored = [key for key in active if key not in applied]
    note = {"applied": _names(applied), "ignored": _names(ignored), "reason": ""}
    if "kpi" in section.filters and len([k for k in ignored if k != "department"]):
        note["reason"] = _("The KPIs are kept per journey map, persona or channel, not per combination.")
    return note

"""Reads in journeys shared by views and the API."""

from dataclasses import dataclass
from dataclasses import field as dc_field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from journeys.history_text import field_label, reorder_names, shown_value
from journeys.models import (
    Channel,
    Customer,
    JourneyMap,
    Lane,
    MapChange,
    Opportunity,
    PainPoint,
    Persona,
    Stage,
    Touchpoint,
)


def journey_map_list() -> QuerySet[JourneyMap]:
    return (
        JourneyMap.objects.select_related("owner")
        .prefetch_related("personas")
        .annotate(
            stage_count=Count("stages", distinct=True), touchpoint_count=Count("stages__touchpoints", distinct=True)
        )
    )


def journey_map_detail(*, map_id: int) -> JourneyMap:
    """The map with its stages and their touchpoints, in a fixed number of queries."""
    return get_object_or_404(
        JourneyMap.objects.select_related("owner").prefetch_related(
            "personas",
            Prefetch(
                "stages",
                queryset=Stage.objects.prefetch_related(
                    Prefetch("touchpoints", queryset=Touchpoint.objects.order_by("position", "id"))
                ).order_by("position", "id"),
            ),
        ),
        pk=map_id,
    )


def touchpoint_choices() -> QuerySet[Touchpoint]:
    return Touchpoint.objects.select_related("stage__journey_map").order_by(
        "stage__journey_map__name", "stage__position", "position"
    )


def _full_map_queryset() -> QuerySet[JourneyMap]:
    return JourneyMap.objects.select_related("owner").prefetch_related(
        "personas",
        Prefetch(
            "stages",
            queryset=Stage.objects.prefetch_related(
                Prefetch("touchpoints", queryset=Touchpoint.objects.order_by("position", "id"))
            ).order_by("position", "id"),
        ),
        Prefetch("lanes", queryset=Lane.objects.prefetch_related("cells").order_by("position", "id")),
        Prefetch("pain_points", queryset=PainPoint.objects.order_by("-severity", "id")),
        Prefetch("opportunities", queryset=Opportunity.objects.order_by("-impact", "effort", "id")),
    )


def journey_map_full(*, map_id: int) -> JourneyMap:
    """The whole map for the workbench and the API detail: stages with touchpoints, lanes with cells,
    pain points, opportunities and personas, in a fixed number of queries."""
    return get_object_or_404(_full_map_queryset(), pk=map_id)


def journey_maps_full(*, map_ids: list[int]) -> list[JourneyMap]:
    """Several whole maps in the order asked for, in the same fixed number of queries as one map.

    Raises ``Http404`` naming the ids that do not exist, so a stale print link says what is missing."""
    maps = {m.pk: m for m in _full_map_queryset().filter(pk__in=map_ids)}
    missing = [str(pk) for pk in map_ids if pk not in maps]
    if missing:
        raise Http404(f"No journey map with id {', '.join(missing)}.")
    return [maps[pk] for pk in map_ids]


def journey_map_full_queryset() -> QuerySet[JourneyMap]:
    """The queryset behind :func:`journey_map_full`, for the API's retrieve."""
    return _full_map_queryset()


def pain_point_list(*, journey_map: JourneyMap) -> QuerySet[PainPoint]:
    """The map's pain points, most severe first."""
    return journey_map.pain_points.select_related("stage", "touchpoint").order_by("-severity", "stage__position", "id")


def opportunity_list(*, journey_map: JourneyMap) -> QuerySet[Opportunity]:
    """The map's opportunities, biggest lever first: high impact, then low effort."""
    return journey_map.opportunities.select_related("stage", "touchpoint").order_by(
        "-impact", "effort", "stage__position", "id"
    )


# --- Personas and customers ---------------------------------------------------------------------


def _segment_condition(rule: dict) -> Q:
    """Customers whose attributes hold every key/value of ``rule`` (JSON equality, so 5 ≠ "5").

    The explicit ``__exact`` makes every key a key transform, even one named like a lookup ("contains");
    keys are plain names without "__" (services.personas.ATTRIBUTE_KEY_RE).
    """
    return Q(**{f"attributes__{key}__exact": value for key, value in rule.items()})


def persona_segment_customers(persona: Persona) -> QuerySet[Customer]:
    """The customers the persona's segment rule matches (none when it has no rule)."""
    if not persona.segment_rule:
        return Customer.objects.none()
    return Customer.objects.filter(_segment_condition(persona.segment_rule))


def persona_segment_counts(personas) -> dict[int, int]:
    """{persona id: customers its segment rule matches}, for a whole page of personas in one query."""
    counts = {p.pk: 0 for p in personas}
    ruled = [p for p in personas if p.segment_rule]
    if ruled:
        totals = Customer.objects.aggregate(
            **{f"p{p.pk}": Count("pk", filter=_segment_condition(p.segment_rule)) for p in ruled}
        )
        counts.update({p.pk: totals[f"p{p.pk}"] for p in ruled})
    return counts


def persona_list() -> QuerySet[Persona]:
    return Persona.objects.annotate(
        map_count=Count("journey_maps", distinct=True), customer_count=Count("customers", distinct=True)
    ).order_by("name")


def persona_detail(*, persona_id: int) -> Persona:
    """The persona with its journey maps and the number of customers assigned to it."""
    return get_object_or_404(
        Persona.objects.annotate(customer_count=Count("customers")).prefetch_related(
            Prefetch("journey_maps", queryset=JourneyMap.objects.order_by("name"))
        ),
        pk=persona_id,
    )


def customer_list(*, search: str = "", persona: str | int | None = None) -> QuerySet[Customer]:
    """Customers matching ``search`` (name, e-mail, external id); ``persona`` an id, or "none" for unassigned."""
    customers = Customer.objects.select_related("persona").order_by("name", "external_id")
    if search := search.strip():
        customers = customers.filter(
            Q(name__icontains=search) | Q(email__icontains=search) | Q(external_id__icontains=search)
        )
    if persona == "none":
        customers = customers.filter(persona__isnull=True)
    elif persona:
        customers = customers.filter(persona_id=persona)
    return customers


def customer_detail(*, customer_id: int) -> Customer:
    # "responses" is the reverse name of surveys' Response.customer; journeys does not import surveys.
    return get_object_or_404(
        Customer.objects.select_related("persona").annotate(response_count=Count("responses")), pk=customer_id
    )


# --- Future state: the comparison of a map with its counterpart, and the map's history ------------------

# The derivation's history entry on the future-state map stores ``{key: [original ids, copy ids]}``
# under these keys (see services/derive.py); the comparison follows them, the history page hides them.
DERIVATION_ID_KEYS = ("stage_ids", "touchpoint_ids", "pain_point_ids", "opportunity_ids")
COMPARED_TOUCHPOINT_FIELDS = (
    "name",
    "channel",
    "description",
    "customer_action",
    "thoughts",
    "emotion_score",
    "emotion_note",
    "is_moment_of_truth",
    "is_direct",
    "is_two_way",
    "is_digital",
)
HISTORY_PAGE_SIZE = 25


def _shown(field: str, value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "channel" and value in Channel.values:
        return Channel(value).label
    if field == "emotion_score" and isinstance(value, int):
        return f"{value:+d}"
    return str(value)


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class TouchpointDiff:
    """One touchpoint in the comparison: ``added``, ``removed``, ``changed`` or ``unchanged``."""

    status: str
    current: Touchpoint | None = None
    future: Touchpoint | None = None
    changes: list[FieldChange] = dc_field(default_factory=list)

    @property
    def touchpoint(self) -> Touchpoint:
        return self.future or self.current

    @property
    def changed_fields(self) -> list[str]:
        return [c.field for c in self.changes]

    @property
    def emotion_delta(self) -> int | None:
        """Future minus current emotion score (−2 → +1 is +3); None unless both maps have a score."""
        if self.current is None or self.future is None:
            return None
        if self.current.emotion_score is None or self.future.emotion_score is None:
            return None
        return self.future.emotion_score - self.current.emotion_score


@dataclass
class StageRow:
    """A stage of either map (or the pair of them), with its touchpoints' differences."""

    current: Stage | None
    future: Stage | None
    touchpoints: list[TouchpointDiff] = dc_field(default_factory=list)

    @property
    def status(self) -> str:
        if self.current is None:
            return "added"
        if self.future is None:
            return "removed"
        return "renamed" if self.current.name != self.future.name else "kept"


@dataclass
class MapComparison:
    current: JourneyMap
    future: JourneyMap
    matched_by: str  # "derivation" (ids kept by the derivation) or "names"
    rows: list[StageRow]
    resolved_pain_points: list[PainPoint]
    new_opportunities: list[Opportunity]

    def _with(self, status: str) -> list[TouchpointDiff]:
        return [d for row in self.rows for d in row.touchpoints if d.status == status]

    @property
    def added(self) -> list[TouchpointDiff]:
        return self._with("added")

    @property
    def removed(self) -> list[TouchpointDiff]:
        return self._with("removed")

    @property
    def changed(self) -> list[TouchpointDiff]:
        return self._with("changed")

    @staticmethod
    def _mean(journey_map: JourneyMap) -> float | None:
        scores = [
            tp.emotion_score
            for stage in journey_map.stages.all()
            for tp in stage.touchpoints.all()
            if tp.emotion_score is not None
        ]
        return round(sum(scores) / len(scores), 1) if scores else None

    @property
    def emotion_mean_current(self) -> float | None:
        return self._mean(self.current)

    @property
    def emotion_mean_future(self) -> float | None:
        return self._mean(self.future)


def _derivation_ids(current: JourneyMap, future: JourneyMap) -> dict[str, dict[int, int]] | None:
    """{key: {original id: copy id}} from the derivation of ``future`` from ``current``, if there was one."""
    entry = (
        MapChange.objects.filter(
            journey_map=future, action=MapChange.Action.DERIVED, object_type="journeymap", object_id=current.pk
        )
        .order_by("-at", "-id")
        .first()
    )
    if entry is None:
        return None
    ids = {}
    for key in DERIVATION_ID_KEYS:
        pair = entry.changes.get(key)
        ok = isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, list) for p in pair)
        ids[key] = dict(zip(pair[0], pair[1], strict=False)) if ok else {}
    return ids


def _pair(current_items, future_items, *, id_map: dict[int, int] | None, keys) -> list[tuple]:
    """Pairs (current, future): by the derivation's ids when known, else by each key function in turn."""
    future_by_id = {f.pk: f for f in future_items}
    pairs, used = [], set()
    if id_map is not None:
        for c in current_items:
            f = future_by_id.get(id_map.get(c.pk))
            if f is not None and f.pk not in used:
                pairs.append((c, f))
                used.add(f.pk)
        return pairs
    paired = set()
    for key in keys:
        waiting: dict = {}
        for f in future_items:
            if f.pk not in used:
                waiting.setdefault(key(f), []).append(f)
        for c in current_items:
            if c.pk not in paired and waiting.get(key(c)):
                f = waiting[key(c)].pop(0)
                pairs.append((c, f))
                used.add(f.pk)
                paired.add(c.pk)
    return pairs


def _compare(current: JourneyMap, future: JourneyMap) -> MapComparison:
    ids = _derivation_ids(current, future)
    cur_stages, fut_stages = list(current.stages.all()), list(future.stages.all())
    cur_stage_of = {tp.pk: s for s in cur_stages for tp in s.touchpoints.all()}
    fut_stage_of = {tp.pk: s for s in fut_stages for tp in s.touchpoints.all()}

    stage_pairs = _pair(
        cur_stages,
        fut_stages,
        id_map=ids and ids["stage_ids"],
        keys=[lambda s: s.name.casefold()],
    )
    fut_for_cur_stage = {c.pk: f for c, f in stage_pairs}
    cur_for_fut_stage = {f.pk: c for c, f in stage_pairs}

    def stage_name(tp, stage_of):
        return stage_of[tp.pk].name.casefold()

    tp_pairs = _pair(
        [tp for s in cur_stages for tp in s.touchpoints.all()],
        [tp for s in fut_stages for tp in s.touchpoints.all()],
        id_map=ids and ids["touchpoint_ids"],
        keys=[
            lambda tp: (stage_name(tp, cur_stage_of if tp.pk in cur_stage_of else fut_stage_of), tp.name.casefold()),
            lambda tp: tp.name.casefold(),
        ],
    )
    cur_for_fut_tp = {f.pk: c for c, f in tp_pairs}
    paired_current = {c.pk for c, _ in tp_pairs}

    def diff(c: Touchpoint, f: Touchpoint) -> TouchpointDiff:
        changes = [
            FieldChange(name, str(Touchpoint._meta.get_field(name).verbose_name), _shown(name, old), _shown(name, new))
            for name in COMPARED_TOUCHPOINT_FIELDS
            if (old := getattr(c, name)) != (new := getattr(f, name))
        ]
        old_stage, new_stage = cur_stage_of[c.pk], fut_stage_of[f.pk]
        if fut_for_cur_stage.get(old_stage.pk) is not new_stage:
            changes.insert(0, FieldChange("stage", "stage", old_stage.name, new_stage.name))
        return TouchpointDiff("changed" if changes else "unchanged", c, f, changes)

    rows = []
    for fs in fut_stages:
        cs = cur_for_fut_stage.get(fs.pk)
        row = StageRow(current=cs, future=fs)
        for tp in fs.touchpoints.all():
            c = cur_for_fut_tp.get(tp.pk)
            row.touchpoints.append(diff(c, tp) if c else TouchpointDiff("added", future=tp))
        rows.append(row)
    for cs in cur_stages:
        if cs.pk not in fut_for_cur_stage:
            # A removed stage goes after the row of the nearest earlier stage of the current map.
            at = 0
            for i, row in enumerate(rows):
                if row.current is not None and (row.current.position, row.current.pk) < (cs.position, cs.pk):
                    at = i + 1
            rows.insert(at, StageRow(current=cs, future=None))
    row_of_current_stage = {row.current.pk: row for row in rows if row.current is not None}
    for cs in cur_stages:
        for tp in cs.touchpoints.all():
            if tp.pk not in paired_current:
                row_of_current_stage[cs.pk].touchpoints.append(TouchpointDiff("removed", current=tp))

    cur_pain, fut_pain = list(current.pain_points.all()), list(future.pain_points.all())
    kept_pain = {
        c.pk
        for c, _ in _pair(cur_pain, fut_pain, id_map=ids and ids["pain_point_ids"], keys=[lambda p: p.title.casefold()])
    }
    cur_opp, fut_opp = list(current.opportunities.all()), list(future.opportunities.all())
    kept_opp = {
        f.pk
        for _, f in _pair(cur_opp, fut_opp, id_map=ids and ids["opportunity_ids"], keys=[lambda o: o.title.casefold()])
    }
    return MapComparison(
        current=current,
        future=future,
        matched_by="derivation" if ids is not None else "names",
        rows=rows,
        resolved_pain_points=[p for p in cur_pain if p.pk not in kept_pain],
        new_opportunities=[o for o in fut_opp if o.pk not in kept_opp],
    )


def journey_map_compare(*, map_id: int, other_id: int | None = None) -> MapComparison | None:
    """The map compared with ``other_id`` or, without it, with its derived_from / newest derived map.

    The older side ("current") is the map the other was derived from; otherwise the future-state map
    is the "future" side. None when the map has no counterpart (or is compared with itself).
    """
    this = journey_map_full(map_id=map_id)
    if other_id is None:
        other_id = this.derived_from_id or (
            JourneyMap.objects.filter(derived_from=this)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
    if other_id is None or int(other_id) == this.pk:
        return None
    other = journey_map_full(map_id=other_id)
    if this.derived_from_id == other.pk:
        return _compare(other, this)
    if other.derived_from_id == this.pk:
        return _compare(this, other)
    if this.kind == JourneyMap.Kind.FUTURE_STATE and other.kind != JourneyMap.Kind.FUTURE_STATE:
        return _compare(other, this)
    return _compare(this, other)


def journey_map_compare_choices(*, exclude_id: int) -> QuerySet[JourneyMap]:
    """The maps a map can be compared with (for the counterpart chooser)."""
    return JourneyMap.objects.exclude(pk=exclude_id).only("id", "name", "kind").order_by("name", "id")


def journey_map_history(*, journey_map: JourneyMap, page_number=1) -> Page:
    """A page of the map's history, newest first, in two queries; each entry gets ``field_changes``.

    ``field_changes`` is ``[(field label, old, new)]`` from the entry's ``{field: [old, new]}``, without the
    derivation's id lists; reordered ids read as names (journeys.history_text), in one more query per kind.
    """
    entries = MapChange.objects.filter(journey_map=journey_map).select_related("user").order_by("-at", "-id")
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(page_number)
    names = reorder_names(page)

    def shown(name, value):
        readable = shown_value(name, value, names)
        return _shown(name, value) if readable is None else readable

    for entry in page:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        entry.field_changes = [
            (
                field_label(entry.object_type, name),
                *(
                    (shown(name, value[0]), shown(name, value[1]))
                    if isinstance(value, list) and len(value) == 2
                    else ("–", shown(name, value))
                ),
            )
            for name, value in changes.items()
            if name not in DERIVATION_ID_KEYS
        ]
    return page


def touchpoint_detail(*, touchpoint_id: int) -> Touchpoint:
    """One touchpoint with its stage, map and the pain points and opportunities placed on it (3 queries)."""
    return get_object_or_404(
        Touchpoint.objects.select_related("stage__journey_map").prefetch_related(
            Prefetch("pain_points", queryset=PainPoint.objects.order_by("-severity", "id")),
            Prefetch("opportunities", queryset=Opportunity.objects.order_by("-impact", "effort", "id")),
        ),
        pk=touchpoint_id,
    )

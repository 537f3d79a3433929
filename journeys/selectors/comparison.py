"""The comparison of a map with its counterpart (current state vs. future state)."""

from dataclasses import dataclass
from dataclasses import field as dc_field

from django.db.models import QuerySet

from journeys.models import (
    TOUCHPOINT_CONTENT_FIELDS,
    Channel,
    JourneyMap,
    MapChange,
    Opportunity,
    PainPoint,
    Stage,
    Touchpoint,
)
from journeys.selectors.maps import journey_map_full

# The derivation's history entry on the future-state map stores ``{key: [original ids, copy ids]}``
# under these keys (see services/derive.py); the comparison follows them, the history page hides them.
DERIVATION_ID_KEYS = ("stage_ids", "touchpoint_ids", "pain_point_ids", "opportunity_ids")
COMPARED_TOUCHPOINT_FIELDS = TOUCHPOINT_CONTENT_FIELDS


def value_text(field: str, value) -> str:
    """A touchpoint field's value as the comparison and the history show it."""
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
            FieldChange(
                name, str(Touchpoint._meta.get_field(name).verbose_name), value_text(name, old), value_text(name, new)
            )
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

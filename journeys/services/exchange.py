"""A journey map as a portable document (JSON, version 1) and as CSV: export, validation and import.

The JSON document references stages and touchpoints by their position in the document, never by
database ids, so it round-trips: exporting an imported map gives the same document again (apart from the
map's name and ``exported_at``)::

    {"format": "cxportal.journey_map", "version": 1, "exported_at": "...",
     "map": {"name", "kind", "goal", "scope", "status", "review_cadence_days"},
     "personas": ["<persona name>", ...],
     "stages": [{"name", "description", "touchpoints": [{"name", "channel", ..., "emotion_score"}]}],
     "lanes": [{"kind", "name", "hidden", "cells": {"<stage index>": "text"}}],
     "pain_points": [{"title", ..., "severity", "stage": <stage index> | null,
                      "touchpoint": {"stage": <stage index>, "index": <touchpoint index>} | null}],
     "opportunities": [{"title", ..., "impact", "effort", "stage", "touchpoint"}]}

Import validates the whole document before it writes anything and reports every problem with its path
(``stages[2].touchpoints[0].emotion_score: must be between −3 and 3``). Unknown keys are ignored, so a
later version can add fields. Personas are matched by name; an unknown name is a warning and is skipped
(a map without its persona is still useful, and personas are managed separately).
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cxportal.actor import acting_person
from cxportal.exports import neutralise_cell
from journeys.models import (
    Channel,
    JourneyMap,
    Lane,
    LaneCell,
    MapChange,
    Opportunity,
    PainPoint,
    Persona,
    Stage,
    Touchpoint,
)
from journeys.services.history import map_change_record
from journeys.services.maps import lanes_create_defaults

FORMAT = "cxportal.journey_map"
VERSION = 1
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


# --- the fields of the format -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    """One field of an object in the document, with the rule its value must follow."""

    name: str
    type: str  # "text", "choice", "int", "bool"
    required: bool = False
    default: Any = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    nullable: bool = False


def _text(model: type[models.Model], name: str, *, required: bool = False) -> _Field:
    return _Field(name, "text", required=required, max_length=model._meta.get_field(name).max_length)


def _choice(name: str, choices, *, required: bool = True, default: str = "") -> _Field:
    return _Field(name, "choice", required=required, default=default, choices=tuple(choices.values))


def _int(name: str, low: int | None, high: int | None, *, default=None, nullable: bool = False) -> _Field:
    return _Field(name, "int", default=default, min_value=low, max_value=high, nullable=nullable)


def _bool(name: str, default: bool) -> _Field:
    return _Field(name, "bool", default=default)


MAP_FIELDS = (
    _text(JourneyMap, "name", required=True),
    _choice("kind", JourneyMap.Kind),
    _text(JourneyMap, "goal"),
    _text(JourneyMap, "scope"),
    _choice("status", JourneyMap.Status, required=False, default=JourneyMap.Status.DRAFT),
    _int("review_cadence_days", 0, None, nullable=True),
)
STAGE_FIELDS = (_text(Stage, "name", required=True), _text(Stage, "description"))
TOUCHPOINT_FIELDS = (
    _text(Touchpoint, "name", required=True),
    _choice("channel", Channel),
    _text(Touchpoint, "description"),
    _text(Touchpoint, "customer_action"),
    _text(Touchpoint, "thoughts"),
    _int("emotion_score", -3, 3, nullable=True),
    _text(Touchpoint, "emotion_note"),
    _bool("is_moment_of_truth", False),
    _bool("is_direct", True),
    _bool("is_two_way", True),
    _bool("is_digital", True),
)
LANE_FIELDS = (_choice("kind", Lane.Kind), _text(Lane, "name", required=True), _bool("hidden", False))
_FINDING_TEXT = ("title", "description", "evidence", "source")
PAIN_POINT_FIELDS = (
    *(_text(PainPoint, f, required=f == "title") for f in _FINDING_TEXT),
    _int("severity", 1, 5, default=3),
)
OPPORTUNITY_FIELDS = (
    *(_text(Opportunity, f, required=f == "title") for f in _FINDING_TEXT),
    _int("impact", 1, 5, default=3),
    _int("effort", 1, 5, default=3),
)


def _values(obj, fields: tuple[_Field, ...]) -> dict:
    return {f.name: getattr(obj, f.name) for f in fields}


# --- export -------------------------------------------------------------------------------------------


def journey_map_export(*, journey_map: JourneyMap) -> dict:
    """The map as a version-1 document; expects the map from ``selectors.journey_map_full``."""
    stages = list(journey_map.stages.all())
    stage_index = {stage.pk: i for i, stage in enumerate(stages)}
    touchpoint_ref = {
        tp.pk: {"stage": i, "index": j}
        for i, stage in enumerate(stages)
        for j, tp in enumerate(stage.touchpoints.all())
    }

    def finding(obj, fields) -> dict:
        return {
            **_values(obj, fields),
            "stage": stage_index.get(obj.stage_id),
            "touchpoint": touchpoint_ref.get(obj.touchpoint_id),
        }

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "map": _values(journey_map, MAP_FIELDS),
        "personas": sorted(p.name for p in journey_map.personas.all()),
        "stages": [
            {
                **_values(stage, STAGE_FIELDS),
                "touchpoints": [_values(tp, TOUCHPOINT_FIELDS) for tp in stage.touchpoints.all()],
            }
            for stage in stages
        ],
        "lanes": [
            {
                **_values(lane, LANE_FIELDS),
                "cells": {
                    str(i): text
                    for i, text in sorted(
                        (stage_index[c.stage_id], c.text) for c in lane.cells.all() if c.stage_id in stage_index
                    )
                },
            }
            for lane in journey_map.lanes.all()
        ],
        "pain_points": [finding(pp, PAIN_POINT_FIELDS) for pp in journey_map.pain_points.all()],
        "opportunities": [finding(op, OPPORTUNITY_FIELDS) for op in journey_map.opportunities.all()],
    }


# --- CSV ----------------------------------------------------------------------------------------------

CSV_HEADER = [
    "map",
    "stage position",
    "stage",
    "touchpoint position",
    "touchpoint",
    "channel",
    "direct/indirect",
    "one/two-way",
    "digital/physical",
    "emotion score",
    "emotion note",
    "moment of truth",
    "customer action",
    "thoughts",
    "pain points",
]


def csv_neutralise(value):
    """Text a spreadsheet could run as a formula gets a leading apostrophe.

    Integers the export writes itself (positions, emotion scores, counts) stay numbers: ``-2`` is a
    number to Excel, not a formula, and a CX team wants to average them. User text is always checked,
    so a touchpoint named ``-2`` or ``=HYPERLINK(…)`` is written as ``'-2`` / ``'=HYPERLINK(…)``.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return neutralise_cell("" if value is None else str(value))


def journey_map_csv_rows(*, journey_map: JourneyMap) -> list[list]:
    """Header and one row per touchpoint, neutralised; expects ``selectors.journey_map_full``."""
    pain_points: dict[int, int] = {}
    for pp in journey_map.pain_points.all():
        if pp.touchpoint_id:
            pain_points[pp.touchpoint_id] = pain_points.get(pp.touchpoint_id, 0) + 1
    rows = [CSV_HEADER]
    for i, stage in enumerate(journey_map.stages.all(), start=1):
        for j, tp in enumerate(stage.touchpoints.all(), start=1):
            rows.append(
                [
                    journey_map.name,
                    i,
                    stage.name,
                    j,
                    tp.name,
                    tp.get_channel_display(),
                    "direct" if tp.is_direct else "indirect",
                    "two-way" if tp.is_two_way else "one-way",
                    "digital" if tp.is_digital else "physical",
                    tp.emotion_score,
                    tp.emotion_note,
                    "yes" if tp.is_moment_of_truth else "no",
                    tp.customer_action,
                    tp.thoughts,
                    pain_points.get(tp.pk, 0),
                ]
            )
    return [[csv_neutralise(cell) for cell in row] for row in rows]


# --- validation ---------------------------------------------------------------------------------------


def journey_map_document_parse(*, raw: bytes) -> dict:
    """The JSON document in ``raw`` (an upload or a request body); refuses more than 2 MB and non-JSON."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {
                "file": _("The document is larger than 2 MB (%(size)s MB); split or trim it.")
                % {"size": number_format(len(raw) / 1024 / 1024, 1)}
            }
        )
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": _("The document is not UTF-8 encoded text.")}) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            {
                "file": _("The document is not valid JSON (line %(line)d, column %(column)d: %(error)s).")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
            }
        ) from exc
    if not isinstance(document, dict):
        raise ValidationError({"file": _("The document must be a JSON object.")})
    return document


class _Problems:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def _check_object(obj, path: str, fields: tuple[_Field, ...], problems: _Problems) -> dict:
    """The cleaned values of ``obj`` (defaults filled in); every broken rule is added to ``problems``."""
    if not isinstance(obj, dict):
        problems.add(path, _("must be an object"))
        return {}
    clean = {}
    for f in fields:
        where = f"{path}.{f.name}"
        if f.name not in obj:
            if f.required:
                problems.add(where, _("is required"))
            clean[f.name] = f.default
            continue
        value = obj[f.name]
        if value is None and f.nullable:
            clean[f.name] = None
            continue
        if f.type == "text":
            if not isinstance(value, str):
                problems.add(where, _("must be a string"))
            elif f.required and not value.strip():
                problems.add(where, _("must not be empty"))
            elif f.max_length and len(value) > f.max_length:
                problems.add(
                    where,
                    _("must be at most %(max)d characters (has %(length)d)")
                    % {"max": f.max_length, "length": len(value)},
                )
        elif f.type == "choice":
            if value not in f.choices:
                problems.add(
                    where,
                    _("unknown value %(value)s; one of: %(choices)s")
                    % {"value": json.dumps(value)[:40], "choices": ", ".join(f.choices)},
                )
        elif f.type == "bool":
            if not isinstance(value, bool):
                problems.add(where, _("must be true or false"))
        elif f.type == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                problems.add(where, _("must be a whole number or null") if f.nullable else _("must be a whole number"))
            elif f.min_value is not None and f.max_value is not None:
                if not f.min_value <= value <= f.max_value:
                    problems.add(
                        where,
                        (_("must be between %(min)s and %(max)s") % {"min": f.min_value, "max": f.max_value}).replace(
                            "-", "−"
                        ),
                    )
            elif f.min_value is not None and value < f.min_value:
                problems.add(where, _("must be at least %(min)s") % {"min": f.min_value})
        clean[f.name] = value
    return clean


def _check_list(document: dict, key: str, problems: _Problems, *, required: bool = False) -> list:
    value = document.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        problems.add(key, _("is required (a list)") if value is None else _("must be a list"))
        return []
    return value


def _index(value, path: str, size: int, what: str, problems: _Problems) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool):
        problems.add(path, _("must be a whole number (a position in the document, from 0)"))
        return None
    if not 0 <= value < size:
        if what == "stage":
            message = ngettext(
                "refers to stage %(value)d, but there is %(size)d stage",
                "refers to stage %(value)d, but there are %(size)d stages",
                size,
            )
        else:
            message = ngettext(
                "refers to touchpoint %(value)d, but there is %(size)d touchpoint",
                "refers to touchpoint %(value)d, but there are %(size)d touchpoints",
                size,
            )
        problems.add(path, message % {"value": value, "size": size})
        return None
    return value


@dataclass
class _CleanDocument:
    map: dict
    personas: list[str]
    stages: list[tuple[dict, list[dict]]]
    lanes: list[tuple[dict, dict[int, str]]]
    pain_points: list[dict]
    opportunities: list[dict]


def _check_document(document) -> _CleanDocument:
    """The document's values, or a ValidationError naming every problem by its path."""
    problems = _Problems()
    if not isinstance(document, dict):
        raise ValidationError({"document": [_("must be a JSON object")]})
    if document.get("format") != FORMAT:
        problems.add("format", _("must be %(format)s") % {"format": json.dumps(FORMAT)})
    if document.get("version") != VERSION:
        problems.add(
            "version",
            _("unsupported version %(version)s; this portal reads 1")
            % {"version": json.dumps(document.get("version"))[:20]},
        )
    if problems.errors:
        raise ValidationError(problems.errors)

    if "map" in document:
        map_values = _check_object(document["map"], "map", MAP_FIELDS, problems)
    else:
        problems.add("map", _("is required"))
        map_values = {}

    personas = []
    for i, name in enumerate(_check_list(document, "personas", problems)):
        if isinstance(name, str) and name.strip():
            personas.append(name)
        else:
            problems.add(f"personas[{i}]", _("must be a persona's name"))

    stages = []
    for i, stage in enumerate(_check_list(document, "stages", problems, required=True)):
        values = _check_object(stage, f"stages[{i}]", STAGE_FIELDS, problems)
        touchpoints = []
        raw_touchpoints = stage.get("touchpoints", []) if isinstance(stage, dict) else []
        if not isinstance(raw_touchpoints, list):
            problems.add(f"stages[{i}].touchpoints", _("must be a list"))
            raw_touchpoints = []
        for j, tp in enumerate(raw_touchpoints):
            touchpoints.append(_check_object(tp, f"stages[{i}].touchpoints[{j}]", TOUCHPOINT_FIELDS, problems))
        stages.append((values, touchpoints))

    lanes = []
    for i, lane in enumerate(_check_list(document, "lanes", problems)):
        values = _check_object(lane, f"lanes[{i}]", LANE_FIELDS, problems)
        cells = {}
        raw_cells = lane.get("cells", {}) if isinstance(lane, dict) else {}
        if not isinstance(raw_cells, dict):
            problems.add(f"lanes[{i}].cells", _("must be an object {stage index: text}"))
            raw_cells = {}
        for key, text in raw_cells.items():
            key = str(key)
            where = f"lanes[{i}].cells.{key}"
            index = _index(int(key) if key.isascii() and key.isdigit() else key, where, len(stages), "stage", problems)
            if not isinstance(text, str):
                problems.add(where, _("must be a string"))
            elif index is not None:
                cells[index] = text
        lanes.append((values, cells))

    def findings(key: str, fields: tuple[_Field, ...]) -> list[dict]:
        result = []
        for i, item in enumerate(_check_list(document, key, problems)):
            path = f"{key}[{i}]"
            values = _check_object(item, path, fields, problems)
            item = item if isinstance(item, dict) else {}
            values["stage"] = values["touchpoint"] = None
            if item.get("stage") is not None:
                values["stage"] = _index(item["stage"], f"{path}.stage", len(stages), "stage", problems)
            ref = item.get("touchpoint")
            if ref is not None:
                if not isinstance(ref, dict) or set(ref) != {"stage", "index"}:
                    problems.add(f"{path}.touchpoint", _('must be null or {"stage": <index>, "index": <index>}'))
                else:
                    s = _index(ref["stage"], f"{path}.touchpoint.stage", len(stages), "stage", problems)
                    if s is not None:
                        size = len(stages[s][1])
                        if _index(ref["index"], f"{path}.touchpoint.index", size, "touchpoint", problems) is not None:
                            values["touchpoint"] = (s, ref["index"])
            result.append(values)
        return result

    pain_points = findings("pain_points", PAIN_POINT_FIELDS)
    opportunities = findings("opportunities", OPPORTUNITY_FIELDS)
    if problems.errors:
        raise ValidationError(problems.errors)
    return _CleanDocument(map_values, personas, stages, lanes, pain_points, opportunities)


def validation_messages(exc: ValidationError) -> list[str]:
    """``path: message`` lines of an import's ValidationError, for pages and logs."""
    if hasattr(exc, "error_dict"):
        return [f"{path}: {message}" for path, messages in exc.message_dict.items() for message in messages]
    return list(exc.messages)


# --- import -------------------------------------------------------------------------------------------


@dataclass
class MapImport:
    journey_map: JourneyMap
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def journey_map_import(*, document: dict, by, name: str | None = None) -> MapImport:
    """Create a new map from a version-1 document; all or nothing.

    ``name`` replaces the document's map name. Raises ValidationError with ``{path: [messages]}``.
    """
    clean = _check_document(document)
    map_values = dict(clean.map)
    if name:
        map_values["name"] = name
    owner = acting_person(by)
    journey_map = JourneyMap(owner=owner, **map_values)
    journey_map.full_clean()
    journey_map.save()

    warnings = []
    known = {p.name: p for p in Persona.objects.filter(name__in=clean.personas)}
    for i, persona_name in enumerate(clean.personas):
        if persona_name not in known:
            warnings.append(
                _("personas[%(index)d]: no persona named “%(name)s”; the map was imported without it")
                % {"index": i, "name": persona_name}
            )
    journey_map.personas.set(known.values())

    stages = Stage.objects.bulk_create(
        Stage(journey_map=journey_map, position=i, **values) for i, (values, _) in enumerate(clean.stages)
    )
    touchpoint_rows = [
        Touchpoint(stage=stage, position=j, **values)
        for stage, (_, touchpoints) in zip(stages, clean.stages, strict=True)
        for j, values in enumerate(touchpoints)
    ]
    Touchpoint.objects.bulk_create(touchpoint_rows)
    touchpoints, k = {}, 0
    for i, (_stage, tps) in enumerate(clean.stages):
        for j in range(len(tps)):
            touchpoints[(i, j)] = touchpoint_rows[k]
            k += 1

    if document.get("lanes") is not None:
        lanes = Lane.objects.bulk_create(
            Lane(journey_map=journey_map, position=i, **values) for i, (values, _) in enumerate(clean.lanes)
        )
        LaneCell.objects.bulk_create(
            LaneCell(lane=lane, stage=stages[index], text=text)
            for lane, (_, cells) in zip(lanes, clean.lanes, strict=True)
            for index, text in cells.items()
        )
    else:
        lanes_create_defaults(journey_map=journey_map)

    def finding(model, values):
        values = dict(values)
        stage, touchpoint = values.pop("stage"), values.pop("touchpoint")
        return model(
            journey_map=journey_map,
            stage=None if stage is None else stages[stage],
            touchpoint=None if touchpoint is None else touchpoints[touchpoint],
            **values,
        )

    PainPoint.objects.bulk_create(finding(PainPoint, v) for v in clean.pain_points)
    Opportunity.objects.bulk_create(finding(Opportunity, v) for v in clean.opportunities)

    map_change_record(
        journey_map=journey_map,
        user=by,
        action=MapChange.Action.IMPORTED,
        obj=journey_map,
        summary=f"Imported the map “{journey_map.name}” ({len(stages)} stages, {len(touchpoint_rows)} touchpoints)",
    )
    return MapImport(journey_map=journey_map, warnings=warnings)

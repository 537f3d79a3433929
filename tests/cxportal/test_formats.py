"""Dates, numbers, percentages and amounts follow the language (German: 04.12.2026, 12,9, 1.234, 1.234,50 €);
date fields accept what a German types; browser date fields keep ISO values."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from surveys.forms.responses import ResponseFilterForm

SNIPPET = Template(
    "{% load numbers %}{{ d|date:'SHORT_DATE_FORMAT' }}|{{ t|date:'SHORT_DATETIME_FORMAT' }}|{{ x|number:1 }}|"
    "{{ big|number }}|{{ share|percent:1 }}|{{ amount|currency }}|{{ none|number }}|{{ x|floatformat:1 }}"
)
VALUES = {
    "d": date(2026, 12, 4),
    "t": datetime(2026, 12, 4, 14, 30, tzinfo=ZoneInfo(settings.TIME_ZONE)),
    "x": 12.94,
    "big": 1234,
    "share": Decimal("12.94"),
    "amount": Decimal("1234.5"),
    "none": None,
}


def _render(language: str) -> list[str]:
    with translation.override(language):
        return SNIPPET.render(Context(VALUES)).split("|")


def test_german_formats():
    assert _render("de") == [
        "04.12.2026",
        "04.12.2026 14:30",
        "12,9",
        "1.234",
        "12,9\N{NO-BREAK SPACE}%",
        "1.234,50\N{NO-BREAK SPACE}€",
        "–",
        "12,9",
    ]


def test_english_formats_keep_the_dates_the_pages_always_showed():
    assert _render("en") == ["2026-12-04", "2026-12-04 14:30", "12.9", "1,234", "12.9%", "€1,234.50", "–", "12.9"]


@pytest.mark.parametrize(
    ("language", "typed"), [("de", "04.12.2026"), ("de", "4.12.26"), ("de", "2026-12-04"), ("en", "2026-12-04")]
)
def test_date_fields_accept_the_languages_input(language, typed):
    with translation.override(language):
        form = ResponseFilterForm({"date_from": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["date_from"] == date(2026, 12, 4)


def test_browser_date_fields_keep_iso_values_in_german():
    with translation.override("de"):
        html = str(ResponseFilterForm(initial={"date_from": date(2026, 12, 4)})["date_from"])
    assert 'value="2026-12-04"' in html and 'type="date"' in html


def test_german_date_field_refuses_nonsense_in_german():
    with translation.override("de"):
        form = ResponseFilterForm({"date_from": "32.13.2026"})
        assert not form.is_valid()
        assert "gültiges Datum" in str(form.errors["date_from"])

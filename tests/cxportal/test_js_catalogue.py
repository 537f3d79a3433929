"""The JavaScript catalogue: our scripts' texts (charts' month names and tool tips, page behaviours) in the
page's language, from a script at our own URL (the CSP forbids inline scripts), cacheable per language."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_load_the_catalogue_of_their_language_before_our_scripts(manager_client):
    html = manager_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    catalogue = html.index('<script src="/jsi18n/?l=de"></script>')
    assert catalogue < html.index("cxportal/behaviours.js") and catalogue < html.index("cxportal/charts.js")
    assert '<script src="/jsi18n/?l=en"></script>' in manager_client.get(reverse("home")).content.decode()


def test_german_catalogue_has_month_names_tool_tips_and_separators(client):
    response = client.get(reverse("javascript-catalog") + "?l=de", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    body = response.content.decode("utf-8")
    for german in ("Dezember", "Achsen zurücksetzen", "In die Zwischenablage kopiert.", "%d.%m.%Y"):
        assert json.dumps(german)[1:-1] in body, german
    assert '"DECIMAL_SEPARATOR": ","' in body


def test_english_catalogue_keeps_english_and_is_cacheable(client):
    response = client.get(reverse("javascript-catalog") + "?l=en", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Dezember" not in body
    assert '"DECIMAL_SEPARATOR": "."' in body
    assert "max-age=86400" in response["Cache-Control"]
    assert "Last-Modified" in response


def test_charts_use_the_separators_and_plotly_locale_of_the_language():
    import plotly.graph_objects as go
    from django.utils import translation

    from cxportal.charts import render_figure

    with translation.override("de"):
        german = render_figure(go.Figure(go.Bar(x=["a"], y=[12.9])))
    english = render_figure(go.Figure(go.Bar(x=["a"], y=[12.9])))
    assert '"separators":",."' in german and '"locale":"de"' in german
    assert '"separators":".,"' in english and '"locale":"en"' in english

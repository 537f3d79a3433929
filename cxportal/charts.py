"""Every plotly figure of the product is configured and rendered here.

A figure is not emitted as an inline ``<script>`` (the Content-Security-Policy forbids those): it becomes a
``<div data-cx-chart>`` holding the figure and its config as a JSON data block, and
``static/cxportal/charts.js`` draws every such div with the locally served plotly.js, also in fragments
that htmx swaps in.

The config keeps data on the machine: plotly.js offers a "Share chart…" button that uploads the chart to
Plotly's cloud (``showSendToCloud``, on by default in plotly.js 4, with ``plotlyServerURL`` pointing at the
cloud). It is switched off, the upload target is emptied and the button is removed by name as well, so a
later plotly.js that turns it on again by another route still shows nothing. (``showLink`` and
``showEditInChartStudio`` of plotly.js 1–2 no longer exist and would only be warned about as unknown keys.)
"""

import plotly.io as pio
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Tools that make no sense for our charts (we have no selections to act on) or that talk to a cloud.
REMOVED_BUTTONS = [
    "sendChartToCloud",
    "sendDataToCloud",
    "editInChartStudio",
    "select2d",
    "lasso2d",
    "toggleSpikelines",
    "hoverClosestCartesian",
    "hoverCompareCartesian",
    "autoScale2d",
]

# "<" and ">" cannot end the data block in JSON text once escaped; JSON.parse restores them.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E"}


def plotly_config(*, mode_bar: bool = True, filename: str = "cx-portal-chart") -> dict:
    """The one plotly config: no cloud, no logo, no selection tools, responsive, in the person's language.

    ``mode_bar=False`` hides the tool bar (sparklines, the emotion curve); the PNG download stays local.
    """
    return {
        "displaylogo": False,
        "showSendToCloud": False,
        "plotlyServerURL": "",
        "modeBarButtonsToRemove": REMOVED_BUTTONS,
        "displayModeBar": "hover" if mode_bar else False,
        "responsive": True,
        # Number and date formats and the tool tips; charts.js registers the German locale.
        "locale": (get_language() or "en").split("-")[0],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def render_figure(fig, *, mode_bar: bool = True, filename: str = "cx-portal-chart") -> SafeString:
    """A figure as a ``<div>`` that ``static/cxportal/charts.js`` draws (no inline script).

    Label text in a figure must be HTML-escaped by the caller (plotly renders a few tags in labels); the
    JSON block itself is made safe here, so no text can close it.
    """
    if hasattr(fig, "update_layout") and fig.layout.separators is None:
        # Decimal and thousands separators of the person's language ("12,9" and "1.234" in German).
        fig.update_layout(separators=get_format("DECIMAL_SEPARATOR") + get_format("THOUSAND_SEPARATOR"))
    figure = pio.to_json(fig, validate=False, pretty=False)
    config = pio.json.to_json_plotly(plotly_config(mode_bar=mode_bar, filename=filename))
    payload = f'{{"figure":{figure},"config":{config}}}'.translate(_JSON_SCRIPT_ESCAPES)
    return format_html(
        '<div class="cx-chart" data-cx-chart><script type="application/json">{}</script></div>',
        mark_safe(payload),  # noqa: S308 - JSON with "<" and ">" escaped: nothing in it can end the block
    )

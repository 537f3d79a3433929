"""Panels that apps above surveys add to a response's page (surveys may not import them).

voice registers the reading of the comment (sentiment and topics) in its ``ready()``: a panel is a function
``(response) -> html`` returning "" when it has nothing to show. Kept in one list, so what a response page
shows besides its answers is greppable (``response_panel_register``).
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

from surveys.models import Response

ResponsePanel = Callable[[Response], SafeString | str]
_PANELS: list[ResponsePanel] = []


def response_panel_register(panel: ResponsePanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def response_panels(response: Response) -> list[SafeString]:
    """The rendered panels for ``response``, in registration order, empty ones left out."""
    return [html for html in (panel(response) for panel in _PANELS) if html]

"""Fixtures of the journeys tests; factories are in tests/journeys/factories.py, maps with content in rich_map.py."""

import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files (persona photos) go to this test's own folder; a module uses it with
    ``pytest.mark.usefixtures("media_root")`` or asks for it to look at what was stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

"""The product's settings with one extra URL: the minimal reference view of bench/submit.py."""

from cxportal.settings import *  # noqa: F403 - the very same settings, middleware and database

ROOT_URLCONF = "bench.minimal_urls"

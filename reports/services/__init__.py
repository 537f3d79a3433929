"""Writes of the reports app: ``rendering.py`` (HTML, PDF, e-mail), ``sending.py`` (due runs, send now),
``definitions.py`` (create/update a report and its recipients)."""

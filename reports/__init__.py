"""Scheduled management reports: definitions, rendering to HTML/PDF, sending by e-mail on a rhythm.

``models.py`` the definition, its recipients and the record of each send; ``schedule.py`` when a report is
due and which period it covers; ``sections.py`` the registry of sections and the data each reads;
``svg.py`` the charts as plain SVG; ``services/rendering.py`` HTML and PDF; ``services/sending.py`` the
due run (``reports_send_due``) and "send now"; ``views/reports.py`` the pages.
"""

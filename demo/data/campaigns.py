"""The demo's e-mail campaigns: a quarterly relationship NPS (recurring) and a one-off pulse, with their texts
in both demo languages (the numbers are the same in either).

Invitation outcomes are drawn per customer with these shares, so each campaign page shows every state: sent,
opened, answered, reminded, suppressed (unsubscribed, do-not-contact, quiet period) and bounced.
"""

RELATIONSHIP_SURVEY = {
    "en": {
        "title": "Relationship NPS (quarterly)",
        "public_title": "How likely are you to recommend Kessler?",
        "question": "How likely is it that you would recommend Kessler Verpackungstechnik to a colleague?",
        "reason": "What is the main reason for your score?",
    },
    "de": {
        "title": "Beziehungs-NPS (quartalsweise)",
        "public_title": "Wie wahrscheinlich ist es, dass Sie Kessler weiterempfehlen?",
        "question": "Wie wahrscheinlich ist es, dass Sie Kessler Verpackungstechnik einem Kollegen empfehlen?",
        "reason": "Was ist der wichtigste Grund für Ihre Bewertung?",
    },
}
RELATIONSHIP_TOUCHPOINT = "mj_hotline"  # the after-sales stage, where the relationship is lived
RELATIONSHIP_NAME = {"en": "Relationship NPS", "de": "Beziehungs-NPS"}
RELATIONSHIP_EVERY_MONTHS = 3
RELATIONSHIP_PAST_RUNS = 3  # the series started three quarters ago; its fourth run is due in about three weeks
RELATIONSHIP_WEIGHTS = (2, 1, 2, 3, 4, 6, 9, 16, 21, 20, 16)  # ≈ +12, steady
RELATIONSHIP_COMMENTS = {
    "en": {
        "neg": ("Spare parts take far too long.", "Hard to reach anyone who can decide."),
        "neu": ("Solid machines, service could be quicker.", "Good people, slow processes."),
        "pos": ("Reliable machines and a technician who knows our line.", "Fair partner for years."),
    },
    "de": {
        "neg": ("Ersatzteile dauern viel zu lange.", "Schwer, jemanden zu erreichen, der entscheiden kann."),
        "neu": ("Solide Maschinen, der Service könnte schneller sein.", "Gute Leute, langsame Abläufe."),
        "pos": ("Zuverlässige Maschinen und ein Techniker, der unsere Linie kennt.", "Seit Jahren ein fairer Partner."),
    },
}

# An existing demo survey, sent to its map's persona; the scores keep that survey's profile.
PULSE_SURVEY_SLUG = "nps-it-project-start"
PULSE_NAME = {"en": "IT project start pulse", "de": "Puls zum IT-Projektstart"}
# Sent this many days before the running month began: always inside the last finished month, the period the
# overview shows by default, so its response rate has data whatever the day (on the 1st it is 4 days old).
PULSE_DAYS_BEFORE_MONTH = 4

REMINDER_AFTER_DAYS = 7
# Shares of the contactable invitees (per run): bounced, answered, opened without answering; the rest were
# sent and not opened. A run older than REMINDER_AFTER_DAYS reminded its non-responders once.
BOUNCED = 0.03
ANSWERED = 0.38
OPENED_ONLY = 0.14
BOUNCE_ERROR = "550 5.1.1 Mailbox unavailable"
SUPPRESSED_UNSUBSCRIBED = "Unsubscribed or do-not-contact."

"""German texts of ``demo.data.surveys_consulting``: the stage surveys of the consulting map."""

from demo.data.de.surveys_machine import EASY_OR_HARD

CONSULTING_SURVEYS = {
    "csat-webinar": {
        "title": "CSAT – Webinar zur Cloud-Migration",
        "question": "Wie zufrieden waren Sie mit unserem Webinar zur Cloud-Migration?",
        "comments": {
            "neg": ("In der zweiten Hälfte zu viel Produktwerbung.",),
            "neu": ("Solider Überblick, für uns nichts Neues.",),
            "pos": ("Konkrete Beispiele aus dem Mittelstand – genau das, was ich gebraucht habe.",),
        },
    },
    "csat-white-paper": {
        "title": "CSAT – White Paper und Erfolgsgeschichten",
        "question": "Wie hilfreich war das White Paper, das Sie heruntergeladen haben?",
        "comments": {
            "neg": ("Sehr allgemein – hätte jede Branche betreffen können.",),
            "neu": ("Hilfreich, aber kennen die sich im Großhandel aus?",),
            "pos": ("Die Erfolgsgeschichte las sich wie unsere eigene Situation.",),
        },
    },
    "ces-it-contact": {
        "title": "CES – Erstkontakt per E-Mail",
        "question": "Es war einfach, mit Kessler Digital in Kontakt zu kommen.",
        "reason": EASY_OR_HARD,
        "comments": {
            "neg": ("Automatische Antwort, danach eine Woche nichts.",),
            "neu": ("Die Antwort kam, aber ich musste unsere Systeme noch einmal beschreiben.",),
            "pos": ("Rückruf am selben Tag – und er hatte meine E-Mail gelesen.",),
        },
    },
    "csat-it-presentation": {
        "title": "CSAT – Präsentation per Videokonferenz",
        "question": "Wie zufrieden waren Sie mit unserer Präsentation?",
        "comments": {
            "neg": (
                "Zwanzig Folien über das Beratungshaus, bevor ein Wort zu unserem Problem fiel.",
                "Das Demoprojekt hatte nichts mit unserem ERP-System zu tun.",
            ),
            "neu": ("Kompetentes Team, aber zu viel Vertriebsgerede.",),
            "pos": ("Sie hatten sich sichtbar auf unsere Systemlandschaft vorbereitet.",),
        },
    },
    "ces-it-proposal": {
        "title": "CES – Angebot der IT-Beratung",
        "question": "Es war einfach, Ihr Angebot mit anderen Angeboten zu vergleichen.",
        "reason": EASY_OR_HARD,
        "comments": {
            "neg": (
                "Keine Tagessätze – unser Einkauf hat es zurückgeschickt.",
                "Die Budgetspanne ist zu groß, um damit zur Geschäftsführung zu gehen.",
            ),
            "neu": ("Klare Phasen, unklare Kosten.",),
            "pos": ("Phasen, Team und Budget auf zwei Seiten.",),
        },
    },
    "nps-it-selection": {
        "title": "NPS – Auswahl der IT-Beratung",
        "comments": {
            "neg": ("Die Geschäftsführung hatte zu wenig Zeit mit dem Berater.",),
            "neu": ("Gutes Gespräch, aber teurer als der Wettbewerb.",),
            "pos": ("Die Chemie hat gestimmt – auch mit der Geschäftsführung.", "Ehrlich zu Risiken, das überzeugt."),
        },
    },
    "csat-it-strategy": {
        "title": "CSAT – Termin zu Zielen und Strategie",
        "question": "Wie zufrieden waren Sie mit dem Termin zu Zielen und Strategie?",
        "comments": {
            "neg": ("Die Roadmap übersieht, dass unsere Fachabteilungen kaum Zeit haben.",),
            "neu": ("Ein ehrgeiziger Plan; wir werden sehen.",),
            "pos": ("Prioritäten, hinter denen die ganze Geschäftsführung stehen kann.",),
        },
    },
    "nps-it-completion": {
        "title": "NPS – Abschluss des IT-Beratungsprojekts",
        "comments": {
            "neg": (
                "Die Datenmigration hat zwei Monate länger gedauert.",
                "Am Ende fehlte die Dokumentation für unser Team.",
                "Die Schlussrechnung enthielt Beratertage, die nie abgesprochen waren.",
            ),
            "neu": ("Ziele größtenteils erreicht, den Zeitplan nicht.",),
            "pos": ("Das neue System läuft, und unser Team hat viel gelernt.",),
        },
    },
    "csat-it-follow-up-offer": {
        "title": "CSAT – Folgeangebot",
        "question": "Wie relevant war unser Vorschlag für eine nächste Phase?",
        "comments": {
            "neg": (
                "Fühlt sich nach Zusatzverkauf an, nicht nach Lösung der offenen Punkte.",
                "Das Angebot kam, bevor die offenen Punkte erledigt waren.",
            ),
            "neu": ("Einige Ideen sind relevant, das Budget nicht.",),
            "pos": ("Die nächste Phase setzt genau da an, wo wir aufgehört haben.",),
        },
    },
}

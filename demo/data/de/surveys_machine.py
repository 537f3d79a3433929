"""German texts of ``demo.data.surveys_machine``: the stage surveys of the machine map."""

# The follow-up question of the CES surveys ("What made it easy or hard?").
EASY_OR_HARD = "Was hat es Ihnen leicht oder schwer gemacht?"

MACHINE_SURVEYS = {
    "csat-newsletter": {
        "title": "CSAT – Kunden-Newsletter",
        "question": "Wie hilfreich fanden Sie diesen Newsletter?",
        "comments": {
            "neg": ("Zu viel Werbung, zu wenig Zahlen.", "Jede Woche ist uns zu oft.", "Für uns nicht relevant."),
            "neu": ("Interessant, aber nichts, was ich gerade brauche.",),
            "pos": (
                "Der Beitrag zu Umrüstzeiten war genau unser Thema.",
                "Kurz, mit konkreten Praxisbeispielen – gern weiter so.",
            ),
        },
    },
    "csat-trade-fair": {
        "title": "CSAT – Messestand",
        "question": "Wie zufrieden waren Sie mit Ihrem Besuch an unserem Messestand?",
        "comments": {
            "neg": (
                "Am Stand war niemand für unsere Formate zuständig.",
                "Der versprochene Rückruf nach der Messe kam nicht.",
            ),
            "neu": ("Interessante Maschine, aber der Stand war sehr voll.",),
            "pos": (
                "Die Maschine lief mit einem Produkt wie unserem – überzeugend.",
                "Der Anwendungstechniker hat sich viel Zeit für uns genommen.",
            ),
        },
    },
    "ces-quote-form": {
        "title": "CES – Formular für Angebotsanfragen",
        "question": "Es war einfach, bei uns ein Angebot anzufordern.",
        "reason": EASY_OR_HARD,
        "comments": {
            "neg": (
                "Zwanzig Felder, und danach hat der Vertrieb am Telefon dieselben Fragen noch einmal gestellt.",
                "Das Formular hat meine Eingaben verloren, als ich eine Zeichnung hochgeladen habe.",
            ),
            "neu": ("Ging, aber ich wusste nicht, was ich bei Taktleistung eintragen soll.",),
            "pos": ("Schnell, und in der Bestätigung stand, wer mich anruft.",),
        },
    },
    "csat-inquiry-email": {
        "title": "CSAT – Antworten auf E-Mail-Anfragen",
        "question": "Wie zufrieden waren Sie mit der Antwort auf Ihre Anfrage?",
        "comments": {
            "neg": (
                "Drei Tage ohne Antwort – wir haben inzwischen mit dem Wettbewerb gesprochen.",
                "Die Antwort ging an meinen Fragen vorbei.",
                "Keine Antwort auf meine Frage zum Liefertermin.",
            ),
            "neu": ("Die Antwort kam, aber erst nach einer Nachfrage.",),
            "pos": ("Am selben Tag eine fundierte Antwort – danke.", "Schnell und mit Ansprechpartner, sehr gut."),
        },
    },
    "csat-first-call": {
        "title": "CSAT – Erstgespräch mit dem Vertriebsingenieur",
        "question": "Wie zufrieden waren Sie mit dem ersten Gespräch mit unserem Vertriebsingenieur?",
        "comments": {
            "neg": ("Ich musste alles aus dem Formular noch einmal erzählen.",),
            "neu": ("Gutes Gespräch, aber noch keine Preisindikation.",),
            "pos": ("Endlich jemand, der unsere Linie versteht.", "Die richtigen Fragen zu Folie und Formaten."),
        },
    },
    "csat-tech-call": {
        "title": "CSAT – Technische Klärung",
        "question": "Wie zufrieden waren Sie mit dem technischen Klärungsgespräch?",
        "comments": {
            "neg": ("Der Ingenieur kannte unsere Liniensteuerung nicht.",),
            "neu": ("Hilfreich, aber die Frage nach dem Platzbedarf ist noch offen.",),
            "pos": ("Mit einem Ingenieur statt mit einem Verkäufer zu sprechen, hat den Unterschied gemacht.",),
        },
    },
    "nps-evaluation": {
        "title": "NPS – Angebotsvergleich",
        "comments": {
            "neg": (
                "Für den Einkauf zählt nur der Preis – Argumente zur Verfügbarkeit fehlten.",
                "Die Unterlagen für das Controlling kamen zu spät.",
            ),
            "neu": ("Gute Präsentation, aber die Gesamtkosten blieben unklar.",),
            "pos": ("Die Verfügbarkeitsgarantie hat unsere Instandhaltung überzeugt.",),
        },
    },
    "csat-reference-visit": {
        "title": "CSAT – Referenzbesuch",
        "question": "Wie zufrieden waren Sie mit dem Referenzbesuch, den wir für Sie organisiert haben?",
        "comments": {
            "neg": ("Im Referenzwerk läuft eine andere Folie, schwer vergleichbar.",),
            "neu": ("Interessant, aber der Besuch war kurz.",),
            "pos": (
                "Der Schichtleiter dort war ehrlich – die Maschine läuft.",
                "Zwei Jahre im Produktionsbetrieb haben unser Team überzeugt.",
            ),
        },
    },
    "ces-follow-up-questions": {
        "title": "CES – Rückfragen",
        "question": "Es war einfach, Antworten auf unsere Rückfragen zu bekommen.",
        "reason": EASY_OR_HARD,
        "comments": {
            "neg": ("Die Antworten hatten wir erst nach unserer Besprechung.",),
            "neu": ("Vollständige Antworten, aber erst nach zwei Erinnerungen.",),
            "pos": ("Jede Frage bis zum nächsten Morgen beantwortet.",),
        },
    },
    "nps-negotiation": {
        "title": "NPS – Verhandlung über Preis und Liefertermin",
        "comments": {
            "neg": (
                "Sechzehn Wochen Lieferzeit – unsere Saison beginnt in zwölf.",
                "Die Zahlungsbedingungen waren nicht verhandelbar.",
                "Der Liefertermin wird erst nach dem Auftrag verbindlich – so können wir nicht planen.",
                "40 % Anzahlung bei Auftragserteilung sind für uns nicht machbar.",
            ),
            "neu": ("Preis in Ordnung, die Lieferzeit bleibt ein Risiko.",),
            "pos": ("Fairer Preis und ein verbindlicher Liefertermin.", "Faire Verhandlung auf Augenhöhe."),
        },
    },
    "ces-maintenance-contract": {
        "title": "CES – Angebot für den Wartungsvertrag",
        "question": "Der Wartungsvertrag, den wir Ihnen angeboten haben, war leicht zu verstehen.",
        "reason": EASY_OR_HARD,
        "comments": {
            "neg": (
                "Was heißt „Reaktion innerhalb von 48 Stunden“ am Wochenende?",
                "Im Vertrag fehlen die Ersatzteilpreise.",
            ),
            "neu": ("Klare Servicelevel, aber viel Kleingedrucktes.",),
            "pos": ("Drei klare Varianten – wir haben uns in einer Besprechung entschieden.",),
        },
    },
    "ces-order-confirmation": {
        "title": "CES – Auftragsbestätigung",
        "question": "Die Auftragsbestätigung hat es mir leicht gemacht, die nächsten Schritte zu planen.",
        "reason": EASY_OR_HARD,
        "comments": {
            "neg": ("Der Lieferplan fehlte in der Bestätigung.", "Falsche Rechnungsadresse in der Bestätigung."),
            "neu": ("Vollständig, aber erst nach einer Woche.",),
            "pos": ("Alle Termine auf einen Blick – so planen wir gern.",),
        },
    },
    "csat-kick-off": {
        "title": "CSAT – Projekt-Kick-off",
        "question": "Wie zufrieden waren Sie mit dem Kick-off-Gespräch mit unserer Projektleitung?",
        "comments": {
            "neg": ("Der Projektleiter kannte unser Angebot nicht.",),
            "neu": ("Gutes Gespräch, der Schulungsplan fehlte noch.",),
            "pos": ("Ein Ansprechpartner für alles – sehr gut.", "Klarer Zeitplan bis zur Abnahme."),
        },
    },
    "csat-training": {
        "title": "CSAT – Bediener- und Wartungsschulung",
        "question": "Wie zufrieden waren Sie mit der Bediener- und Wartungsschulung?",
        "comments": {
            "neg": ("Die Unterlagen gab es nur auf Englisch.", "Zu wenig Zeit an der Maschine, zu viel Theorie."),
            "neu": ("Schulung gut, die Bedienungsanleitung könnte klarer sein.",),
            "pos": ("Die Schicht fühlt sich sicher.", "Die neuen Videoanleitungen auf Deutsch helfen sehr."),
        },
    },
}

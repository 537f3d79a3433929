"""German texts of ``demo.data.consulting_map``: booking an IT consulting engagement."""

CONSULTING = {
    "name": "Beauftragung einer IT-Beratung",
    "goal": (
        "Herausfinden, wo IT-Verantwortliche im Mittelstand vor dem ersten Projekt abspringen und warum aus "
        "Projekten selten Folgeaufträge werden."
    ),
    "scope": "Kessler Digital: Beratung zur IT-Modernisierung",
    "stages": {
        "Problem recognition": (
            "Problemerkennung",
            "Die Geschäftsführung schickt die IT-Leitung los, weil veraltete Systeme das Geschäft bremsen.",
        ),
        "Market analysis": (
            "Marktanalyse",
            "White Paper, Erfolgsgeschichten, LinkedIn-Beiträge und ihre Kommentare, Empfehlungen, "
            "Netzwerkveranstaltungen.",
        ),
        "First contact": ("Erstkontakt", "E-Mails an einige Beratungshäuser; eines davon bietet einen Live-Chat."),
        "Presentations": ("Präsentationen", "Die Beratungshäuser stellen ihr Vorgehen per Videokonferenz vor."),
        "Selection": ("Auswahl", "Entscheidet nach Kompetenz, Kosten und Sympathie."),
        "Project start": ("Projektstart", "Ist-Analyse, Ziele und Strategie."),
        "Completion and follow-up": (
            "Abschluss und Nachbetreuung",
            "Bewertung der Ergebnisse und weitere Potenziale.",
        ),
    },
    "touchpoints": {
        "it_blog": {
            "name": "Blogartikel zur Modernisierung von Altsystemen",
            "customer_action": (
                "Findet über eine Suchmaschine unseren Artikel „Fünf Anzeichen, dass Ihr ERP-System Sie ausbremst“."
            ),
            "thoughts": "Anzeichen drei und vier – das sind wir.",
        },
        "it_webinar_invite": {
            "name": "Einladung zum Webinar",
            "customer_action": "Erhält eine Einladung zu einem Webinar über Cloud-Migration im Mittelstand.",
            "thoughts": "Noch ein Webinar … aber die Agenda ist konkret.",
        },
        "it_whitepaper": {
            "name": "White Paper und Erfolgsgeschichten",
            "customer_action": (
                "Lädt ein White Paper herunter und liest zwei Erfolgsgeschichten ähnlicher Unternehmen."
            ),
            "thoughts": "Hilfreich, aber kennen die sich in unserer Branche aus?",
        },
        "it_linkedin": {
            "name": "LinkedIn-Beiträge und Kommentare",
            "customer_action": "Liest die Beiträge unserer Berater und die Diskussion darunter.",
            "thoughts": "Die Kommentare zeigen echte Projekterfahrung.",
        },
        "it_recommendation": {
            "name": "Empfehlung auf einer Netzwerkveranstaltung",
            "customer_action": (
                "Hört auf dem regionalen IT-Forum von einem Kollegen, wie sein Projekt mit uns gelaufen ist."
            ),
            "thoughts": "Eine Empfehlung von jemandem, dem ich vertraue, zählt mehr als jede Broschüre.",
        },
        "it_contact_email": {
            "name": "Kontaktaufnahme per E-Mail",
            "customer_action": "Schildert die Lage in einer E-Mail an drei Beratungshäuser.",
            "thoughts": "Wer antwortet zuerst – und wer hat meine E-Mail wirklich gelesen?",
        },
        "it_chat": {
            "name": "Live-Chat auf der Website",
            "customer_action": "Fragt im Live-Chat, ob wir Erfahrung mit ihrem ERP-System haben.",
            "thoughts": "Eine sofortige, kompetente Antwort – das spart mir eine Woche.",
        },
        "it_video_presentation": {
            "name": "Präsentation per Videokonferenz",
            "customer_action": (
                "Sieht in einer Videokonferenz unser Vorgehen und eine Demo aus einem ähnlichen Projekt."
            ),
            "thoughts": "Zu viele Folien über das Beratungshaus, zu wenige über unser Problem.",
        },
        "it_proposal": {
            "name": "Angebot mit Vorgehen und Budget",
            "customer_action": "Erhält das schriftliche Angebot mit Phasen, Team und Budget.",
            "thoughts": "Die Budgetspanne ist groß – wovon hängt sie ab?",
        },
        "it_reference_call": {
            "name": "Telefonat mit einem Referenzkunden",
            "customer_action": "Ruft einen Referenzkunden an, den wir genannt haben.",
            "thoughts": "Sie haben offen erzählt, was schiefging und wie es gelöst wurde.",
        },
        "it_final_meeting": {
            "name": "Abschlusstermin mit der Geschäftsführung",
            "customer_action": ("Stellt die Auswahl gemeinsam mit unserem leitenden Berater der Geschäftsführung vor."),
            "thoughts": "Auch die Geschäftsführung muss ihnen vertrauen – die Chemie zählt.",
        },
        "it_asis_workshop": {
            "name": "Workshop zur Ist-Analyse",
            "customer_action": (
                "Erfasst in einem zweitägigen Workshop mit unseren Beratern Systeme und Schwachstellen."
            ),
            "thoughts": "Zum ersten Mal steht alles an einer Wand.",
        },
        "it_strategy": {
            "name": "Termin zu Zielen und Strategie",
            "customer_action": "Vereinbart Ziele, Prioritäten und eine Roadmap.",
            "thoughts": "Ehrgeizig – werden die Fachabteilungen die Zeit dafür finden?",
        },
        "it_evaluation": {
            "name": "Besprechung zum Projektabschluss",
            "customer_action": "Gleicht die Ergebnisse gemeinsam mit der Geschäftsführung mit den Zielen ab.",
            "thoughts": "Die meisten Ziele erreicht; die Datenmigration hat länger gedauert als geplant.",
        },
        "it_followup_offer": {
            "name": "Folgeangebot für weitere Potenziale",
            "customer_action": "Erhält Vorschläge für eine nächste Phase.",
            "thoughts": "Relevant für uns – oder nur Zusatzverkauf?",
        },
    },
}

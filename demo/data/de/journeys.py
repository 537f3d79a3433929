"""German texts of ``demo.data.journeys``: the maps, what the team found on them, the service blueprint."""

from demo.data.consulting_map import CONSULTING_MAP
from demo.data.de.consulting_map import CONSULTING
from demo.data.de.machine_map import MACHINE
from demo.data.machine_map import MACHINE_MAP

# English map name: its German texts
MAPS = {MACHINE_MAP: MACHINE, CONSULTING_MAP: CONSULTING}

# English title: (title, description, evidence quote, source)
PAIN_POINTS = {
    "No real output figures on the product pages": (
        "Keine echten Leistungsdaten auf den Produktseiten",
        "Die Datenblätter nennen nur Höchstgeschwindigkeiten; Einkäufer können die Ausbringung für ihre eigenen "
        "Formate nicht einschätzen.",
        "Wo sind die echten Zahlen für 250-g-Beutel?",
        "Auswertung Vertrieb, 12 verlorene Aufträge",
    ),
    "Three days until the first answer": (
        "Drei Tage bis zur ersten Antwort",
        "Anfragen landen in einem Sammelpostfach ohne Zuständigen; bis zur ersten Antwort vergehen im Schnitt "
        "3,2 Arbeitstage.",
        "Drei Tage keine Antwort – wollen die unseren Auftrag überhaupt?",
        "CRM-Auswertung Q2",
    ),
    "Customer repeats requirements to each contact": (
        "Kunde erklärt seine Anforderungen jedem Ansprechpartner neu",
        "Der Vertriebsingenieur sieht nicht, was der Kunde im Anfrageformular eingetragen hat.",
        "Warum muss ich das alles am Telefon noch einmal erzählen?",
        "Kundeninterviews",
    ),
    "Hotline queue over 10 minutes when a line stops": (
        "Über 10 Minuten Warteschleife, wenn eine Linie steht",
        "In Spitzenzeiten warten Produktionsleiter am Telefon, während ihre Linie stillsteht.",
        "Jede Minute Stillstand kostet uns bares Geld.",
        "NPS-Kommentare, After-Sales-Service",
    ),
    "Technician arrives without the spare part": (
        "Techniker kommt ohne Ersatzteil",
        "Jeder vierte Einsatz vor Ort braucht eine zweite Anfahrt, weil das Teil nicht vorab per Ferndiagnose "
        "bestimmt wurde.",
        "Er kam, hat sich alles angesehen und ist wieder gefahren, um das Teil zu bestellen.",
        "Serviceberichte 2026",
    ),
    "Live chat unstaffed in the afternoon": (
        "Live-Chat nachmittags nicht besetzt",
        "IT-Leiter recherchieren nach ihren Besprechungen; ab 14 Uhr zeigt der Chat nur noch „offline“.",
        "Ich wollte eine schnelle Antwort und bekam ein Kontaktformular.",
        "Chatprotokolle",
    ),
    "Proposal hides the day rates": (
        "Angebot nennt keine Tagessätze",
        "Angebote zeigen nur eine Gesamtsumme; IT-Leiter können sie nicht mit anderen Anbietern vergleichen.",
        "Für unseren Einkauf brauche ich die Tagessätze.",
        "Interviews zu verlorenen Aufträgen",
    ),
}
# English title: (title, description)
OPPORTUNITIES = {
    "Output calculator for the customer's own formats": (
        "Leistungsrechner für die eigenen Formate des Kunden",
        "Einkäufer geben Folie, Format und Geschwindigkeit ein und erhalten eine realistische Ausbringung – mit "
        "PDF zum Weitergeben im Haus.",
    ),
    "Answer every inquiry within 4 hours": (
        "Jede Anfrage innerhalb von 4 Stunden beantworten",
        "Anfragen nach Region einem namentlich genannten Vertriebsingenieur zuweisen; die Zeit bis zur ersten "
        "Antwort messen.",
    ),
    "Call-back promise within 30 minutes": (
        "Rückrufversprechen innerhalb von 30 Minuten",
        "Statt Warteschleife einen Rückruf anbieten – mit der Maschinenhistorie auf dem Bildschirm.",
    ),
    "Remote diagnosis before dispatch": (
        "Ferndiagnose vor dem Technikereinsatz",
        "Das Fehlerprotokoll der Maschine aus der Ferne auslesen, damit der Techniker das richtige Teil mitbringt.",
    ),
    "Staff the chat until 6 pm": (
        "Chat bis 18 Uhr besetzen",
        "Den Chatdienst am Nachmittag auf zwei Berater verteilen.",
    ),
}
# English note: note (the stage is the German partner of the English note's stage)
NOTES = {
    "Purchasing, maintenance and finance decide together — give the champion material for each.": (
        "Einkauf, Instandhaltung und Controlling entscheiden gemeinsam – unserem Fürsprecher beim Kunden für "
        "jede dieser Abteilungen Argumente mitgeben."
    ),
    "This is where the next purchase is decided (moment of truth for re-buy).": (
        "Hier entscheidet sich der nächste Kauf (Moment of Truth für den Wiederkauf)."
    ),
    "Competence, cost — and sympathy: the video call matters more than the deck.": (
        "Kompetenz, Kosten – und Sympathie: Die Videokonferenz zählt mehr als der Foliensatz."
    ),
}

BLUEPRINT_MAP = "Service Blueprint After-Sales (Maschinenstillstand)"
BLUEPRINT_GOAL = (
    "Zeigen, was hinter der Hotline passiert, wenn die Linie eines Kunden steht, und wo Zeit verloren geht."
)
BLUEPRINT_SCOPE = "After-Sales-Service für FlowPack-Maschinen"
# English stage: (stage, touchpoint, what the customer does, frontstage, backstage, support)
BLUEPRINT = {
    "Breakdown reported": (
        "Störung gemeldet",
        "Anruf bei der Service-Hotline",
        "Ruft die Hotline an, während die Linie steht.",
        "Die Hotline nimmt Fehlerbeschreibung und Maschinennummer auf.",
        "Ticket wird angelegt; die Maschinenhistorie kommt aus der Anlagendatenbank.",
        "Ticketsystem · Anlagendatenbank",
    ),
    "Remote diagnosis": (
        "Ferndiagnose",
        "Fernwartungssitzung mit dem Serviceingenieur",
        "Lässt den Serviceingenieur auf die Maschinensteuerung zugreifen.",
        "Der Serviceingenieur erklärt, was das Fehlerprotokoll zeigt und wie es weitergeht.",
        "Der Serviceingenieur liest das Fehlerprotokoll aus, bestimmt das Teil und prüft den Lagerbestand.",
        "Fernwartungs-Gateway · Ersatzteillager",
    ),
    "On-site repair": (
        "Reparatur vor Ort",
        "Technikereinsatz",
        "Trifft den Techniker an der Linie.",
        "Der Techniker repariert und testet die Linie mit dem Produkt des Kunden.",
        "Die Disposition plant die Route; das Lager verschickt das Teil über Nacht.",
        "Einsatzplanung Außendienst · Logistikpartner",
    ),
    "Follow-up": (
        "Nachbereitung",
        "Servicebericht und Umfrage",
        "Erhält den Servicebericht und eine kurze CSAT-Umfrage.",
        "Bericht per E-Mail innerhalb von 24 Stunden, mit Fehlerursache und Tipps zur Vorbeugung.",
        "Die Serviceleitung prüft wiederkehrende Ausfälle; das Produktmanagement erhält die Fehlerursache.",
        "Berichtswesen · Qualitätsdatenbank",
    ),
}

# Lane kind: the German name of the map's default lane (DOMAIN.md's vocabulary).
LANE_NAMES = {
    "touchpoints": "Touchpoints",
    "customer_actions": "Kundenaktionen",
    "thoughts": "Gedanken / Fragen",
    "emotions": "Emotionen",
    "pain_points": "Schmerzpunkte",
    "opportunities": "Chancen",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Unterstützende Prozesse / Systeme",
    "notes": "Notizen / Zitate",
}

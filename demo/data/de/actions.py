"""German texts of ``demo.data.actions``: what the departments are working on."""

MILESTONE_TITLE = "Zwischenstand mit der Abteilungsleitung besprechen"

# English title: (title, description)
ACTIONS = {
    "Call back every hotline request within 4 hours": (
        "Jede Hotline-Anfrage innerhalb von 4 Stunden zurückrufen",
        "Anrufer hingen bis zu 20 Minuten in der Warteschleife, während ihre Linie stand. Jede Anfrage bekommt "
        "jetzt ein Ticket und innerhalb von 4 Stunden einen Rückruf von einem Servicetechniker.",
    ),
    "Show technician arrival windows in the customer portal": (
        "Ankunftszeitfenster der Techniker im Kundenportal anzeigen",
        "Die häufigste Beschwerde zu Serviceanfragen: Niemand weiß, wann der Techniker kommt.",
    ),
    "Stock the top-20 wear parts at the regional service hubs": (
        "Die 20 wichtigsten Verschleißteile in den regionalen Servicestützpunkten bevorraten",
        "Kritiker im After-Sales-NPS nennen das Warten auf Ersatzteile als Hauptgrund für ihre Bewertung.",
    ),
    "Answer quote requests within one business day": (
        "Angebotsanfragen innerhalb eines Arbeitstages beantworten",
        "Interessenten warten bis zu drei Tage auf eine erste Antwort. Abhilfe: ein gemeinsames Postfach mit "
        "täglich wechselnder Zuständigkeit.",
    ),
    "Offer template with total cost of ownership and binding delivery date": (
        "Angebotsvorlage mit Gesamtbetriebskosten und verbindlichem Liefertermin",
        "Der Einkauf vergleicht Preise; Produktionsleiter brauchen die Kosten über zehn Jahre und einen festen "
        "Liefertermin als Argument.",
    ),
    "Staff the live chat with IT consultants from 8:00 to 18:00": (
        "Live-Chat von 8 bis 18 Uhr mit IT-Beratern besetzen",
        "IT-Leiter wollen schon beim ersten Kontakt eine kompetente Antwort und keinen Chatbot.",
    ),
    "Industry case studies with real output figures on the website": (
        "Anwenderberichte mit echten Leistungsdaten je Branche auf der Website",
        "Besucher suchen Leistungsdaten und Referenzen aus ihrer eigenen Branche und finden sie nicht.",
    ),
    "Remote diagnostics for the sealing unit": (
        "Ferndiagnose für die Siegeleinheit",
        "Die Hälfte der Hotline-Anrufe betrifft die Siegeleinheit. Blockiert: Die IT-Abteilungen der Kunden "
        "müssen den VPN-Zugang erst freigeben.",
    ),
    "Operator manuals and video tutorials in German": (
        "Bedienungsanleitungen und Videoanleitungen auf Deutsch",
        "Kritiker bei der Inbetriebnahme vermissten deutsche Schulungsunterlagen für ihre Schichtteams.",
    ),
}

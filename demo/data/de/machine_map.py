"""German texts of ``demo.data.machine_map``: buying an industrial packaging machine."""

MACHINE = {
    "name": "Kauf einer industriellen Verpackungsmaschine",
    "goal": (
        "Sehen, wo Produktionsleiter zwischen der ersten Suche und dem ersten Serviceeinsatz das Vertrauen "
        "verlieren, und den After-Sales-Service verbessern, der darüber entscheidet, ob sie ihre nächste Linie "
        "wieder bei uns kaufen."
    ),
    "scope": "FlowPack-Verpackungsmaschinen (B2B, Direktvertrieb)",
    # English stage: (stage, description)
    "stages": {
        "Need recognition": (
            "Bedarfserkennung",
            "Die bestehende Maschine kommt nicht mehr mit: mehr Formate, mehr Ausbringung, mehr Stillstand.",
        ),
        "Information search": (
            "Informationssuche",
            "Vergleicht Hersteller auf deren Websites, in Fachartikeln und auf der Messe.",
        ),
        "Vendor contact": (
            "Kontakt zum Anbieter",
            "Fordert Kataloge an, schreibt erste E-Mails und ruft die Anbieter der engeren Wahl an.",
        ),
        "Offer": ("Angebot", "Erhält maßgeschneiderte Lösungen und Angebote."),
        "Evaluation": (
            "Bewertung",
            "Produktion, Einkauf, Instandhaltung und Controlling vergleichen die Angebote in einer Besprechung.",
        ),
        "Negotiation": ("Verhandlung", "Spezifikation, Preis, Lieferzeit und Wartungsvertrag."),
        "Purchase decision": ("Kaufentscheidung", "Die Geschäftsführung unterschreibt, der Auftrag wird erteilt."),
        "Implementation": ("Implementierung", "Aufstellung, Inbetriebnahme vor Ort und Schulung der Mitarbeitenden."),
        "After-sales service": (
            "After-Sales-Service",
            "Regelmäßige Wartung, Reparaturen vor Ort und Software-Updates.",
        ),
    },
    # touchpoint key: its texts
    "touchpoints": {
        "mj_trade_article": {
            "name": "Fachartikel zur Effizienz von Verpackungslinien",
            "customer_action": "Liest in einer Verpackungs-Fachzeitschrift einen Artikel über OEE und Formatwechsel.",
            "thoughts": "Unsere Formatwechsel dauern dreimal so lange – ist das normal?",
        },
        "mj_service_hint": {
            "name": "Hinweis des Servicetechnikers zum Maschinenalter",
            "customer_action": (
                "Erfährt bei einer Reparatur von unserem Techniker, dass es für die alte Maschine bald keine "
                "Ersatzteile mehr gibt."
            ),
            "thoughts": "Wenn die Maschine eine Woche steht, halten wir unsere Liefertermine nicht.",
        },
        "mj_newsletter": {
            "name": "Kunden-Newsletter: neue FlowPack-Generation",
            "customer_action": "Überfliegt den Newsletter, der eine schnellere Maschinengeneration ankündigt.",
            "thoughts": "Klingt gut – aber was würde uns der Umstieg kosten?",
        },
        "mj_web_search": {
            "name": "Informationssuche auf der Website",
            "customer_action": "Sieht sich Produktseiten und Datenblätter an und lädt eine Broschüre herunter.",
            "thoughts": (
                "Welche Maschine passt zu unserer Folie und unseren Formaten? Wo sind die echten Leistungsdaten?"
            ),
        },
        "mj_trade_fair": {
            "name": "Messestand (interpack)",
            "customer_action": "Sieht die Maschine am Stand laufen und spricht mit einem Anwendungstechniker.",
            "thoughts": "Sie mit einem Produkt wie unserem laufen zu sehen, überzeugt.",
        },
        "mj_case_study": {
            "name": "Anwenderbericht in einer Fachzeitschrift",
            "customer_action": "Liest, wie eine Großbäckerei ihre Ausbringung mit unserer Maschine verdoppelt hat.",
            "thoughts": "Ist das mit unserem Werk vergleichbar?",
        },
        "mj_quote_form": {
            "name": "Formular für Katalog- und Angebotsanfragen",
            "customer_action": "Gibt Taktleistung, Formate und Produktdaten im Anfrageformular ein.",
            "thoughts": "Warum muss ich das alles hinterher am Telefon noch einmal erzählen?",
        },
        "mj_inquiry_email": {
            "name": "Anfrage per E-Mail an den Vertrieb",
            "customer_action": "Schickt ausführliche Fragen an die Vertriebsadresse und wartet auf Antwort.",
            "thoughts": "Drei Tage keine Antwort – wollen die unseren Auftrag überhaupt?",
        },
        "mj_first_call": {
            "name": "Erstgespräch mit dem Vertriebsingenieur",
            "customer_action": (
                "Bespricht die Anforderungen mit einem Vertriebsingenieur, der die richtigen Fragen stellt."
            ),
            "thoughts": "Endlich jemand, der unsere Linie versteht.",
        },
        "mj_offer": {
            "name": "Individuelles Angebot",
            "customer_action": "Erhält ein Angebot mit Aufstellungsplan, Leistungsgarantie und Optionen.",
            "thoughts": "Klar und gut gegliedert – aber was kostet uns das über zehn Jahre?",
        },
        "mj_tech_call": {
            "name": "Technisches Klärungsgespräch",
            "customer_action": "Klärt Folienarten, die Schnittstelle zur Liniensteuerung und den Platzbedarf.",
            "thoughts": "Gut, mit einem Ingenieur zu sprechen und nicht nur mit dem Vertrieb.",
        },
        "mj_comparison": {
            "name": "Angebotsvergleich im Entscheidungsgremium",
            "customer_action": (
                "Stellt die Angebote Einkauf, Instandhaltung und Controlling vor und beantwortet deren Fragen."
            ),
            "thoughts": "Der Einkauf schaut nur auf den Preis; ich brauche Argumente zur Verfügbarkeit.",
        },
        "mj_reference_visit": {
            "name": "Referenzbesuch bei einem Bestandskunden",
            "customer_action": "Besucht einen Kunden mit derselben Maschine und spricht mit dessen Schichtleiter.",
            "thoughts": "Wenn sie dort so läuft, läuft sie auch bei uns.",
        },
        "mj_followup_questions": {
            "name": "Rückfragen per E-Mail",
            "customer_action": "Schickt die Fragen, die in der Besprechung aufgekommen sind.",
            "thoughts": "Ich brauche die Antworten vor der Sitzung am Donnerstag.",
        },
        "mj_negotiation": {
            "name": "Verhandlung über Preis und Liefertermin",
            "customer_action": "Verhandelt Preis, Zahlungsbedingungen und einen verbindlichen Liefertermin.",
            "thoughts": "Sechzehn Wochen sind zu lang – unsere Saison beginnt in zwölf.",
        },
        "mj_maintenance_contract": {
            "name": "Angebot für den Wartungsvertrag",
            "customer_action": "Prüft Servicelevel, Reaktionszeiten und Ersatzteilpreise.",
            "thoughts": "Was heißt „Reaktion innerhalb von 48 Stunden“ am Wochenende?",
        },
        "mj_order_confirmation": {
            "name": "Auftragsbestätigung",
            "customer_action": "Erhält die Auftragsbestätigung mit dem Lieferplan.",
            "thoughts": "Erleichterung – jetzt müssen die Termine halten.",
        },
        "mj_kickoff_call": {
            "name": "Kick-off-Gespräch mit der Projektleitung",
            "customer_action": "Lernt den Projektleiter kennen, der Aufstellung und Schulung plant.",
            "thoughts": "Ein Ansprechpartner für alles – gut.",
        },
        "mj_installation": {
            "name": "Aufstellung und Inbetriebnahme vor Ort",
            "customer_action": "Unsere Monteure stellen die Maschine auf und fahren die Abnahme mit echtem Produkt.",
            "thoughts": "Nach zwei Tagen lief sie mit voller Leistung.",
        },
        "mj_training": {
            "name": "Bediener- und Wartungsschulung",
            "customer_action": "Bediener und Instandhalter werden vor Ort geschult.",
            "thoughts": "Die Schicht fühlt sich sicher; die Bedienungsanleitung könnte klarer sein.",
        },
        "mj_hotline": {
            "name": "Service-Hotline",
            "customer_action": "Ruft die Hotline an, als die Siegeleinheit ausfällt.",
            "thoughts": "Warteschleife, während die Linie steht.",
        },
        "mj_service_request": {
            "name": "Serviceanfrage im Kundenportal",
            "customer_action": "Legt eine Serviceanfrage an und bestellt Ersatzteile online.",
            "thoughts": "Wann kommt der Techniker? Das sehe ich nirgends.",
        },
        "mj_onsite_service": {
            "name": "Wartung und Reparatur vor Ort",
            "customer_action": "Ein Servicetechniker führt die Wartung oder Reparatur beim Kunden durch.",
            "thoughts": "Kompetent, aber das Ersatzteil musste erst bestellt werden.",
        },
    },
}

"""Support tickets and reviews for the Voice demo, in German and English (plain data).

Each is (source, channel, text); the loader draws a few hundred from them, spread over the last year, with
more delivery complaints in the last two months (a rising topic to find).
"""

TICKETS = {
    "de": [
        "Die Ersatzteile wurden zu spät geliefert, die Linie stand zwei Tage still.",
        "Lieferung verspätet, niemand hat uns über den neuen Liefertermin informiert.",
        "Der Techniker kam pünktlich und hat die Störung schnell behoben, sehr gut.",
        "Hotline nicht erreichbar, wir warten seit drei Tagen auf einen Rückruf.",
        "Die Rechnung ist falsch, die Wartung wurde doppelt berechnet.",
        "Die Software-Aktualisierung hat die Steuerung lahmgelegt, sehr ärgerlich.",
        "Nicht schlecht, der Austausch der Dichtungen ging diesmal schneller.",
        "Die Schulung der Bediener war hilfreich und gut vorbereitet.",
        "Ersatzteil falsch geliefert, die Bestellnummer stimmte nicht.",
        "Wartungstermin wurde zweimal verschoben, keine Erklärung.",
    ],
    "en": [
        "The spare parts arrived late and the line was down for two days.",
        "Delivery delayed again, nobody told us about the new delivery date.",
        "The technician was on time and fixed the fault quickly, great job.",
        "Could not reach the hotline, still waiting for a call back after three days.",
        "The invoice is wrong, the maintenance was charged twice.",
        "The software update broke the machine control, very frustrating.",
        "Not bad, replacing the seals was faster this time.",
        "The operator training was helpful and well prepared.",
        "Wrong spare part delivered, the order number did not match.",
        "The maintenance appointment was postponed twice without explanation.",
    ],
}

REVIEWS = {
    "de": [
        "Zuverlässige Maschinen, aber der Service ist oft langsam.",
        "Top Beratung vor dem Kauf, die Inbetriebnahme lief reibungslos.",
        "Lieferzeit für Ersatzteile ist viel zu lang.",
        "Freundliches Team, kompetente Techniker, gerne wieder.",
        "Die Verpackungsmaschine läuft seit Jahren ohne Probleme.",
    ],
    "en": [
        "Reliable machines, but the service is often slow.",
        "Excellent advice before the purchase, commissioning went smoothly.",
        "Delivery time for spare parts is far too long.",
        "Friendly team, competent technicians, would buy again.",
        "The packaging machine has run for years without problems.",
    ],
}

# Texts about late deliveries: drawn more often in the last 60 days.
RISING = {"de": (0, 1, 8), "en": (0, 1, 8)}

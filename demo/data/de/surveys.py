"""German texts of ``demo.data.surveys``: each survey's title, question and the comments respondents write.

Every survey of the German demo is asked in German (Sie-Form). The comment pools may be longer than the English
ones: which comment a respondent writes is drawn without changing the scores (``demo.loaders.surveys``).
"""

from demo.data.de.surveys_consulting import CONSULTING_SURVEYS
from demo.data.de.surveys_machine import EASY_OR_HARD, MACHINE_SURVEYS

# survey slug: {"title", "question" (CSAT/CES only), "reason" (where the English survey names one), "comments"}
_FIRST = {
    "nps-website": {
        "title": "NPS – Informationssuche auf der Website",
        "comments": {
            "neg": (
                "Keine Leistungsdaten für unsere Folienbreite gefunden.",
                "Die Datenblätter sind schwer zu finden und das Kontaktformular ist viel zu lang.",
                "Nirgends steht, wie lange ein Formatwechsel wirklich dauert.",
                "Keine Preisangaben, keine Lieferzeiten – so kann ich intern nichts vorschlagen.",
                "Die Suche auf der Website findet die Ersatzteilseiten nicht.",
            ),
            "neu": (
                "Guter Überblick, aber Preisspannen wären hilfreich.",
                "Informativ; der Konfigurator ist auf dem Handy langsam.",
                "Ordentlich, nur die Referenzen stammen nicht aus unserer Branche.",
            ),
            "pos": (
                "Übersichtliche Produktseiten, und die Videos der laufenden Maschinen sind super.",
                "In wenigen Minuten die passende Maschine und eine Referenz aus unserer Branche gefunden.",
                "Die Datenblätter zum Herunterladen haben unserer Instandhaltung sehr geholfen.",
            ),
        },
    },
    "nps-offer": {
        "title": "NPS – Angebot",
        "comments": {
            "neg": (
                "Das Angebot kam erst nach drei Wochen.",
                "Viele Optionen, aber keine Aussage zu den Gesamtkosten über die Laufzeit.",
                "Im Angebot fehlte ein verbindlicher Liefertermin.",
                "Die Ersatzteilpreise standen nicht drin – das hat unser Einkauf sofort bemängelt.",
            ),
            "neu": (
                "Technisch gut, preislich im oberen Bereich.",
                "Solide, aber die Lieferzeit blieb unklar.",
                "Sehr umfangreich, aber ohne Zusammenfassung für die Geschäftsführung.",
            ),
            "pos": (
                "Sehr gut auf unsere Formate zugeschnitten.",
                "Klare Struktur und eine verbindliche Leistungsgarantie – so muss das sein.",
                "Aufstellungsplan und Taktleistung passten auf Anhieb zu unserer Halle.",
            ),
        },
    },
    "nps-implementation": {
        "title": "NPS – Implementierung",
        "comments": {
            "neg": (
                "Die Inbetriebnahme hat sich um eine Woche verzögert.",
                "Schulungsunterlagen gab es nur auf Englisch.",
                "Der Liefertermin wurde zweimal verschoben, unsere Produktionsplanung war hinfällig.",
                "Bei der Abnahme lief die Maschine nicht mit unserer Folie.",
            ),
            "neu": (
                "Installation gut, die Schulung war etwas kurz.",
                "Inbetriebnahme vor Ort ordentlich, die Dokumentation kam aber erst Wochen später.",
            ),
            "pos": (
                "Nach zwei Tagen lief die Maschine mit voller Leistung.",
                "Sehr kompetente Techniker, die Schicht fühlt sich sicher.",
                "Top Projektleitung, alle Termine gehalten.",
                "Die Inbetriebnahme vor Ort war perfekt vorbereitet – Respekt an das Montageteam.",
            ),
        },
    },
    "nps-after-sales": {
        "title": "NPS – After-Sales-Service",
        "comments": {
            "neg": (
                "Der Techniker kam erst nach vier Tagen, die Linie stand.",
                "Ersatzteil musste erst bestellt werden – zwei Tage Stillstand.",
                "Wartungsvertrag teuer, Reaktionszeit trotzdem schlecht.",
                "Die Rechnung für den Serviceeinsatz war fast doppelt so hoch wie angekündigt.",
                "Ersatzteilbestellung abgeschickt, aber weder Bestätigung noch Liefertermin bekommen.",
                "Der Techniker hatte das falsche Ersatzteil dabei, also ein zweiter Einsatz.",
                "Trotz Wartungsvertrag kein Techniker vor Montag.",
                "Rückruf der Hotline war zugesagt, kam aber nicht.",
            ),
            "neu": (
                "Techniker kompetent, aber die Terminvereinbarung ist umständlich.",
                "Reparatur in Ordnung, die Rechnung kam ohne Erklärung.",
                "Die Wartung war gründlich, aber nicht zum vereinbarten Termin.",
                "Ersatzteile kommen inzwischen schneller, die Rechnungen sind aber kaum nachvollziehbar.",
            ),
            "pos": (
                "Schnelle Hilfe, der Fehler war in einer Stunde behoben.",
                "Unser Servicetechniker kennt die Anlage inzwischen besser als wir.",
                "Ersatzteil am nächsten Morgen da, Techniker gleich mit – so stellen wir uns Service vor.",
                "Der Wartungsvertrag lohnt sich: seit dem Frühjahr kein ungeplanter Stillstand mehr.",
                "Sehr freundlicher Techniker, der unserem Instandhalter noch gute Tipps gegeben hat.",
            ),
        },
    },
    "nps-it-first-contact": {
        "title": "NPS – Erstkontakt IT-Beratung",
        "comments": {
            "neg": (
                "Der Chatbot konnte nichts Konkretes beantworten.",
                "Eine Woche bis zum Rückruf.",
                "Im Chat nur Standardantworten, keine Ahnung von unserem ERP-System.",
            ),
            "neu": (
                "Freundlich, aber ich musste unsere Systemlandschaft zweimal erklären.",
                "Gute Beratung im Chat, den Gesprächstermin gab es aber erst zwei Wochen später.",
            ),
            "pos": (
                "Innerhalb von Minuten eine kompetente Antwort im Chat.",
                "Sie haben sofort die richtigen Fragen zu unserem ERP-System gestellt.",
                "Im Chat saß ein echter Berater und kein Bot – das hat mich überzeugt.",
            ),
        },
    },
    "nps-it-project-start": {
        "title": "NPS – Projektstart IT-Beratung",
        "comments": {
            "neg": (
                "Der Workshop war zu allgemein für unsere Situation.",
                "Die Berater kannten unsere Unterlagen nicht, obwohl wir sie vorab geschickt hatten.",
            ),
            "neu": (
                "Gute Analyse, aber die Roadmap ist sehr ehrgeizig.",
                "Solider Start, die Terminabstimmung mit unseren Fachabteilungen war mühsam.",
            ),
            "pos": (
                "Der Workshop zur Ist-Analyse hat alle unsere Systeme an eine Wand gebracht – ein Aha-Erlebnis.",
                "Sehr strukturierter Projektstart; die Geschäftsführung zieht mit.",
                "Endlich verstehen auch die Fachabteilungen, warum unsere Schnittstellen so anfällig sind.",
            ),
        },
    },
    "csat-hotline": {
        "title": "CSAT – Service-Hotline",
        "question": "Wie zufrieden waren Sie mit unserer Service-Hotline?",
        "comments": {
            "neg": (
                "20 Minuten in der Warteschleife, während die Linie stand.",
                "Ich musste mein Problem dreimal erklären.",
                "Rückruf versprochen, aber nie erfolgt.",
                "Niemand an der Hotline konnte mir sagen, wann der Techniker kommt.",
                "Freitagnachmittag nicht erreichbar – genau dann stand unsere Linie.",
                "Nach dem Anruf kam eine Rechnung für die telefonische Unterstützung, das war nicht abgesprochen.",
            ),
            "neu": (
                "Freundlich, aber die Lösung kam erst am nächsten Tag.",
                "Kompetente Auskunft, aber lange Wartezeit.",
                "Problem gelöst, nur die Ticketnummer kam nie per E-Mail.",
            ),
            "pos": (
                "Sofort einen Techniker am Telefon, Problem gelöst.",
                "Der Rückruf kam innerhalb einer Stunde – danke!",
                "Der Kollege an der Hotline hat die Siegeleinheit telefonisch mit uns wieder zum Laufen gebracht.",
                "Kurze Wartezeit, klare Ansage, Techniker am nächsten Tag – perfekt.",
                "Sehr freundlich und kein unnötiges Weiterverbinden.",
            ),
        },
    },
    "ces-service-request": {
        "title": "CES – Serviceanfrage",
        "question": "Es war für mich einfach, meine Serviceanfrage zu erledigen.",
        "reason": EASY_OR_HARD,
        "comments": {
            "neg": (
                "Ich sehe nicht, wann der Techniker kommt.",
                "Die Ersatzteilnummern im Portal stimmen nicht mit der Bedienungsanleitung überein.",
                "Die Ersatzteilbestellung bricht beim Hochladen der Fotos ab.",
                "Kein Liefertermin für das bestellte Teil, nur „in Bearbeitung“.",
            ),
            "neu": (
                "Die Anfrage war einfach, aber ich bekam keine Bestätigungs-E-Mail.",
                "Funktioniert, aber die Suche nach Ersatzteilen ist umständlich.",
            ),
            "pos": (
                "Ersatzteil in zwei Minuten bestellt.",
                "Einfaches Formular, und das Hochladen von Fotos hat gut funktioniert.",
                "Rechnung und Lieferschein direkt im Portal – sehr praktisch.",
            ),
        },
    },
}

SURVEYS = {**_FIRST, **MACHINE_SURVEYS, **CONSULTING_SURVEYS}

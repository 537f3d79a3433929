"""Synthetic customer feedback for the Voice benchmark: realistic sentence parts recombined with a seed.

Used for the 100,000-text topic rebuild and the throughput run, and as weakly labelled "history" for the
learner (labels flipped at a given noise rate, as scores given with a comment are only a hint).
"""

import random

SUBJECTS = {
    "de": [
        "Die Lieferung", "Der Liefertermin", "Die Ersatzteillieferung", "Der Servicetechniker", "Der Monteur",
        "Die Hotline", "Die Rechnung", "Die Rechnungsstellung", "Das Angebot", "Die Schulung",
        "Das Kundenportal", "Die Fernwartung", "Die Inbetriebnahme", "Der Wartungsvertrag", "Die Dokumentation",
        "Der Außendienst", "Die Verpackungsmaschine", "Der Kartonierer", "Die Folienzuführung",
        "Der Siegelbalken", "Die Formatumstellung", "Der Messestand", "Die Auftragsbestätigung",
        "Die Reklamationsbearbeitung", "Der Innendienst", "Die Steuerungssoftware", "Das Bedienpanel",
    ],
    "en": [
        "The delivery", "The delivery date", "The spare parts delivery", "The service technician", "The fitter",
        "The hotline", "The invoice", "Invoicing", "The quote", "The training", "The customer portal",
        "Remote support", "Commissioning", "The service contract", "The documentation", "The field service",
        "The packaging machine", "The cartoner", "The film feed", "The sealing jaw", "The format changeover",
        "The trade fair booth", "The order confirmation", "Complaint handling", "The sales office",
        "The control software", "The operator panel",
    ],
}  # fmt: skip
PREDICATES = {
    "de": {
        "negative": [
            "kam wieder zu spät", "war leider fehlerhaft", "ist eine Katastrophe", "hat uns viel Zeit gekostet",
            "war nicht erreichbar", "hat die Linie zwei Tage stillgelegt", "war unvollständig",
            "ist viel zu teuer", "hat nicht funktioniert", "war eine Enttäuschung", "ließ uns im Stich",
            "stand wieder still", "war überhaupt nicht hilfreich", "dauerte ewig", "war chaotisch organisiert",
        ],
        "neutral": [
            "ist für nächste Woche geplant", "wurde per Mail geschickt", "liegt zur Prüfung vor",
            "betrifft die Linie 2", "wird im Herbst umgestellt", "ist im Portal hinterlegt",
            "wurde an den Einkauf weitergeleitet", "hat die Nummer 4711", "erfolgt per Spedition",
            "wird vom Werk Bielefeld betreut", "ist Teil des Projekts", "wurde im März besprochen",
        ],
        "positive": [
            "war pünktlich und vollständig", "war super freundlich", "hat hervorragend funktioniert",
            "war schnell und unkompliziert", "hat uns sehr geholfen", "war kein Problem",
            "war nicht schlecht", "läuft seit Monaten stabil", "war top organisiert", "hat uns überzeugt",
            "war sehr kompetent", "lief reibungslos", "war jeden Euro wert", "war vorbildlich",
        ],
    },
    "en": {
        "negative": [
            "was late again", "was faulty unfortunately", "is a disaster", "cost us a lot of time",
            "could not be reached", "took the line down for two days", "was incomplete", "is far too expensive",
            "did not work", "was a letdown", "left us stranded", "stopped again", "was not helpful at all",
            "took forever", "was badly organised",
        ],
        "neutral": [
            "is planned for next week", "was sent by email", "is under review", "concerns line 2",
            "will be changed in the autumn", "is stored in the portal", "was forwarded to purchasing",
            "has the number 4711", "goes by freight forwarder", "is handled by the Leeds plant",
            "is part of the project", "was discussed in March",
        ],
        "positive": [
            "was on time and complete", "was super friendly", "worked brilliantly", "was fast and easy",
            "helped us a lot", "was no problem", "was not bad at all", "has run stable for months",
            "was well organised", "convinced us", "was very competent", "went smoothly",
            "was worth every euro", "was exemplary",
        ],
    },
}  # fmt: skip
OPENERS = {"de": ["", "", "", "Leider: ", "Insgesamt: ", "Kurz gesagt: "],
           "en": ["", "", "", "Unfortunately: ", "Overall: ", "In short: "]}  # fmt: skip
LABELS = ("negative", "neutral", "positive")


def generate(n: int, seed: int = 14, noise: float = 0.0) -> list[tuple[str, str, str]]:
    """``n`` (text, language, label) rows; ``noise`` is the share of labels replaced by a random one."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    rows = []
    for _ in range(n):
        language = "de" if rnd.random() < 0.6 else "en"
        label = rnd.choice(LABELS)
        sentences = []
        for position in range(rnd.choice((1, 1, 2, 2, 3))):
            own = label if position == 0 or rnd.random() < 0.7 else "neutral"
            subject = rnd.choice(SUBJECTS[language])
            sentences.append(f"{subject} {rnd.choice(PREDICATES[language][own])}.")
        text = rnd.choice(OPENERS[language]) + " ".join(sentences)
        if noise and rnd.random() < noise:
            label = rnd.choice(LABELS)
        rows.append((text, language, label))
    return rows

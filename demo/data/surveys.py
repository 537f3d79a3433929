"""The demo's surveys: who answers what at which touchpoint, and how their scores move over the year.

The first eight are the surveys the demo started with (their responses keep their external ids); the
stage surveys of both maps (``surveys_machine``, ``surveys_consulting``) give most touchpoints enough
answers in the last 90 days for their cards, the measured emotion curve and the map KPIs.
"""

from demo.data.actions import CHAT_STAFFED_DAYS_AGO, HOTLINE_CALLBACK_DONE_DAYS_AGO
from demo.data.people import HEAD_OF_PRODUCTION, IT_LEAD
from demo.data.specs import SurveySpec
from demo.data.surveys_consulting import CONSULTING_SURVEYS
from demo.data.surveys_machine import MACHINE_SURVEYS
from surveys.models import Question

NPS_IMPLEMENTATION = (1, 0, 1, 1, 2, 3, 5, 10, 18, 30, 29)  # ≈ +46
NPS_AFTER_SALES_THEN = (4, 3, 5, 6, 8, 10, 11, 13, 14, 14, 12)  # ≈ −21
NPS_AFTER_SALES_NOW = (3, 2, 3, 4, 6, 9, 10, 14, 17, 17, 15)  # ≈ −5

_FIRST = [
    SurveySpec(
        "nps-website",
        "NPS – Website information search",
        Question.Kind.NPS,
        "mj_web_search",
        "en",
        HEAD_OF_PRODUCTION,
        600,
        (2, 1, 2, 3, 4, 6, 9, 17, 21, 19, 16),
        (2, 1, 2, 3, 4, 5, 8, 16, 21, 21, 17),
        {
            "neg": (
                "Couldn't find output figures for our film width.",
                "The data sheets are hard to find and the contact form is far too long.",
            ),
            "neu": (
                "Good overview, but price ranges would help.",
                "Informative; the configurator is slow on my phone.",
            ),
            "pos": (
                "Clear product pages, and the videos of running machines are great.",
                "Found the right machine and a reference from our industry within minutes.",
            ),
        },
        without_customer=0.4,
    ),
    SurveySpec(
        "nps-offer",
        "NPS – Offer",
        Question.Kind.NPS,
        "mj_offer",
        "de",
        HEAD_OF_PRODUCTION,
        280,
        (1, 1, 2, 2, 3, 5, 8, 16, 22, 22, 18),
        (1, 1, 1, 2, 3, 4, 7, 16, 22, 24, 19),
        {
            "neg": (
                "Das Angebot kam erst nach drei Wochen.",
                "Viele Optionen, aber keine Aussage zu den Gesamtkosten über die Laufzeit.",
            ),
            "neu": (
                "Technisch gut, preislich im oberen Bereich.",
                "Solide, aber die Lieferzeit blieb unklar.",
            ),
            "pos": (
                "Sehr gut auf unsere Formate zugeschnitten.",
                "Klare Struktur und eine verbindliche Leistungsgarantie – so muss das sein.",
            ),
        },
    ),
    SurveySpec(
        "nps-implementation",
        "NPS – Implementation",
        Question.Kind.NPS,
        "mj_installation",
        "de",
        HEAD_OF_PRODUCTION,
        260,
        NPS_IMPLEMENTATION,
        NPS_IMPLEMENTATION,
        {
            "neg": (
                "Die Inbetriebnahme hat sich um eine Woche verzögert.",
                "Schulungsunterlagen gab es nur auf Englisch.",
            ),
            "neu": ("Installation gut, die Schulung war etwas kurz.",),
            "pos": (
                "Nach zwei Tagen lief die Maschine mit voller Leistung.",
                "Sehr kompetente Techniker, die Schicht fühlt sich sicher.",
                "Top Projektleitung, alle Termine gehalten.",
            ),
        },
    ),
    SurveySpec(
        "nps-after-sales",
        "NPS – After-sales service",
        Question.Kind.NPS,
        "mj_onsite_service",
        "de",
        HEAD_OF_PRODUCTION,
        520,
        NPS_AFTER_SALES_THEN,
        NPS_AFTER_SALES_NOW,
        {
            "neg": (
                "Der Techniker kam erst nach vier Tagen, die Linie stand.",
                "Ersatzteil musste erst bestellt werden – zwei Tage Stillstand.",
                "Wartungsvertrag teuer, Reaktionszeit trotzdem schlecht.",
            ),
            "neu": (
                "Techniker kompetent, aber die Terminvereinbarung ist umständlich.",
                "Reparatur in Ordnung, die Rechnung kam ohne Erklärung.",
            ),
            "pos": (
                "Schnelle Hilfe, der Fehler war in einer Stunde behoben.",
                "Unser Servicetechniker kennt die Anlage inzwischen besser als wir.",
            ),
        },
    ),
    SurveySpec(
        "nps-it-first-contact",
        "NPS – IT consulting first contact",
        Question.Kind.NPS,
        "it_chat",
        "en",
        IT_LEAD,
        240,
        (2, 1, 2, 3, 4, 6, 8, 16, 20, 20, 18),  # ≈ +13 with the chat bot …
        (1, 1, 1, 2, 3, 4, 6, 13, 19, 26, 24),  # … ≈ +32 with consultants in the chat
        {
            "neg": ("The chat bot couldn't answer anything specific.", "It took a week to get a call back."),
            "neu": ("Friendly, but I had to explain our setup twice.",),
            "pos": (
                "Got a competent answer in the chat within minutes.",
                "They asked the right questions about our ERP straight away.",
            ),
        },
        changed_days_ago=CHAT_STAFFED_DAYS_AGO,
    ),
    SurveySpec(
        "nps-it-project-start",
        "NPS – IT consulting project start",
        Question.Kind.NPS,
        "it_asis_workshop",
        "en",
        IT_LEAD,
        180,
        (1, 0, 1, 1, 2, 3, 6, 12, 18, 28, 28),
        (1, 0, 1, 1, 2, 3, 6, 12, 18, 28, 28),
        {
            "neg": ("The workshop was too generic for our situation.",),
            "neu": ("Good analysis, but the roadmap is very ambitious.",),
            "pos": (
                "The as-is workshop put all our systems on one wall – eye-opening.",
                "Very structured kick-off; management is on board.",
            ),
        },
    ),
    SurveySpec(
        "csat-hotline",
        "CSAT – Service hotline",
        Question.Kind.CSAT,
        "mj_hotline",
        "de",
        HEAD_OF_PRODUCTION,
        640,
        (14, 18, 24, 28, 16),  # 44 % satisfied …
        (6, 9, 17, 38, 30),  # … 68 % since the call-back promise
        {
            "neg": (
                "20 Minuten in der Warteschleife, während die Linie stand.",
                "Ich musste mein Problem dreimal erklären.",
                "Rückruf versprochen, aber nie erfolgt.",
            ),
            "neu": ("Freundlich, aber die Lösung kam erst am nächsten Tag.",),
            "pos": (
                "Sofort einen Techniker am Telefon, Problem gelöst.",
                "Der Rückruf kam innerhalb einer Stunde – danke!",
            ),
        },
        changed_days_ago=HOTLINE_CALLBACK_DONE_DAYS_AGO,
        question="Wie zufrieden waren Sie mit unserer Service-Hotline?",
    ),
    SurveySpec(
        "ces-service-request",
        "CES – Service request",
        Question.Kind.CES,
        "mj_service_request",
        "en",
        HEAD_OF_PRODUCTION,
        420,
        (7, 10, 15, 19, 21, 17, 11),
        (7, 10, 15, 19, 21, 17, 11),
        {
            "neg": (
                "I can't see when the technician will arrive.",
                "The spare-part numbers in the portal don't match the manual.",
            ),
            "neu": ("The request was easy, but I got no confirmation e-mail.",),
            "pos": ("Ordered the spare part in two minutes.", "Simple form, and uploading photos worked well."),
        },
        question="We made it easy for me to handle my service request.",
        reason="What made it easy or hard?",
    ),
]

SURVEYS = [*_FIRST, *MACHINE_SURVEYS, *CONSULTING_SURVEYS]

# What respondents read as the survey's heading and e-mail subject (the titles above are internal names).
PUBLIC_TITLES = {
    Question.Kind.NPS: {"de": "Würden Sie uns weiterempfehlen?", "en": "Would you recommend us?"},
    Question.Kind.CSAT: {"de": "Wie zufrieden waren Sie?", "en": "How satisfied were you?"},
    Question.Kind.CES: {"de": "Wie einfach war es für Sie?", "en": "How easy was it for you?"},
}

# What respondents see of the company (cxportal.Branding), set when nobody has chosen a branding yet.
COMPANY_NAME = "Kessler Verpackungstechnik GmbH"
ACCENT_COLOR = "#0b5394"

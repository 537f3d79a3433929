"""The demo data set: Kessler Verpackungstechnik GmbH, a packaging-machine builder with an IT consulting arm.

``demo_load()`` is idempotent: every object is looked up by its natural key (username, department,
persona, map and survey name, customer and response external id, action title) and only what is missing
is created, so a second run adds nothing and a partly loaded database is completed. The data is drawn
from a seeded ``random.Random`` relative to today, so it always covers the last year (the same seed on
the same day gives the same data).

Journeys, surveys and actions go through the services. Customers, responses and answers are
bulk-inserted, already valid by construction: the services validate one row at a time, and a demo
that takes a minute to load is a demo nobody starts.

The KPI snapshots are left alone on purpose: the worker and beat compute them within a minute of
start-up, which is what the demo shows.
"""

import random
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actionplans.models import Action, Department, TouchpointOwnership
from actionplans.services import action_create, action_update, department_create, milestone_create
from cxportal import roles
from cxportal.services import model_update
from journeys.models import Channel, Customer, JourneyMap, Lane, Persona, Touchpoint
from journeys.services import (
    cell_set,
    journey_map_create,
    opportunity_create,
    pain_point_create,
    persona_create,
    stage_create,
    touchpoint_create,
)
from metrics.models import TouchpointEvent, Transaction
from surveys.models import Answer, Question, Response, Survey
from surveys.services import survey_create, survey_create_nps

COMPANY = "Kessler Verpackungstechnik GmbH"
MAIL_DOMAIN = "kessler-verpackung.example"

# The demo's logins, printed by `make run` and `load_demo`: (username, password, role).
DEMO_LOGINS = [
    ("cx.manager", "demo-cx-2026", "CX manager (everything)"),
    ("sales.member", "demo-sales-2026", "Sales department member"),
    ("service.member", "demo-service-2026", "Customer Service department member"),
    ("sales.lead", "demo-sales-lead-2026", "Sales department lead"),
    ("service.lead", "demo-service-lead-2026", "Customer Service department lead"),
    ("marketing.lead", "demo-marketing-lead-2026", "Marketing department lead"),
    ("product.lead", "demo-product-lead-2026", "Product department lead"),
]

CUSTOMER_COUNT = 300
# Two actions that worked: the KPIs of their touchpoints improve from the day they were done.
HOTLINE_CALLBACK_DONE_DAYS_AGO = 110
CHAT_STAFFED_DAYS_AGO = 105
RESPONSE_PREFIX = "demo-"


class _Person(NamedTuple):
    username: str
    first_name: str
    last_name: str
    group: str


_PEOPLE = [
    _Person("cx.manager", "Katrin", "Vogel", roles.CX_MANAGER),
    _Person("sales.member", "Jonas", "Becker", roles.DEPARTMENT_MEMBER),
    _Person("service.member", "Lena", "Hoffmann", roles.DEPARTMENT_MEMBER),
    _Person("sales.lead", "Markus", "Weber", roles.DEPARTMENT_MEMBER),
    _Person("service.lead", "Sabine", "Krüger", roles.DEPARTMENT_MEMBER),
    _Person("marketing.lead", "Tim", "Schäfer", roles.DEPARTMENT_MEMBER),
    _Person("product.lead", "Anna", "Richter", roles.DEPARTMENT_MEMBER),
]

# name: (lead, members, contact e-mail)
_DEPARTMENTS = {
    "Sales": ("sales.lead", ["sales.lead", "sales.member"], f"sales@{MAIL_DOMAIN}"),
    "Customer Service": ("service.lead", ["service.lead", "service.member"], f"service@{MAIL_DOMAIN}"),
    "Marketing": ("marketing.lead", ["marketing.lead"], f"marketing@{MAIL_DOMAIN}"),
    "Product": ("product.lead", ["product.lead"], f"product@{MAIL_DOMAIN}"),
}

HEAD_OF_PRODUCTION = "Head of production"
IT_LEAD = "IT lead"

_PERSONAS = [
    {
        "name": HEAD_OF_PRODUCTION,
        "role": "Head of production (Produktionsleiter) at a food manufacturer",
        "description": (
            "Thomas Brandt, 48, runs production at a family-owned food manufacturer near Stuttgart: three "
            "packaging lines, 140 people in two shifts. Engineer by training, twenty years in the company; "
            "decides together with purchasing, maintenance and the managing director."
        ),
        "goals": (
            "Higher output and shorter format changeovers; predictable uptime; a supplier who answers quickly "
            "when a line stands still; investments that pay back within four years."
        ),
        "challenges": (
            "Ageing machines and discontinued spare parts; more products in smaller batches; too few skilled "
            "maintenance staff; long approval rounds with purchasing and finance."
        ),
        "quote": "Every hour the line stands still costs us more than the service contract for a year.",
        "segment_rule": {"segment": "manufacturing"},
    },
    {
        "name": IT_LEAD,
        "role": "Head of IT at a mid-sized company",
        "description": (
            "Sandra Keller, 41, leads a team of six at a wholesaler with 400 employees. Management sent her to "
            "find outside help because outdated systems slow the business down. She researches thoroughly and "
            "trusts her peers' recommendations more than brochures."
        ),
        "goals": (
            "A modern, maintainable system landscape; a partner who understands the business, not only the "
            "technology; a roadmap management will fund; a team that grows with the project."
        ),
        "challenges": (
            "A legacy ERP and home-grown interfaces; little time next to day-to-day operations; management "
            "expects quick results; consultants' competence is hard to judge in advance."
        ),
        "quote": "I don't need another slide deck — I need someone who has done this before in a company like ours.",
        "segment_rule": {"segment": "mid_market"},
    },
]


class _Tp(NamedTuple):
    key: str
    name: str
    channel: str
    customer_action: str
    thoughts: str
    emotion_score: int
    is_moment_of_truth: bool = False


MACHINE_MAP = "Buying an industrial packaging machine"
CONSULTING_MAP = "Booking an IT consulting engagement"

# name: (persona, goal, scope, [(stage, description, [touchpoints])])
_MAPS = {
    MACHINE_MAP: (
        HEAD_OF_PRODUCTION,
        "See where production managers lose trust between the first search and the first service call, "
        "and fix the after-sales experience that decides whether they buy their next line from us.",
        "FlowPack packaging machines (B2B, direct sales)",
        [
            (
                "Need recognition",
                "The current machine can't keep up: more formats, more output, more downtime.",
                [
                    _Tp(
                        "mj_trade_article",
                        "Trade article on packaging-line efficiency",
                        "press",
                        "Reads an article on OEE and format changeovers in a packaging trade magazine.",
                        "Our changeovers take three times as long — is that normal?",
                        -1,
                    ),
                    _Tp(
                        "mj_service_hint",
                        "Service technician's hint on machine age",
                        "support",
                        "Hears from our technician during a repair that spare parts for the old machine run out.",
                        "If that machine stops for a week, we miss our delivery dates.",
                        -2,
                    ),
                    _Tp(
                        "mj_newsletter",
                        "Customer newsletter: new FlowPack generation",
                        "email",
                        "Skims the newsletter announcing a faster machine generation.",
                        "Sounds good, but what would switching cost us?",
                        0,
                    ),
                ],
            ),
            (
                "Information search",
                "Compares manufacturers on their websites, in trade articles and at the trade fair.",
                [
                    _Tp(
                        "mj_web_search",
                        "Website information search",
                        "website",
                        "Browses product pages and data sheets, downloads a brochure.",
                        "Which machine fits our film and formats? Where are the real output figures?",
                        0,
                    ),
                    _Tp(
                        "mj_trade_fair",
                        "Trade fair stand (interpack)",
                        "event",
                        "Sees the machine running at the stand and talks to an application engineer.",
                        "Seeing it run with a product like ours is convincing.",
                        2,
                    ),
                    _Tp(
                        "mj_case_study",
                        "Case study in a trade journal",
                        "press",
                        "Reads how a bakery doubled its output with our machine.",
                        "Is that comparable to our plant?",
                        1,
                    ),
                ],
            ),
            (
                "Vendor contact",
                "Requests catalogues, writes first e-mails and calls the shortlisted vendors.",
                [
                    _Tp(
                        "mj_quote_form",
                        "Catalogue and quote request form",
                        "website",
                        "Enters line speed, formats and product details in the request form.",
                        "Why do I have to repeat all of this on the phone afterwards?",
                        -1,
                    ),
                    _Tp(
                        "mj_inquiry_email",
                        "Inquiry e-mail to sales",
                        "email",
                        "Sends detailed questions to the sales address and waits for an answer.",
                        "Three days without an answer — do they want our business?",
                        -2,
                    ),
                    _Tp(
                        "mj_first_call",
                        "First call with the sales engineer",
                        "phone",
                        "Discusses the requirements with a sales engineer who asks the right questions.",
                        "Finally someone who understands our line.",
                        2,
                    ),
                ],
            ),
            (
                "Offer",
                "Receives tailored solutions and quotes.",
                [
                    _Tp(
                        "mj_offer",
                        "Tailored offer",
                        "sales_rep",
                        "Receives a quote with layout, output guarantee and options.",
                        "Clear and well structured — but what does it cost over ten years?",
                        1,
                        True,
                    ),
                    _Tp(
                        "mj_tech_call",
                        "Technical clarification call",
                        "phone",
                        "Clarifies film types, the interface to the line control and the floor space.",
                        "Good to talk to an engineer, not only to a salesperson.",
                        1,
                    ),
                ],
            ),
            (
                "Evaluation",
                "Production, purchasing, maintenance and finance compare the offers in a meeting.",
                [
                    _Tp(
                        "mj_comparison",
                        "Offer comparison meeting",
                        "sales_rep",
                        "Presents the offers to purchasing, maintenance and finance and answers their questions.",
                        "Purchasing only looks at the price; I need arguments about uptime.",
                        -1,
                        True,
                    ),
                    _Tp(
                        "mj_reference_visit",
                        "Reference visit at an existing customer",
                        "referral",
                        "Visits a customer running the same machine and talks to their shift lead.",
                        "If it runs like this for them, it will run for us.",
                        2,
                    ),
                    _Tp(
                        "mj_followup_questions",
                        "Follow-up questions by e-mail",
                        "email",
                        "Sends the questions that came up in the meeting.",
                        "I need the answers before Thursday's meeting.",
                        0,
                    ),
                ],
            ),
            (
                "Negotiation",
                "Specifications, price, delivery time and the maintenance contract.",
                [
                    _Tp(
                        "mj_negotiation",
                        "Price and delivery-time negotiation",
                        "sales_rep",
                        "Negotiates price, payment terms and a binding delivery date.",
                        "Sixteen weeks is too long — our peak season starts in twelve.",
                        -2,
                        True,
                    ),
                    _Tp(
                        "mj_maintenance_contract",
                        "Maintenance contract proposal",
                        "email",
                        "Reviews service levels, response times and spare-part prices.",
                        "What does 'response within 48 hours' mean on a weekend?",
                        -1,
                    ),
                ],
            ),
            (
                "Purchase decision",
                "Management signs and the order is placed.",
                [
                    _Tp(
                        "mj_order_confirmation",
                        "Order confirmation",
                        "email",
                        "Receives the order confirmation with the delivery schedule.",
                        "Relief — now the dates have to hold.",
                        1,
                    ),
                    _Tp(
                        "mj_kickoff_call",
                        "Kick-off call with the project manager",
                        "phone",
                        "Meets the project manager who plans installation and training.",
                        "One contact person for everything — good.",
                        2,
                    ),
                ],
            ),
            (
                "Implementation",
                "Installation, commissioning and staff training.",
                [
                    _Tp(
                        "mj_installation",
                        "Installation and commissioning",
                        "support",
                        "Our technicians install the machine and run the acceptance test with real product.",
                        "It ran at full speed within two days.",
                        2,
                        True,
                    ),
                    _Tp(
                        "mj_training",
                        "Operator and maintenance training",
                        "support",
                        "Operators and maintenance staff are trained on site.",
                        "The shift team feels confident; the manual could be clearer.",
                        1,
                    ),
                ],
            ),
            (
                "After-sales service",
                "Regular maintenance, on-site repairs and software updates.",
                [
                    _Tp(
                        "mj_hotline",
                        "Service hotline",
                        "phone",
                        "Calls the hotline when the sealing unit fails.",
                        "Waiting in the queue while the line stands still.",
                        -2,
                        True,
                    ),
                    _Tp(
                        "mj_service_request",
                        "Service request in the customer portal",
                        "website",
                        "Opens a service request and orders spare parts online.",
                        "When will the technician come? I can't see it anywhere.",
                        -1,
                    ),
                    _Tp(
                        "mj_onsite_service",
                        "On-site maintenance and repairs",
                        "support",
                        "A technician carries out the maintenance or repair on site.",
                        "Competent, but the spare part had to be ordered first.",
                        -1,
                        True,
                    ),
                ],
            ),
        ],
    ),
    CONSULTING_MAP: (
        IT_LEAD,
        "Find out where IT leads of mid-sized companies drop out before the first project, and why projects "
        "rarely grow into follow-up work.",
        "Kessler Digital: IT modernisation consulting",
        [
            (
                "Problem recognition",
                "Management sends the IT lead because outdated systems slow the business down.",
                [
                    _Tp(
                        "it_blog",
                        "Blog article on legacy modernisation",
                        "website",
                        "Finds our article 'Five signs your ERP is holding you back' through a search engine.",
                        "Signs three and four — that's us.",
                        0,
                    ),
                    _Tp(
                        "it_webinar_invite",
                        "Webinar invitation",
                        "email",
                        "Receives an invitation to a webinar on cloud migration for mid-sized companies.",
                        "Another webinar… but the agenda is concrete.",
                        0,
                    ),
                ],
            ),
            (
                "Market analysis",
                "White papers, success stories, LinkedIn posts and their comments, recommendations, networking events.",
                [
                    _Tp(
                        "it_whitepaper",
                        "White papers and success stories",
                        "website",
                        "Downloads a white paper and reads two success stories from similar companies.",
                        "Useful, but do they know our industry?",
                        1,
                    ),
                    _Tp(
                        "it_linkedin",
                        "LinkedIn posts and comments",
                        "social_media",
                        "Reads our consultants' posts and the discussion below them.",
                        "The comments show real project experience.",
                        1,
                    ),
                    _Tp(
                        "it_recommendation",
                        "Recommendation at a networking event",
                        "event",
                        "Hears from a peer at the regional IT forum how their project with us went.",
                        "A recommendation from someone I trust counts more than any brochure.",
                        2,
                    ),
                ],
            ),
            (
                "First contact",
                "E-mails to a few consultancies; one of them offers a live chat.",
                [
                    _Tp(
                        "it_contact_email",
                        "Contact e-mail",
                        "email",
                        "Describes the situation in an e-mail to three consultancies.",
                        "Who answers first — and who actually read my e-mail?",
                        0,
                    ),
                    _Tp(
                        "it_chat",
                        "Live chat on the website",
                        "chat",
                        "Asks in the live chat whether we have experience with their ERP.",
                        "An immediate, competent answer — that saves me a week.",
                        2,
                        True,
                    ),
                ],
            ),
            (
                "Presentations",
                "The consultancies present their approach in video calls.",
                [
                    _Tp(
                        "it_video_presentation",
                        "Video-call presentation",
                        "sales_rep",
                        "Watches our approach and a demo of a similar project in a video call.",
                        "Too many slides about the company, too few about our problem.",
                        -1,
                    ),
                    _Tp(
                        "it_proposal",
                        "Proposal with approach and budget",
                        "email",
                        "Receives the written proposal with phases, team and budget.",
                        "The budget range is wide — what drives it?",
                        0,
                    ),
                ],
            ),
            (
                "Selection",
                "Decides on competence, cost and sympathy.",
                [
                    _Tp(
                        "it_reference_call",
                        "Reference call",
                        "referral",
                        "Calls a reference customer we named.",
                        "They were honest about what went wrong and how it was fixed.",
                        1,
                    ),
                    _Tp(
                        "it_final_meeting",
                        "Final meeting with management",
                        "sales_rep",
                        "Presents the choice to management together with our lead consultant.",
                        "Management has to trust them too — the chemistry matters.",
                        1,
                        True,
                    ),
                ],
            ),
            (
                "Project start",
                "As-is analysis, goals and strategy.",
                [
                    _Tp(
                        "it_asis_workshop",
                        "As-is analysis workshop",
                        "support",
                        "Maps systems and pain points in a two-day workshop with our consultants.",
                        "For the first time everything is on one wall.",
                        2,
                        True,
                    ),
                    _Tp(
                        "it_strategy",
                        "Goals and strategy session",
                        "support",
                        "Agrees goals, priorities and a roadmap.",
                        "Ambitious — will the business departments find the time?",
                        0,
                    ),
                ],
            ),
            (
                "Completion and follow-up",
                "Evaluation of the results and further potential.",
                [
                    _Tp(
                        "it_evaluation",
                        "Project evaluation meeting",
                        "support",
                        "Reviews the results against the goals with management.",
                        "Most goals met; the data migration took longer than planned.",
                        1,
                    ),
                    _Tp(
                        "it_followup_offer",
                        "Follow-up offer for further potential",
                        "email",
                        "Receives proposals for a next phase.",
                        "Relevant for us — or just selling more?",
                        0,
                    ),
                ],
            ),
        ],
    ),
}


class _SurveySpec(NamedTuple):
    slug: str  # the middle of the responses' external ids: demo-<slug>-0001
    title: str
    kind: str
    touchpoint: str
    language: str
    persona: str
    count: int
    # Relative weights of each score (low to high) a year ago and today; interpolated in between.
    weights_then: tuple[int, ...]
    weights_now: tuple[int, ...]
    comments: dict[str, tuple[str, ...]]  # by mood: "neg", "neu", "pos"
    without_customer: float = 0.0  # share of respondents who are prospects, not customers
    # Days ago an action changed this touchpoint: the scores move from one profile to the other within a month
    # from then. Without it they drift over the whole year.
    changed_days_ago: int | None = None


_NPS_IMPLEMENTATION = (1, 0, 1, 1, 2, 3, 5, 10, 18, 30, 29)  # ≈ +46
_NPS_AFTER_SALES_THEN = (4, 3, 5, 6, 8, 10, 11, 13, 14, 14, 12)  # ≈ −21
_NPS_AFTER_SALES_NOW = (3, 2, 3, 4, 6, 9, 10, 14, 17, 17, 15)  # ≈ −5

_SURVEYS = [
    _SurveySpec(
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
    _SurveySpec(
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
    _SurveySpec(
        "nps-implementation",
        "NPS – Implementation",
        Question.Kind.NPS,
        "mj_installation",
        "de",
        HEAD_OF_PRODUCTION,
        260,
        _NPS_IMPLEMENTATION,
        _NPS_IMPLEMENTATION,
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
    _SurveySpec(
        "nps-after-sales",
        "NPS – After-sales service",
        Question.Kind.NPS,
        "mj_onsite_service",
        "de",
        HEAD_OF_PRODUCTION,
        520,
        _NPS_AFTER_SALES_THEN,
        _NPS_AFTER_SALES_NOW,
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
    _SurveySpec(
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
    _SurveySpec(
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
    _SurveySpec(
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
    ),
    _SurveySpec(
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
    ),
]

_EXTRA_QUESTIONS = {
    Question.Kind.CSAT: {
        "en": ("How satisfied were you with our service hotline?", "What could we do better?"),
        "de": ("Wie zufrieden waren Sie mit unserer Service-Hotline?", "Was können wir besser machen?"),
    },
    Question.Kind.CES: {
        "en": ("We made it easy for me to handle my service request.", "What made it easy or hard?"),
        "de": ("Sie haben es mir leicht gemacht, meine Serviceanfrage zu erledigen.", "Was war leicht, was schwer?"),
    },
}

# The highest score that counts as negative and as neutral, per question kind.
_MOOD_LIMITS = {Question.Kind.NPS: (6, 8), Question.Kind.CSAT: (2, 3), Question.Kind.CES: (3, 4)}
_COMMENT_RATE = {"neg": 0.45, "neu": 0.15, "pos": 0.25}


class _ActionSpec(NamedTuple):
    title: str
    department: str
    owner: str
    touchpoint: str
    kpi: str
    priority: str
    start_days: int  # relative to today
    due_days: int
    status: str
    progress: int
    description: str
    done_days: int | None = None


_ACTIONS = [
    _ActionSpec(
        "Call back every hotline request within 4 hours",
        "Customer Service",
        "service.member",
        "mj_hotline",
        "csat",
        Action.Priority.HIGH,
        -200,
        -90,
        Action.Status.DONE,
        100,
        "Callers waited up to 20 minutes while their line stood still. Every request now gets a ticket and a "
        "call back from a technician within 4 hours.",
        done_days=-HOTLINE_CALLBACK_DONE_DAYS_AGO,
    ),
    _ActionSpec(
        "Show technician arrival windows in the customer portal",
        "Customer Service",
        "service.member",
        "mj_service_request",
        "ces",
        Action.Priority.MEDIUM,
        -30,
        45,
        Action.Status.IN_PROGRESS,
        40,
        "The most frequent complaint about service requests: nobody knows when the technician will come.",
    ),
    _ActionSpec(
        "Stock the top-20 wear parts at the regional service hubs",
        "Customer Service",
        "service.lead",
        "mj_onsite_service",
        "nps",
        Action.Priority.CRITICAL,
        -14,
        60,
        Action.Status.OPEN,
        0,
        "Detractors of the after-sales NPS name waiting for spare parts as their main reason.",
    ),
    _ActionSpec(
        "Answer quote requests within one business day",
        "Sales",
        "sales.member",
        "mj_inquiry_email",
        "nps",
        Action.Priority.HIGH,
        -60,
        -10,
        Action.Status.IN_PROGRESS,
        70,
        "Prospects wait up to three days for a first answer; a shared inbox with a daily owner rota.",
    ),
    _ActionSpec(
        "Offer template with total cost of ownership and binding delivery date",
        "Sales",
        "sales.lead",
        "mj_offer",
        "nps",
        Action.Priority.MEDIUM,
        -20,
        30,
        Action.Status.IN_PROGRESS,
        50,
        "Purchasing compares prices; production managers need ten-year costs and a delivery date to argue.",
    ),
    _ActionSpec(
        "Staff the live chat with IT consultants from 8:00 to 18:00",
        "Sales",
        "sales.member",
        "it_chat",
        "nps",
        Action.Priority.MEDIUM,
        -150,
        -100,
        Action.Status.DONE,
        100,
        "IT leads want a competent answer in the first contact, not a chat bot.",
        done_days=-CHAT_STAFFED_DAYS_AGO,
    ),
    _ActionSpec(
        "Industry case studies with real output figures on the website",
        "Marketing",
        "marketing.lead",
        "mj_web_search",
        "nps",
        Action.Priority.MEDIUM,
        -7,
        75,
        Action.Status.OPEN,
        0,
        "Visitors look for output figures and references from their own industry and don't find them.",
    ),
    _ActionSpec(
        "Remote diagnostics for the sealing unit",
        "Product",
        "product.lead",
        "mj_hotline",
        "csat",
        Action.Priority.HIGH,
        -45,
        120,
        Action.Status.BLOCKED,
        20,
        "Half of the hotline calls concern the sealing unit. Blocked: customers' IT must approve the VPN access.",
    ),
    _ActionSpec(
        "Operator manuals and video tutorials in German",
        "Product",
        "product.lead",
        "mj_training",
        "nps",
        Action.Priority.LOW,
        -120,
        -30,
        Action.Status.DONE,
        100,
        "Implementation detractors missed German training material for their shift teams.",
        done_days=-35,
    ),
]

# Customers: who they are and where.
_SEGMENTS = [  # (segment, persona, weight)
    ("manufacturing", HEAD_OF_PRODUCTION, 58),
    ("mid_market", IT_LEAD, 32),
    ("contract_packaging", None, 10),
]
_REGIONS = [  # (region, weight, share of German-speaking contacts, legal forms, surnames or None for German)
    ("Baden-Württemberg", 16, 0.85, ("GmbH", "GmbH & Co. KG"), None),
    ("Bavaria", 14, 0.85, ("GmbH", "AG"), None),
    ("North Rhine-Westphalia", 14, 0.8, ("GmbH", "GmbH & Co. KG"), None),
    ("Lower Saxony", 7, 0.8, ("GmbH",), None),
    ("Hesse", 7, 0.8, ("GmbH", "AG"), None),
    ("Saxony", 5, 0.85, ("GmbH",), None),
    ("Austria", 8, 0.9, ("GmbH",), None),
    ("Switzerland", 7, 0.75, ("AG", "GmbH"), None),
    ("Netherlands", 6, 0.05, ("B.V.",), ("Van Dijk", "De Vries", "Bakker", "Visser", "Smit", "Mulder")),
    ("Poland", 5, 0.05, ("Sp. z o.o.",), ("Nowak", "Kowalski", "Wiśniewski", "Zieliński", "Kamiński")),
    ("Czech Republic", 4, 0.1, ("s.r.o.",), ("Novák", "Dvořák", "Svoboda", "Černý", "Procházka")),
    ("United Kingdom", 7, 0.0, ("Ltd",), ("Hughes", "Carter", "Whitfield", "Bennett", "Shaw", "Ellis")),
]
_GERMAN_SURNAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Bauer Richter Klein Wolf "
    "Schröder Neumann Schwarz Zimmermann Braun Hartmann Lange Krause Werner Lehmann Huber Kaiser Fuchs Peters "
    "Brandt Vogt Seidel Engel Sommer Haas Graf"
).split()
_TRADES = {  # segment: (German trades, English trades)
    "manufacturing": (
        ("Feinkost", "Backwaren", "Molkerei", "Pharma", "Kosmetik", "Süßwaren", "Tiernahrung", "Getränke"),
        ("Foods", "Bakeries", "Dairy", "Pharma", "Cosmetics", "Confectionery", "Pet Food", "Beverages"),
    ),
    "mid_market": (
        ("Großhandel", "Logistik", "Medizintechnik", "Elektrotechnik", "Versicherungsmakler", "Möbelwerke"),
        ("Wholesale", "Logistics", "Medical", "Electronics", "Insurance Brokers", "Furniture"),
    ),
    "contract_packaging": (("Lohnverpackung", "Co-Packing"), ("Contract Packing", "Co-Packing")),
}
_FIRST_NAMES = {
    "de": "Thomas Andreas Stefan Michael Sabine Katrin Julia Martin Anna Petra Frank Claudia Jan Lisa Markus".split(),
    "en": "James Sarah Pieter Anna Tomasz Eva Jakub Emma Daniel Sophie Marek Laura Oliver Hanna".split(),
}

_USER_MODEL = get_user_model()


_KINDS = (
    "users",
    "departments",
    "personas",
    "journey_maps",
    "stages",
    "touchpoints",
    "pain_points",
    "opportunities",
    "lane_cells",
    "customers",
    "surveys",
    "responses",
    "answers",
    "actions",
    "events",
    "transactions",
)


@transaction.atomic
def demo_load(*, seed: int = 7) -> dict[str, int]:
    """Load whatever part of the demo data set is missing; returns how many objects of each kind it created."""
    # Everything is drawn relative to the start of today (site time zone), not to this very second: a load
    # later the same day then draws the same random sequence and completes a partial data set exactly.
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    counts = dict.fromkeys(_KINDS, 0)
    users = _load_users(counts)
    departments = _load_departments(users, counts)
    personas = _load_personas(counts)
    touchpoints = _load_journey_maps(personas, users["cx.manager"], counts)
    _load_findings(touchpoints, users["cx.manager"], counts)
    touchpoints.update(_load_blueprint(personas, users["cx.manager"], counts))
    _load_customers(personas, seed, now, counts)
    surveys = _load_surveys(touchpoints, users["cx.manager"], counts)
    _load_responses(surveys, seed, now, counts)
    _load_actions(departments, users, touchpoints, counts)
    _load_events_and_revenue(seed, now, counts)
    return counts


def _load_users(counts) -> dict:
    existing = {u.username: u for u in _USER_MODEL.objects.filter(username__in=[p.username for p in _PEOPLE])}
    missing = [p for p in _PEOPLE if p.username not in existing]
    passwords = {username: password for username, password, _role in DEMO_LOGINS}
    # PBKDF2 takes ~0.4 s a password and releases the GIL: hash the new ones side by side.
    with ThreadPoolExecutor(max_workers=4) as pool:
        hashes = list(pool.map(make_password, [passwords[p.username] for p in missing]))
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (roles.CX_MANAGER, roles.DEPARTMENT_MEMBER)}
    for person, hashed in zip(missing, hashes, strict=True):
        user = _USER_MODEL(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{_ascii(person.first_name)}.{_ascii(person.last_name)}@{MAIL_DOMAIN}",
            password=hashed,
        )
        user.save()
        user.groups.add(groups[person.group])
        existing[person.username] = user
        counts["users"] += 1
    return existing


def _load_departments(users, counts) -> dict[str, Department]:
    existing = {d.name: d for d in Department.objects.filter(name__in=list(_DEPARTMENTS))}
    for name, (lead, members, contact_email) in _DEPARTMENTS.items():
        member_users = [users[m] for m in members]
        if name in existing:
            # A department someone created before the demo still gets the demo's members, so their actions
            # can be assigned to them; adding present members is a no-op.
            existing[name].members.add(*member_users)
            continue
        existing[name] = department_create(
            name=name, lead=users[lead], members=member_users, contact_email=contact_email
        )
        counts["departments"] += 1
    return existing


def _load_personas(counts) -> dict[str, Persona]:
    existing = {p.name: p for p in Persona.objects.filter(name__in=[p["name"] for p in _PERSONAS])}
    for spec in _PERSONAS:
        if spec["name"] not in existing:
            existing[spec["name"]] = persona_create(**spec)
            counts["personas"] += 1
    return existing


def _load_journey_maps(personas, owner, counts) -> dict[str, Touchpoint]:
    """Create the missing maps with their stages and touchpoints; returns every demo touchpoint by key."""
    touchpoints: dict[str, Touchpoint] = {}
    for map_name, (persona, goal, scope, stages) in _MAPS.items():
        journey_map = JourneyMap.objects.filter(name=map_name).order_by("id").first()
        if journey_map is not None:
            by_name = {
                (tp.stage.name, tp.name): tp
                for tp in Touchpoint.objects.filter(stage__journey_map=journey_map).select_related("stage")
            }
            for stage_name, _description, specs in stages:
                for spec in specs:
                    if (stage_name, spec.name) in by_name:
                        touchpoints[spec.key] = by_name[(stage_name, spec.name)]
            continue
        journey_map = journey_map_create(
            name=map_name,
            kind=JourneyMap.Kind.CURRENT_STATE,
            goal=goal,
            scope=scope,
            personas=[personas[persona]],
            owner=owner,
        )
        model_update(instance=journey_map, data={"status": JourneyMap.Status.FINAL}, fields=["status"])
        counts["journey_maps"] += 1
        for stage_name, description, specs in stages:
            stage = stage_create(journey_map=journey_map, name=stage_name, description=description)
            counts["stages"] += 1
            for spec in specs:
                touchpoints[spec.key] = touchpoint_create(
                    stage=stage,
                    name=spec.name,
                    channel=spec.channel,
                    customer_action=spec.customer_action,
                    thoughts=spec.thoughts,
                    emotion_score=spec.emotion_score,
                    is_moment_of_truth=spec.is_moment_of_truth,
                )
                counts["touchpoints"] += 1
    return touchpoints


# (touchpoint key, title, severity 1–5, description, evidence quote, source)
_PAIN_POINTS = [
    (
        "mj_web_search",
        "No real output figures on the product pages",
        3,
        "Data sheets give maximum speeds only; buyers cannot judge output for their own formats.",
        "Where are the real numbers for 250 g pouches?",
        "Sales debrief, 12 lost deals",
    ),
    (
        "mj_inquiry_email",
        "Three days until the first answer",
        4,
        "Inquiries land in a shared inbox without an owner; the first reply takes 3.2 working days on average.",
        "Three days without an answer — do they want our business?",
        "CRM analysis Q2",
    ),
    (
        "mj_first_call",
        "Customer repeats requirements to each contact",
        3,
        "The sales engineer does not see what the customer entered in the request form.",
        "Why do I have to repeat all of this on the phone?",
        "Customer interviews",
    ),
    (
        "mj_hotline",
        "Hotline queue over 10 minutes when a line stops",
        5,
        "At peak times production managers wait while their line is down.",
        "Every minute the line stands still costs us money.",
        "NPS verbatims, after-sales service",
    ),
    (
        "mj_onsite_service",
        "Technician arrives without the spare part",
        4,
        "One in four on-site visits needs a second trip because the part was not diagnosed remotely.",
        "He came, looked, and left to order the part.",
        "Service reports 2026",
    ),
    (
        "it_chat",
        "Live chat unstaffed in the afternoon",
        3,
        "IT leads research after their meetings; the chat shows 'offline' from 2 pm.",
        "I wanted a quick answer and got a contact form.",
        "Chat logs",
    ),
    (
        "it_proposal",
        "Proposal hides the day rates",
        2,
        "Proposals show a total only; IT leads cannot compare with other vendors.",
        "I need the day rates for our purchasing department.",
        "Lost-deal interviews",
    ),
]
# (touchpoint key, title, impact 1–5, effort 1–5, description)
_OPPORTUNITIES = [
    (
        "mj_web_search",
        "Output calculator for the customer's own formats",
        4,
        3,
        "Let buyers enter film, format and speed and get a realistic output figure with a PDF to share.",
    ),
    (
        "mj_inquiry_email",
        "Answer every inquiry within 4 hours",
        5,
        2,
        "Route inquiries by region to a named sales engineer; measure time to first answer.",
    ),
    (
        "mj_hotline",
        "Call-back promise within 30 minutes",
        4,
        2,
        "Offer a call-back instead of the queue, with the machine's history on screen.",
    ),
    (
        "mj_onsite_service",
        "Remote diagnosis before dispatch",
        5,
        4,
        "Read the machine's fault log remotely so the technician brings the right part.",
    ),
    ("it_chat", "Staff the chat until 6 pm", 3, 1, "Share chat duty between two consultants in the afternoon."),
]
# (stage name, note)
_NOTES = {
    MACHINE_MAP: [
        ("Evaluation", "Purchasing, maintenance and finance decide together — give the champion material for each."),
        ("After-sales service", "This is where the next purchase is decided (moment of truth for re-buy)."),
    ],
    CONSULTING_MAP: [("Selection", "Competence, cost — and sympathy: the video call matters more than the deck.")],
}

BLUEPRINT_MAP = "After-sales service blueprint (machine breakdown)"
# stage: (touchpoint (name, channel, emotion, action), frontstage, backstage, support)
_BLUEPRINT = [
    (
        "Breakdown reported",
        ("Service hotline call", "phone", -2, "Calls the hotline while the line is down."),
        "Hotline agent takes the fault description and machine number.",
        "Ticket created; machine history pulled from the installed-base database.",
        "Ticket system · installed-base database",
    ),
    (
        "Remote diagnosis",
        (
            "Remote session with the service engineer",
            "support",
            -1,
            "Lets the engineer connect to the machine's control.",
        ),
        "Engineer explains what the fault log shows and the next steps.",
        "Engineer reads the fault log, identifies the part, checks stock.",
        "Remote-access gateway · spare-parts stock",
    ),
    (
        "On-site repair",
        ("Technician visit", "support", 1, "Meets the technician at the line."),
        "Technician repairs, tests the line with the customer's product.",
        "Dispatcher plans the route; warehouse ships the part overnight.",
        "Field-service planning · logistics partner",
    ),
    (
        "Follow-up",
        ("Service report and survey", "email", 1, "Receives the report and a short CSAT survey."),
        "Report e-mailed within 24 hours with root cause and prevention tips.",
        "Service lead reviews repeat failures; product team gets the root cause.",
        "Reporting · quality database",
    ),
]


def _load_findings(touchpoints, owner, counts) -> None:
    """Pain points, opportunities and notes on the two demo maps, unless the map has some already."""
    for key, title, severity, description, evidence, source in _PAIN_POINTS:
        tp = touchpoints.get(key)
        if tp is None or tp.pain_points.filter(title=title).exists():
            continue
        pain_point_create(
            journey_map=tp.stage.journey_map,
            touchpoint=tp,
            title=title,
            severity=severity,
            description=description,
            evidence=evidence,
            source=source,
            by=owner,
        )
        counts["pain_points"] += 1
    for key, title, impact, effort, description in _OPPORTUNITIES:
        tp = touchpoints.get(key)
        if tp is None or tp.opportunities.filter(title=title).exists():
            continue
        opportunity_create(
            journey_map=tp.stage.journey_map,
            touchpoint=tp,
            title=title,
            impact=impact,
            effort=effort,
            description=description,
            by=owner,
        )
        counts["opportunities"] += 1
    for map_name, notes in _NOTES.items():
        journey_map = JourneyMap.objects.filter(name=map_name).first()
        lane = journey_map and journey_map.lanes.filter(kind=Lane.Kind.NOTES).first()
        if lane is None:
            continue
        stages = {st.name: st for st in journey_map.stages.all()}
        for stage_name, text in notes:
            if stage_name in stages and not lane.cells.filter(stage=stages[stage_name]).exists():
                cell_set(lane=lane, stage=stages[stage_name], text=text, by=owner)
                counts["lane_cells"] += 1


def _load_blueprint(personas, owner, counts) -> dict[str, Touchpoint]:
    """A service blueprint of the after-sales breakdown: frontstage above, backstage below the line."""
    if JourneyMap.objects.filter(name=BLUEPRINT_MAP).exists():
        return {}
    journey_map = journey_map_create(
        name=BLUEPRINT_MAP,
        kind=JourneyMap.Kind.SERVICE_BLUEPRINT,
        goal="Show what happens behind the hotline when a customer's line stops, and where time is lost.",
        scope="After-sales service for FlowPack machines",
        personas=[personas[HEAD_OF_PRODUCTION]],
        owner=owner,
        review_cadence_days=90,
    )
    counts["journey_maps"] += 1
    lanes = {lane.kind: lane for lane in journey_map.lanes.all()}
    created = {}
    for position, (stage_name, (tp_name, channel, emotion, action), front, back, support) in enumerate(_BLUEPRINT):
        stage = stage_create(journey_map=journey_map, name=stage_name)
        counts["stages"] += 1
        created[f"bp_{position}"] = touchpoint_create(
            stage=stage,
            name=tp_name,
            channel=channel,
            emotion_score=emotion,
            customer_action=action,
            is_moment_of_truth=position == 0,
        )
        counts["touchpoints"] += 1
        for kind, text in ((Lane.Kind.FRONTSTAGE, front), (Lane.Kind.BACKSTAGE, back), (Lane.Kind.SUPPORT, support)):
            cell_set(lane=lanes[kind], stage=stage, text=text, by=owner)
            counts["lane_cells"] += 1
    return created


def _ascii(text: str) -> str:
    text = text.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}))
    return slugify(unicodedata.normalize("NFKD", text))


def _load_customers(personas, seed, now, counts) -> None:
    rng = random.Random(f"{seed}:customers")  # noqa: S311 -- demo data, not secrets
    existing = set(Customer.objects.filter(external_id__startswith="CUST-").values_list("external_id", flat=True))
    used_names: set[str] = set()
    rows = []
    for n in range(1, CUSTOMER_COUNT + 1):
        segment, persona, _ = rng.choices(_SEGMENTS, weights=[s[2] for s in _SEGMENTS])[0]
        region, _, german_share, legal_forms, surnames = rng.choices(_REGIONS, weights=[r[1] for r in _REGIONS])[0]
        language = "de" if rng.random() < german_share else "en"
        german = surnames is None
        trades = _TRADES[segment][0 if german else 1]
        for _attempt in range(10):
            stem = f"{rng.choice(surnames or _GERMAN_SURNAMES)} {rng.choice(trades)}"
            name = f"{stem} {rng.choice(legal_forms)}"
            if name not in used_names:
                break
        used_names.add(name)
        contact_first = rng.choice(_FIRST_NAMES["de" if german else "en"])
        contact_last = rng.choice(surnames or _GERMAN_SURNAMES)
        acquired_at = now - timedelta(days=rng.uniform(7, 3 * 365))
        churned_at = unsubscribed_at = None
        if rng.random() < 0.10:
            churned_at = acquired_at + (now - acquired_at) * rng.uniform(0.2, 1.0)
        if rng.random() < 0.03:
            unsubscribed_at = acquired_at + (now - acquired_at) * rng.uniform(0.1, 1.0)
        do_not_contact = rng.random() < 0.02
        external_id = f"CUST-{n:04d}"
        if external_id in existing:
            continue
        rows.append(
            Customer(
                external_id=external_id,
                name=name,
                email=f"{_ascii(contact_first)}.{_ascii(contact_last)}@{_ascii(stem)}.example",
                language=language,
                persona=personas[persona] if persona else None,
                attributes={"segment": segment, "region": region},
                acquired_at=acquired_at,
                churned_at=churned_at,
                unsubscribed_at=unsubscribed_at,
                do_not_contact=do_not_contact,
            )
        )
    Customer.objects.bulk_create(rows, batch_size=500)
    counts["customers"] += len(rows)


def _load_surveys(touchpoints, created_by, counts) -> dict[str, Survey]:
    surveys = {}
    for spec in _SURVEYS:
        survey = Survey.objects.filter(title=spec.title).order_by("id").first()
        if survey is None:
            touchpoint = touchpoints.get(spec.touchpoint)
            if spec.kind == Question.Kind.NPS:
                survey = survey_create_nps(
                    title=spec.title, touchpoint=touchpoint, language=spec.language, created_by=created_by
                )
            else:
                score_text, reason_text = _EXTRA_QUESTIONS[spec.kind][spec.language]
                survey = survey_create(
                    title=spec.title,
                    touchpoint=touchpoint,
                    language=spec.language,
                    created_by=created_by,
                    questions=[
                        {"kind": spec.kind, "text": score_text},
                        {"kind": Question.Kind.LONG_TEXT, "text": reason_text, "required": False},
                    ],
                )
            counts["surveys"] += 1
        surveys[spec.slug] = survey
    return surveys


def _business_moment(rng: random.Random, now: datetime, span: timedelta) -> datetime:
    """A moment in (now − span, now], mostly on weekdays during office hours in the site's time zone."""
    tz = timezone.get_current_timezone()
    while True:
        moment = now - span * rng.random()
        local = moment.astimezone(tz)
        if local.weekday() >= 5 and rng.random() < 0.85:
            continue
        if not 7 <= local.hour < 19 and rng.random() < 0.9:
            continue
        return moment


def _profile_shift(spec: _SurveySpec, *, days_ago: float) -> float:
    """How far a response that many days old has moved from the old score profile (0) to today's (1)."""
    if spec.changed_days_ago is None:
        return 1 - days_ago / 365
    return min(max((spec.changed_days_ago - days_ago) / 30, 0.0), 1.0)


def _pick_customer(rng: random.Random, pool: list[dict], at: datetime) -> int | None:
    """A customer of the pool who was a customer at that moment (a few tries; else an unknown respondent)."""
    for _attempt in range(8):
        candidate = rng.choice(pool)
        acquired_at, churned_at = candidate["acquired_at"], candidate["churned_at"]
        if (acquired_at is None or acquired_at <= at) and (churned_at is None or churned_at >= at):
            return candidate["id"]
    return None


def _load_responses(surveys, seed, now, counts) -> None:
    """A year of responses to each demo survey, ending now; their scores drift from one profile to another."""
    existing = set(
        Response.objects.filter(external_id__startswith=RESPONSE_PREFIX).values_list("external_id", flat=True)
    )
    customers = list(
        Customer.objects.filter(external_id__startswith="CUST-").values(
            "id", "language", "acquired_at", "churned_at", "persona__name"
        )
    )
    year = timedelta(days=365)
    responses: list[Response] = []
    answers: dict[str, list[tuple[int, int | None, str]]] = {}
    for spec in _SURVEYS:
        survey = surveys[spec.slug]
        questions = list(survey.questions.all())
        score_q = next((q for q in questions if q.kind == spec.kind), None)
        text_q = next((q for q in questions if q.kind in Question.TEXT), None)
        if score_q is None:  # someone rebuilt the survey; leave it alone
            continue
        low, high = score_q.scale
        negative, neutral = _MOOD_LIMITS[spec.kind]
        persona_pool = [c for c in customers if c["persona__name"] == spec.persona]
        pool = [c for c in persona_pool if c["language"] == spec.language] or persona_pool
        rng = random.Random(f"{seed}:{spec.slug}")  # noqa: S311 -- demo data, not secrets
        for n in range(1, spec.count + 1):
            # Draw everything first, so the sequence is the same whether or not this response exists already.
            submitted_at = _business_moment(rng, now, year)
            shift = _profile_shift(spec, days_ago=(now - submitted_at) / timedelta(days=1))
            weights = [a + (b - a) * shift for a, b in zip(spec.weights_then, spec.weights_now, strict=True)]
            value = rng.choices(range(low, high + 1), weights=weights)[0]
            customer_id = None
            if pool and rng.random() >= spec.without_customer:
                customer_id = _pick_customer(rng, pool, submitted_at)
            mood = "neg" if value <= negative else "neu" if value <= neutral else "pos"
            comment = rng.choice(spec.comments[mood]) if rng.random() < _COMMENT_RATE[mood] else ""
            external_id = f"{RESPONSE_PREFIX}{spec.slug}-{n:04d}"
            if external_id in existing:
                continue
            responses.append(
                Response(
                    survey=survey,
                    customer_id=None if survey.anonymous else customer_id,
                    touchpoint_id=survey.touchpoint_id,
                    external_id=external_id,
                    source=Response.Source.IMPORT,
                    language=survey.language,
                    submitted_at=submitted_at,
                )
            )
            answers[external_id] = [(score_q.id, value, "")]
            if comment and text_q is not None:
                answers[external_id].append((text_q.id, None, comment))
    if not responses:
        return
    Response.objects.bulk_create(responses, batch_size=500)
    # Fetch the new ids by external id: not every database returns them from a bulk insert.
    ids = dict(Response.objects.filter(external_id__startswith=RESPONSE_PREFIX).values_list("external_id", "id"))
    rows = [
        Answer(response_id=ids[external_id], question_id=question_id, value=value, text=text)
        for external_id, items in answers.items()
        for question_id, value, text in items
    ]
    Answer.objects.bulk_create(rows, batch_size=1000)
    counts["responses"] += len(responses)
    counts["answers"] += len(rows)


def _local_datetime(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(16, 0)))


def _load_actions(departments, users, touchpoints, counts) -> None:
    today = timezone.localdate()
    existing = set(Action.objects.filter(title__in=[a.title for a in _ACTIONS]).values_list("title", flat=True))
    for spec in _ACTIONS:
        if spec.title in existing:
            continue
        action = action_create(
            title=spec.title,
            department=departments[spec.department],
            due_date=today + timedelta(days=spec.due_days),
            start_date=today + timedelta(days=spec.start_days),
            by=None,
            owner=users[spec.owner],
            description=spec.description,
            touchpoint=touchpoints.get(spec.touchpoint),
            kpi=spec.kpi,
            # The demo names a priority; actions derive theirs from impact and effort.
            impact=Action.PRIORITY_IMPACT_EFFORT[spec.priority][0],
            effort=Action.PRIORITY_IMPACT_EFFORT[spec.priority][1],
        )
        if spec.status in (Action.Status.OPEN, Action.Status.IN_PROGRESS) and spec.due_days > spec.start_days + 1:
            halfway = today + timedelta(days=(spec.start_days + spec.due_days) // 2)
            milestone_create(action=action, title="Halfway review with the department lead", due_date=halfway, by=None)
        if spec.status != Action.Status.OPEN:
            action = action_update(action=action, data={"status": spec.status, "progress": spec.progress}, by=None)
        if spec.done_days is not None:
            # History: the action was finished back then, so its before/after effect has data on both sides.
            Action.objects.filter(pk=action.pk).update(done_at=_local_datetime(today + timedelta(days=spec.done_days)))
        counts["actions"] += 1
    _assign_touchpoint_owners(departments, touchpoints)


def _assign_touchpoint_owners(departments, touchpoints) -> None:
    """The department of a touchpoint's first demo action owns it; an owner someone set already is kept."""
    wanted: dict[int, Department] = {}
    for spec in _ACTIONS:
        touchpoint = touchpoints.get(spec.touchpoint)
        if touchpoint is not None:
            wanted.setdefault(touchpoint.pk, departments[spec.department])
    owned = set(TouchpointOwnership.objects.filter(touchpoint_id__in=wanted).values_list("touchpoint_id", flat=True))
    TouchpointOwnership.objects.bulk_create(
        [TouchpointOwnership(touchpoint_id=pk, department=dep) for pk, dep in wanted.items() if pk not in owned]
    )


def _load_events_and_revenue(seed, now, counts) -> None:
    """A year of visits and conversions on the website touchpoints, and monthly revenue per active customer.

    External ids are derived from the touchpoint and local day (events) or customer and month (revenue), so
    a second run on the same day adds nothing.
    """
    rng = random.Random(f"{seed}:events")  # noqa: S311 -- demo data, not secrets
    today = timezone.localdate(now)
    existing = set(
        TouchpointEvent.objects.filter(external_id__startswith="demo-ev-").values_list("external_id", flat=True)
    )
    events = []
    for touchpoint in Touchpoint.objects.filter(channel=Channel.WEBSITE).order_by("pk"):
        rate = rng.uniform(0.05, 0.3)
        for days_ago in range(365, 0, -1):
            day = today - timedelta(days=days_ago)
            visits = rng.randint(2, 8)
            conversions = sum(rng.random() < rate for _ in range(visits))
            for i in range(visits + conversions):
                # Draw before the existence check, so a second run sees the same random sequence.
                hours = rng.randint(-8, 5)
                external_id = f"demo-ev-{touchpoint.pk}-{day:%Y%m%d}-{i}"
                if external_id in existing:
                    continue
                events.append(
                    TouchpointEvent(
                        external_id=external_id,
                        touchpoint=touchpoint,
                        kind=TouchpointEvent.Kind.VISIT if i < visits else TouchpointEvent.Kind.CONVERSION,
                        occurred_at=_local_datetime(day) + timedelta(hours=hours),
                    )
                )
    TouchpointEvent.objects.bulk_create(events, batch_size=1000)
    counts["events"] += len(events)

    existing = set(Transaction.objects.filter(external_id__startswith="demo-tx-").values_list("external_id", flat=True))
    first_month = (today - timedelta(days=365)).replace(day=1)
    transactions = []
    customers = Customer.objects.filter(external_id__startswith="CUST-", acquired_at__isnull=False).order_by("pk")
    for customer in customers.only("pk", "external_id", "acquired_at", "churned_at"):
        monthly = rng.randint(40, 400)
        month = first_month
        while month <= today:
            when = _local_datetime(month) + timedelta(days=rng.randint(0, 20), hours=-6)
            factor = Decimal(rng.uniform(0.7, 1.3)).quantize(Decimal("0.01"))
            active = customer.acquired_at <= when and (customer.churned_at is None or when < customer.churned_at)
            external_id = f"demo-tx-{customer.external_id}-{month:%Y%m}"
            if active and when < now and external_id not in existing:
                amount = Decimal(monthly) * factor
                transactions.append(
                    Transaction(
                        external_id=external_id,
                        customer=customer,
                        amount=amount.quantize(Decimal("0.01")),
                        occurred_at=when,
                    )
                )
            month = (month + timedelta(days=32)).replace(day=1)
    Transaction.objects.bulk_create(transactions, batch_size=1000)
    counts["transactions"] += len(transactions)

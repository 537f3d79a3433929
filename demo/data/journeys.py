"""The demo's journey maps: the two B2B maps, what the team found on them, and a service blueprint."""

from demo.data.consulting_map import CONSULTING, CONSULTING_MAP, CONSULTING_TYPES
from demo.data.machine_map import MACHINE, MACHINE_MAP, MACHINE_TYPES

# name: (persona, goal, scope, [(stage, description, [touchpoints])])
MAPS = {MACHINE_MAP: MACHINE, CONSULTING_MAP: CONSULTING}
# touchpoint key: (direct, two-way, digital)
TOUCHPOINT_TYPES = {**MACHINE_TYPES, **CONSULTING_TYPES}

# (touchpoint key, title, severity 1–5, description, evidence quote, source)
PAIN_POINTS = [
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
OPPORTUNITIES = [
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
NOTES = {
    MACHINE_MAP: [
        ("Evaluation", "Purchasing, maintenance and finance decide together — give the champion material for each."),
        ("After-sales service", "This is where the next purchase is decided (moment of truth for re-buy)."),
    ],
    CONSULTING_MAP: [("Selection", "Competence, cost — and sympathy: the video call matters more than the deck.")],
}

BLUEPRINT_MAP = "After-sales service blueprint (machine breakdown)"
BLUEPRINT_GOAL = "Show what happens behind the hotline when a customer's line stops, and where time is lost."
BLUEPRINT_SCOPE = "After-sales service for FlowPack machines"
# stage: (touchpoint (name, channel, emotion, action), frontstage, backstage, support)
BLUEPRINT = [
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


# (direct, two-way, digital) of the blueprint's touchpoints, stage by stage: the report cannot be answered.
BLUEPRINT_TYPES = [(True, True, False), (True, True, True), (True, True, False), (True, False, True)]

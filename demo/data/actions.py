"""The demo's action plans: what the departments are working on, and two actions that already worked."""

from actionplans.models import Action
from demo.data.specs import ActionSpec

# Two actions that worked: the KPIs of their touchpoints improve from the day they were done.
HOTLINE_CALLBACK_DONE_DAYS_AGO = 110
CHAT_STAFFED_DAYS_AGO = 105
GERMAN_MANUALS_DONE_DAYS_AGO = 35

# The milestone halfway through every open action that runs longer than a day.
MILESTONE_TITLE = "Halfway review with the department lead"

ACTIONS = [
    ActionSpec(
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
    ActionSpec(
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
    ActionSpec(
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
    ActionSpec(
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
    ActionSpec(
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
    ActionSpec(
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
    ActionSpec(
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
    ActionSpec(
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
    ActionSpec(
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
        done_days=-GERMAN_MANUALS_DONE_DAYS_AGO,
    ),
]


# Moments of truth without an action of their own, and the department a CX team would route their detractors
# to (the closed loop needs a receiving department). After the contract, customer care is Customer Service's.
FOLLOW_UP_OWNERS = {
    "mj_comparison": "Sales",
    "mj_negotiation": "Sales",
    "mj_installation": "Customer Service",
    "it_final_meeting": "Sales",
    "it_asis_workshop": "Customer Service",
    "bp_0": "Customer Service",
}

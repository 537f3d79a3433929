"""Map 1: a production manager buys an industrial packaging machine (the B2B purchase journey)."""

from demo.data.people import HEAD_OF_PRODUCTION
from demo.data.specs import Tp

MACHINE_MAP = "Buying an industrial packaging machine"

# (persona, goal, scope, [(stage, description, [touchpoints])])
MACHINE = (
    HEAD_OF_PRODUCTION,
    "See where production managers lose trust between the first search and the first service call, "
    "and fix the after-sales experience that decides whether they buy their next line from us.",
    "FlowPack packaging machines (B2B, direct sales)",
    [
        (
            "Need recognition",
            "The current machine can't keep up: more formats, more output, more downtime.",
            [
                Tp(
                    "mj_trade_article",
                    "Trade article on packaging-line efficiency",
                    "press",
                    "Reads an article on OEE and format changeovers in a packaging trade magazine.",
                    "Our changeovers take three times as long — is that normal?",
                    -1,
                ),
                Tp(
                    "mj_service_hint",
                    "Service technician's hint on machine age",
                    "support",
                    "Hears from our technician during a repair that spare parts for the old machine run out.",
                    "If that machine stops for a week, we miss our delivery dates.",
                    -2,
                ),
                Tp(
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
                Tp(
                    "mj_web_search",
                    "Website information search",
                    "website",
                    "Browses product pages and data sheets, downloads a brochure.",
                    "Which machine fits our film and formats? Where are the real output figures?",
                    0,
                ),
                Tp(
                    "mj_trade_fair",
                    "Trade fair stand (interpack)",
                    "event",
                    "Sees the machine running at the stand and talks to an application engineer.",
                    "Seeing it run with a product like ours is convincing.",
                    2,
                ),
                Tp(
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
                Tp(
                    "mj_quote_form",
                    "Catalogue and quote request form",
                    "website",
                    "Enters line speed, formats and product details in the request form.",
                    "Why do I have to repeat all of this on the phone afterwards?",
                    -1,
                ),
                Tp(
                    "mj_inquiry_email",
                    "Inquiry e-mail to sales",
                    "email",
                    "Sends detailed questions to the sales address and waits for an answer.",
                    "Three days without an answer — do they want our business?",
                    -2,
                ),
                Tp(
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
                Tp(
                    "mj_offer",
                    "Tailored offer",
                    "sales_rep",
                    "Receives a quote with layout, output guarantee and options.",
                    "Clear and well structured — but what does it cost over ten years?",
                    1,
                    True,
                ),
                Tp(
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
                Tp(
                    "mj_comparison",
                    "Offer comparison meeting",
                    "sales_rep",
                    "Presents the offers to purchasing, maintenance and finance and answers their questions.",
                    "Purchasing only looks at the price; I need arguments about uptime.",
                    -1,
                    True,
                ),
                Tp(
                    "mj_reference_visit",
                    "Reference visit at an existing customer",
                    "referral",
                    "Visits a customer running the same machine and talks to their shift lead.",
                    "If it runs like this for them, it will run for us.",
                    2,
                ),
                Tp(
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
                Tp(
                    "mj_negotiation",
                    "Price and delivery-time negotiation",
                    "sales_rep",
                    "Negotiates price, payment terms and a binding delivery date.",
                    "Sixteen weeks is too long — our peak season starts in twelve.",
                    -2,
                    True,
                ),
                Tp(
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
                Tp(
                    "mj_order_confirmation",
                    "Order confirmation",
                    "email",
                    "Receives the order confirmation with the delivery schedule.",
                    "Relief — now the dates have to hold.",
                    1,
                ),
                Tp(
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
                Tp(
                    "mj_installation",
                    "Installation and commissioning",
                    "support",
                    "Our technicians install the machine and run the acceptance test with real product.",
                    "It ran at full speed within two days.",
                    2,
                    True,
                ),
                Tp(
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
                Tp(
                    "mj_hotline",
                    "Service hotline",
                    "phone",
                    "Calls the hotline when the sealing unit fails.",
                    "Waiting in the queue while the line stands still.",
                    -2,
                    True,
                ),
                Tp(
                    "mj_service_request",
                    "Service request in the customer portal",
                    "website",
                    "Opens a service request and orders spare parts online.",
                    "When will the technician come? I can't see it anywhere.",
                    -1,
                ),
                Tp(
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
)

# How each touchpoint reaches the customer: (direct: we shape it, two-way: the customer can reply, digital).
# A trade article is written by the magazine, a newsletter cannot be answered, a trade fair stand is physical.
MACHINE_TYPES = {
    "mj_trade_article": (False, False, False),
    "mj_service_hint": (True, True, False),
    "mj_newsletter": (True, False, True),
    "mj_web_search": (True, False, True),
    "mj_trade_fair": (True, True, False),
    "mj_case_study": (True, False, False),
    "mj_quote_form": (True, True, True),
    "mj_inquiry_email": (True, True, True),
    "mj_first_call": (True, True, False),
    "mj_offer": (True, True, False),
    "mj_tech_call": (True, True, False),
    "mj_comparison": (True, True, False),
    "mj_reference_visit": (False, True, False),
    "mj_followup_questions": (True, True, True),
    "mj_negotiation": (True, True, False),
    "mj_maintenance_contract": (True, True, True),
    "mj_order_confirmation": (True, False, True),
    "mj_kickoff_call": (True, True, False),
    "mj_installation": (True, True, False),
    "mj_training": (True, True, False),
    "mj_hotline": (True, True, False),
    "mj_service_request": (True, True, True),
    "mj_onsite_service": (True, True, False),
}

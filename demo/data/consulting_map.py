"""Map 2: an IT lead books an IT modernisation consulting engagement (the B2B consulting journey)."""

from demo.data.people import IT_LEAD
from demo.data.specs import Tp

CONSULTING_MAP = "Booking an IT consulting engagement"

# (persona, goal, scope, [(stage, description, [touchpoints])])
CONSULTING = (
    IT_LEAD,
    "Find out where IT leads of mid-sized companies drop out before the first project, and why projects "
    "rarely grow into follow-up work.",
    "Kessler Digital: IT modernisation consulting",
    [
        (
            "Problem recognition",
            "Management sends the IT lead because outdated systems slow the business down.",
            [
                Tp(
                    "it_blog",
                    "Blog article on legacy modernisation",
                    "website",
                    "Finds our article 'Five signs your ERP is holding you back' through a search engine.",
                    "Signs three and four — that's us.",
                    0,
                ),
                Tp(
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
                Tp(
                    "it_whitepaper",
                    "White papers and success stories",
                    "website",
                    "Downloads a white paper and reads two success stories from similar companies.",
                    "Useful, but do they know our industry?",
                    1,
                ),
                Tp(
                    "it_linkedin",
                    "LinkedIn posts and comments",
                    "social_media",
                    "Reads our consultants' posts and the discussion below them.",
                    "The comments show real project experience.",
                    1,
                ),
                Tp(
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
                Tp(
                    "it_contact_email",
                    "Contact e-mail",
                    "email",
                    "Describes the situation in an e-mail to three consultancies.",
                    "Who answers first — and who actually read my e-mail?",
                    0,
                ),
                Tp(
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
                Tp(
                    "it_video_presentation",
                    "Video-call presentation",
                    "sales_rep",
                    "Watches our approach and a demo of a similar project in a video call.",
                    "Too many slides about the company, too few about our problem.",
                    -1,
                ),
                Tp(
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
                Tp(
                    "it_reference_call",
                    "Reference call",
                    "referral",
                    "Calls a reference customer we named.",
                    "They were honest about what went wrong and how it was fixed.",
                    1,
                ),
                Tp(
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
                Tp(
                    "it_asis_workshop",
                    "As-is analysis workshop",
                    "support",
                    "Maps systems and pain points in a two-day workshop with our consultants.",
                    "For the first time everything is on one wall.",
                    2,
                    True,
                ),
                Tp(
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
                Tp(
                    "it_evaluation",
                    "Project evaluation meeting",
                    "support",
                    "Reviews the results against the goals with management.",
                    "Most goals met; the data migration took longer than planned.",
                    1,
                ),
                Tp(
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
)

# (direct, two-way, digital), as for the machine map: a peer's recommendation is not ours to shape.
CONSULTING_TYPES = {
    "it_blog": (True, False, True),
    "it_webinar_invite": (True, False, True),
    "it_whitepaper": (True, False, True),
    "it_linkedin": (True, True, True),
    "it_recommendation": (False, True, False),
    "it_contact_email": (True, True, True),
    "it_chat": (True, True, True),
    "it_video_presentation": (True, True, True),
    "it_proposal": (True, False, True),
    "it_reference_call": (False, True, False),
    "it_final_meeting": (True, True, False),
    "it_asis_workshop": (True, True, False),
    "it_strategy": (True, True, False),
    "it_evaluation": (True, True, False),
    "it_followup_offer": (True, False, True),
}

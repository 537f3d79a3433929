"""Stage surveys of the consulting map: short CSAT/CES/NPS pulses after the touchpoints the team can reach.

The story they tell: webinar, white papers and project start work; the presentation (slides about ourselves),
the proposal (no day rates) and the end of the project (late migration, a follow-up offer that feels like
upselling) are where IT leads hesitate. Blog readers, LinkedIn readers and peers' recommendations are not
surveyed.
"""

from demo.data.people import IT_LEAD
from demo.data.scores import (
    CES_HARD,
    CES_OK,
    CSAT_GOOD,
    CSAT_LOW,
    CSAT_MIXED,
    NPS_GOOD,
    NPS_MIXED,
    NPS_STRONG,
)
from demo.data.specs import SurveySpec
from surveys.models import Question

CSAT, CES, NPS = Question.Kind.CSAT, Question.Kind.CES, Question.Kind.NPS

CONSULTING_SURVEYS = [
    SurveySpec(
        "csat-webinar",
        "CSAT – Cloud migration webinar",
        CSAT,
        "it_webinar_invite",
        "en",
        IT_LEAD,
        110,
        CSAT_GOOD,
        CSAT_GOOD,
        {
            "neg": ("Too much product pitch in the second half.",),
            "neu": ("A solid overview; nothing new for us.",),
            "pos": ("Concrete examples from mid-sized companies — exactly what I needed.",),
        },
        without_customer=0.6,
        question="How satisfied were you with our webinar on cloud migration?",
    ),
    SurveySpec(
        "csat-white-paper",
        "CSAT – White papers and success stories",
        CSAT,
        "it_whitepaper",
        "en",
        IT_LEAD,
        90,
        CSAT_GOOD,
        CSAT_GOOD,
        {
            "neg": ("Generic — could be about any industry.",),
            "neu": ("Useful, but do they know wholesale?",),
            "pos": ("The success story read like our own situation.",),
        },
        without_customer=0.7,
        question="How useful was the white paper you downloaded?",
    ),
    SurveySpec(
        "ces-it-contact",
        "CES – First contact by e-mail",
        CES,
        "it_contact_email",
        "de",
        IT_LEAD,
        95,
        CES_OK,
        CES_OK,
        {
            "neg": ("Automatische Antwort, danach eine Woche nichts.",),
            "neu": ("Die Antwort kam, aber ich musste unsere Systeme noch einmal beschreiben.",),
            "pos": ("Rückruf am selben Tag – und er hatte meine E-Mail gelesen.",),
        },
        without_customer=0.6,
        question="Es war einfach, mit Kessler Digital in Kontakt zu kommen.",
        reason="Was war leicht, was schwer?",
    ),
    SurveySpec(
        "csat-it-presentation",
        "CSAT – Video-call presentation",
        CSAT,
        "it_video_presentation",
        "en",
        IT_LEAD,
        100,
        CSAT_LOW,
        CSAT_LOW,
        {
            "neg": (
                "Twenty slides about the company before a word about our problem.",
                "The demo project had nothing to do with our ERP.",
            ),
            "neu": ("A competent team, but too much sales talk.",),
            "pos": ("They had clearly prepared for our system landscape.",),
        },
        without_customer=0.5,
        question="How satisfied were you with our presentation?",
    ),
    SurveySpec(
        "ces-it-proposal",
        "CES – Proposal",
        CES,
        "it_proposal",
        "en",
        IT_LEAD,
        90,
        CES_HARD,
        CES_HARD,
        {
            "neg": (
                "No day rates — our purchasing department sent it back.",
                "The budget range is too wide to take to management.",
            ),
            "neu": ("Clear phases, unclear costs.",),
            "pos": ("Phases, team and budget on two pages.",),
        },
        without_customer=0.4,
        question="It was easy to compare your proposal with other offers.",
        reason="What made it easy or hard?",
    ),
    SurveySpec(
        "nps-it-selection",
        "NPS – IT consulting selection",
        NPS,
        "it_final_meeting",
        "de",
        IT_LEAD,
        100,
        NPS_GOOD,
        NPS_STRONG,
        {
            "neg": ("Die Geschäftsführung hatte zu wenig Zeit mit dem Berater.",),
            "neu": ("Gutes Gespräch, aber teurer als der Wettbewerb.",),
            "pos": ("Die Chemie hat gestimmt – auch mit der Geschäftsführung.", "Ehrlich zu Risiken, das überzeugt."),
        },
        without_customer=0.3,
    ),
    SurveySpec(
        "csat-it-strategy",
        "CSAT – Goals and strategy session",
        CSAT,
        "it_strategy",
        "en",
        IT_LEAD,
        90,
        CSAT_GOOD,
        CSAT_GOOD,
        {
            "neg": ("The roadmap ignores that our departments are short of time.",),
            "neu": ("An ambitious plan; we'll see.",),
            "pos": ("Priorities everyone in management could agree on.",),
        },
        question="How satisfied were you with the goals and strategy session?",
    ),
    SurveySpec(
        "nps-it-completion",
        "NPS – IT consulting project completion",
        NPS,
        "it_evaluation",
        "de",
        IT_LEAD,
        95,
        NPS_MIXED,
        NPS_MIXED,
        {
            "neg": (
                "Die Datenmigration hat zwei Monate länger gedauert.",
                "Am Ende fehlte die Dokumentation für unser Team.",
            ),
            "neu": ("Ziele größtenteils erreicht, den Zeitplan nicht.",),
            "pos": ("Das neue System läuft, und unser Team hat viel gelernt.",),
        },
    ),
    SurveySpec(
        "csat-it-follow-up-offer",
        "CSAT – Follow-up offer",
        CSAT,
        "it_followup_offer",
        "en",
        IT_LEAD,
        85,
        CSAT_MIXED,
        CSAT_MIXED,
        {
            "neg": (
                "Feels like selling more, not solving what's left.",
                "The offer came before the open points were closed.",
            ),
            "neu": ("Some ideas are relevant; the budget is not.",),
            "pos": ("The next phase picks up exactly where we stopped.",),
        },
        question="How relevant was our proposal for a next phase?",
    ),
]

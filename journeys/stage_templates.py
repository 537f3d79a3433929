"""Stage sets a new map can start from (DOMAIN.md: the classic funnel and the two B2B journeys)."""

STAGE_TEMPLATES = {
    "blank": ("Blank", []),
    "classic": ("Awareness → Advocacy", ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"]),
    "b2b_purchase": (
        "B2B purchase (industrial machine)",
        [
            "Need recognition",
            "Information search",
            "Vendor contact",
            "Offer",
            "Evaluation",
            "Negotiation",
            "Purchase decision",
            "Implementation",
            "After-sales service",
        ],
    ),
    "b2b_consulting": (
        "B2B consulting engagement",
        [
            "Problem recognition",
            "Market analysis",
            "First contact",
            "Presentations",
            "Selection",
            "Project start",
            "Completion and follow-up",
        ],
    ),
}

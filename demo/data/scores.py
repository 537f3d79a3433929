"""How demo respondents score and comment: score profiles, moods and the follow-up question of each kind."""

from surveys.models import Question
from surveys.scales import LOW_MAX, TOP_BOX_MIN

# Relative weights of each score, low to high (NPS 0–10, CSAT 1–5, CES 1–7).
NPS_STRONG = (1, 0, 1, 1, 2, 3, 5, 12, 20, 28, 27)  # ≈ +42
NPS_GOOD = (1, 1, 1, 2, 3, 4, 6, 14, 22, 24, 22)  # ≈ +28
NPS_MIXED = (2, 2, 3, 4, 5, 6, 8, 18, 20, 17, 15)  # ≈ 0
NPS_WEAK = (3, 3, 5, 6, 8, 10, 12, 17, 14, 12, 10)  # ≈ −25
# Negotiation this year: delivery times grew to sixteen weeks, so it is the map's clearest pain point.
NPS_NEGOTIATION_NOW = (5, 5, 7, 8, 10, 11, 12, 16, 11, 9, 6)  # ≈ −43
CSAT_HIGH = (1, 2, 9, 38, 50)  # 88 % satisfied
CSAT_GOOD = (3, 6, 16, 42, 33)  # 75 %
CSAT_MIXED = (6, 12, 27, 35, 20)  # 55 %
CSAT_LOW = (12, 20, 30, 26, 12)  # 38 %
CES_EASY = (1, 2, 4, 8, 20, 35, 30)  # mean ≈ 5.7
CES_OK = (3, 5, 8, 15, 27, 25, 17)  # ≈ 5.0
CES_HARD = (10, 15, 18, 20, 17, 12, 8)  # ≈ 3.9

# The highest score that counts as negative and as neutral, per question kind: the low band, and the middle
# below the top box (surveys.scales).
MOOD_LIMITS = {
    kind: (LOW_MAX[kind], TOP_BOX_MIN[kind] - 1) for kind in (Question.Kind.NPS, Question.Kind.CSAT, Question.Kind.CES)
}
COMMENT_RATE = {"neg": 0.45, "neu": 0.15, "pos": 0.25}

# The optional text question after a CSAT or CES score, unless the survey names its own.
REASON_TEXT = {"en": "What could we do better?", "de": "Was können wir besser machen?"}

"""Offline text analysis for German and English customer feedback.

    from voice.analysis import detect_language, analyse, SentimentModel, TopicModel

Everything here is pure Python (plus scikit-learn for the optional learner): no Django, no download.
"""

from voice.analysis.language import detect_language
from voice.analysis.learner import SentimentModel, weak_label
from voice.analysis.sentiment import Sentiment, analyse, analyse_many
from voice.analysis.topics import PinnedTopic, Topic, TopicModel, TopicSteering

__all__ = [
    "PinnedTopic",
    "Sentiment",
    "SentimentModel",
    "Topic",
    "TopicModel",
    "TopicSteering",
    "analyse",
    "analyse_many",
    "detect_language",
    "weak_label",
]

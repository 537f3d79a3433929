"""Topics: discovery with readable labels, stable keys across rebuilds, steering, highlighting."""

import pytest

from voice.analysis import TopicModel, TopicSteering
from voice.analysis.topics import PinnedTopic

DELIVERY_DE = [
    "Die Lieferung kam drei Wochen zu spät.",
    "Lieferverzögerung ohne Vorwarnung.",
    "Lieferung pünktlich und vollständig, danke.",
    "Wann kommt die Lieferung?",
    "Lieferung unvollständig, zwei Kartons fehlten.",
    "Die Lieferzeit ist viel zu lang.",
]
SPARE_DE = [
    "Ersatzteile kamen am nächsten Tag.",
    "Die Ersatzteilpreise sind zu hoch.",
    "Ersatzteile fehlen seit Wochen.",
    "Bitte Angebot für Ersatzteile schicken.",
    "Ersatzteilversorgung top.",
]
HOTLINE_DE = [
    "Die Hotline war nicht erreichbar.",
    "Hotline sehr freundlich.",
    "Hotline hat sofort geholfen.",
    "Über die Hotline kam keine Antwort.",
]
INVOICE_EN = [
    "The invoice was wrong.",
    "Invoice arrived twice.",
    "Please send the invoice to accounts payable.",
    "The invoice was correct and easy to read.",
]
SPARE_EN = [
    "Spare parts arrived the next day.",
    "Spare parts are far too expensive.",
    "Still waiting for spare parts.",
    "Spare parts supply is excellent.",
]
TRAINING_DE = [
    "Die Schulung war praxisnah.",
    "Schulung leider zu kurz.",
    "Wann ist die nächste Schulung?",
    "Die Schulung hat viel gebracht.",
]


def corpus(*groups):
    texts = [t for group in groups for t in group]
    languages = ["en" if group in (INVOICE_EN, SPARE_EN) else "de" for group in groups for _ in group]
    return texts, languages


def by_label(model):
    return {t.label: t for t in model.visible()}


def test_topics_are_discovered_per_language_with_readable_labels():
    model = TopicModel()
    topics = model.rebuild(*corpus(DELIVERY_DE, SPARE_DE, HOTLINE_DE, INVOICE_EN, SPARE_EN))
    labels = {(t.language, t.label) for t in topics}
    assert {
        ("de", "Lieferung"),
        ("de", "Ersatzteil"),
        ("de", "Hotline"),
        ("en", "Invoice"),
        ("en", "Spare parts"),
    } <= labels
    counts = {t.label: t.count for t in topics}
    assert counts["Lieferung"] == 6 and counts["Hotline"] == 4


def test_compounds_are_assigned_to_the_topic_of_their_parts():
    model = TopicModel()
    model.rebuild(*corpus(DELIVERY_DE, SPARE_DE, HOTLINE_DE))
    topics = by_label(model)
    assert model.assign("Schon wieder eine Lieferverzögerung.", "de") == [topics["Lieferung"].key]
    assert topics["Ersatzteil"].key in model.assign("Die Ersatzteillieferung dauert.", "de")
    assert model.assign("Nichts Besonderes.", "de") == []


def test_the_same_texts_give_the_same_keys_in_a_fresh_model():
    first, second = TopicModel(), TopicModel()
    first.rebuild(*corpus(DELIVERY_DE, SPARE_DE, INVOICE_EN))
    second.rebuild(*corpus(DELIVERY_DE, SPARE_DE, INVOICE_EN))
    assert first.to_data() == second.to_data()


def test_a_topic_keeps_its_key_and_label_when_new_texts_arrive():
    model = TopicModel()
    old_texts, old_languages = corpus(DELIVERY_DE, SPARE_DE, HOTLINE_DE)
    model.rebuild(old_texts, old_languages)
    before = {t.key: t.label for t in model.visible()}
    assigned_before = model.assign_many(old_texts, old_languages)

    # Stored and loaded as plain data, as the Django layer will do, then rebuilt with more texts.
    stored = TopicModel.from_data(model.to_data())
    more = ["Lieferterminverschiebung schon wieder.", "Liefertermin KW 20 statt KW 12."] * 3
    texts, languages = corpus(DELIVERY_DE, SPARE_DE, HOTLINE_DE, TRAINING_DE)
    stored.rebuild(texts + more, languages + ["de"] * len(more))
    after = {t.key: t.label for t in stored.visible()}

    assert all(after[key] == label for key, label in before.items())
    assert "Schulung" in after.values()  # the new topic got a key of its own
    # Old texts keep every topic they had (they may gain a new one).
    for old, new in zip(assigned_before, stored.assign_many(old_texts, old_languages), strict=True):
        assert set(old) <= set(new)


def test_incremental_assignment_equals_assignment_after_a_full_rebuild():
    texts, languages = corpus(DELIVERY_DE, SPARE_DE, HOTLINE_DE, INVOICE_EN, SPARE_EN)
    model = TopicModel()
    model.rebuild(texts, languages)
    new_items = ["Lieferung heute angekommen.", "Spare parts missing again.", "Hotline freundlich, Ersatzteile fehlen."]
    new_languages = ["de", "en", "de"]
    incremental = model.assign_many(new_items, new_languages)

    full = TopicModel.from_data(model.to_data())
    full.rebuild(texts + new_items, languages + new_languages)
    unchanged = {k for k, t in full.topics.items() if k in model.topics and t.terms == model.topics[k].terms}
    assert unchanged  # the new items brought no new words to the existing topics
    for before, after in zip(incremental, full.assign_many(new_items, new_languages), strict=True):
        assert [k for k in before if k in unchanged] == [k for k in after if k in unchanged]
    assert incremental[2] == [by_label(model)["Ersatzteil"].key, by_label(model)["Hotline"].key] or set(
        incremental[2]
    ) == {by_label(model)["Ersatzteil"].key, by_label(model)["Hotline"].key}


def test_a_pinned_topic_wins_its_keywords_also_after_a_rebuild():
    texts, languages = corpus(DELIVERY_DE, SPARE_DE)
    model = TopicModel()
    model.rebuild(texts, languages)
    delivery = by_label(model)["Lieferung"].key
    steering = TopicSteering(pinned={"delivery-time": PinnedTopic("Lieferzeit", ("Lieferzeit", "Liefertermin"), "de")})
    pinned = TopicModel.from_data(model.to_data(), steering)
    assert pinned.assign("Die Lieferzeit ist zu lang.", "de") == ["delivery-time"]
    assert pinned.assign("Liefertermin verschoben.", "de") == ["delivery-time"]
    assert pinned.assign("Lieferung kam heute.", "de") == [delivery]
    pinned.rebuild(texts + ["Lieferzeit zu lang."] * 5, languages + ["de"] * 5)
    assert pinned.assign("Die Lieferzeit ist zu lang.", "de") == ["delivery-time"]
    assert by_label(pinned)["Lieferzeit"].count == 6
    assert by_label(pinned)["Lieferung"].key == delivery


def test_merged_topics_stay_merged_and_renamed_labels_stay():
    texts, languages = corpus(DELIVERY_DE, SPARE_DE, HOTLINE_DE)
    model = TopicModel()
    model.rebuild(texts, languages)
    topics = by_label(model)
    delivery, spare, hotline = topics["Lieferung"].key, topics["Ersatzteil"].key, topics["Hotline"].key
    steering = TopicSteering(merged={spare: delivery}, renamed={delivery: "Lieferung & Teile"})
    merged = TopicModel.from_data(model.to_data(), steering)
    assert merged.assign("Ersatzteile fehlen.", "de") == [delivery]
    merged.rebuild(texts + SPARE_DE, languages + ["de"] * len(SPARE_DE))
    visible = {t.key: t for t in merged.visible()}
    assert spare not in visible and hotline in visible
    assert visible[delivery].label == "Lieferung & Teile"
    assert visible[delivery].count == len(DELIVERY_DE) + 2 * len(SPARE_DE)
    assert merged.assign("Die Ersatzteilpreise sind zu hoch.", "de") == [delivery]
    assert merged.label(spare) == "Lieferung & Teile"


def test_hidden_topics_are_never_assigned_and_do_not_come_back_under_a_new_key():
    texts, languages = corpus(DELIVERY_DE, HOTLINE_DE)
    model = TopicModel()
    model.rebuild(texts, languages)
    hotline = by_label(model)["Hotline"].key
    hidden = TopicModel.from_data(model.to_data(), TopicSteering(hidden=frozenset({hotline})))
    hidden.rebuild(texts + HOTLINE_DE, languages + ["de"] * len(HOTLINE_DE))
    assert hidden.assign("Hotline nicht erreichbar.", "de") == []
    assert "Hotline" not in by_label(hidden)
    assert set(hidden.topics) == set(model.topics)


def test_highlight_marks_the_words_of_the_topic():
    texts, languages = corpus(DELIVERY_DE, SPARE_EN, INVOICE_EN)
    model = TopicModel()
    model.rebuild(texts, languages)
    topics = by_label(model)
    text = "Leider eine Lieferverzögerung, die Lieferung kam nie."
    spans = model.highlight(text, topics["Lieferung"].key, "de")
    assert [text[a:b] for a, b in spans] == ["Lieferverzögerung", "Lieferung"]
    text = "The spare parts were late, the invoice was wrong."
    assert [text[a:b] for a, b in model.highlight(text, topics["Spare parts"].key, "en")] == ["spare parts"]
    assert [text[a:b] for a, b in model.highlight(text, topics["Invoice"].key, "en")] == ["invoice"]


def test_an_unsupported_language_is_an_error_and_changes_nothing():
    model = TopicModel()
    model.rebuild(*corpus(DELIVERY_DE))
    before = model.to_data()
    with pytest.raises(ValueError, match="unsupported language"):
        model.rebuild(DELIVERY_DE + ["Livraison en retard."], ["de"] * len(DELIVERY_DE) + ["fr"])
    with pytest.raises(ValueError, match="unsupported language"):
        model.assign("Livraison en retard.", "fr")
    assert model.to_data() == before


def test_a_text_without_a_language_is_detected():
    model = TopicModel()
    model.rebuild(*corpus(DELIVERY_DE, INVOICE_EN))
    assert model.assign("Die Lieferung kam zu spät.") == [by_label(model)["Lieferung"].key]
    assert model.assign("The invoice was wrong again.") == [by_label(model)["Invoice"].key]


def test_highlight_of_a_pinned_topic_marks_its_keyword_only_where_the_text_has_it():
    steering = TopicSteering(pinned={"delivery-time": PinnedTopic("Lieferzeit", ("Lieferzeit",), "de")})
    model = TopicModel(steering=steering)
    model.rebuild(*corpus(DELIVERY_DE))
    text = "Die Lieferzeit war lang, die Lieferung selbst ok."
    assert [text[a:b] for a, b in model.highlight(text, "delivery-time", "de")] == ["Lieferzeit"]
    assert model.highlight("Die Lieferung kam heute.", "delivery-time", "de") == []

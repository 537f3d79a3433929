"""Language detection of short German and English feedback."""

import subprocess
import sys

import pytest

from voice.analysis import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Lieferung zu spät.", "de"),
        ("Die Hotline war nicht erreichbar", "de"),
        ("Top Service, gerne wieder!", "de"),
        ("Ersatzteile fehlen", "de"),
        ("lieferung zu spät, teile falsch, rechnung falsch. reicht.", "de"),
        ("Delivery late again.", "en"),
        ("The hotline was not reachable", "en"),
        ("Great service, will order again!", "en"),
        ("the machin is louder since the last servcie", "en"),
        ("Never again.", "en"),
    ],
)
def test_short_texts_get_their_language(text, language):
    assert detect_language(text) == language


def test_a_mixed_text_gets_the_language_with_more_words():
    assert detect_language("Die Maschine läuft nicht, der Service-Techniker kommt erst am Freitag. Thanks") == "de"
    assert detect_language("The machine stopped again and nobody called back, danke") == "en"


def test_no_evidence_gives_the_default():
    assert detect_language("4711", default="en") == "en"
    assert detect_language("", default="de") == "de"


def test_the_engine_imports_without_django():
    code = "import sys, voice.analysis; assert 'django' not in sys.modules; print(voice.analysis.analyse('gut', 'de'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "positive" in out.stdout

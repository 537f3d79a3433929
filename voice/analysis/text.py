"""Tokens, lemmas and German compound splitting shared by the sentiment and topic engines.

Lemmas come from simplemma (its dictionaries ship in the wheel); results are cached per process because
feedback vocabularies are small and repetitive.
"""

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import simplemma

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("de", "en")

# Words (letters with inner hyphens/apostrophes), numbers, and the punctuation that ends a clause.
TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,:]\d+)*|[.,;:!?]")
CLAUSE_END = frozenset(".,;:!?")


class Token(NamedTuple):
    text: str
    lower: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_boundary(self) -> bool:
        return self.text in CLAUSE_END


def tokenize(text: str) -> list[Token]:
    if "’" in text:
        text = text.replace("’", "'")  # same length: offsets stay valid
    return [Token(m[0], m[0].lower(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def read_words(name: str) -> frozenset[str]:
    """A whitespace-separated word list from the data folder (lines starting with # are comments)."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def read_table(name: str) -> list[list[str]]:
    """Tab-separated rows from the data folder, comments and blank lines skipped."""
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


STOPWORDS = {"de": read_words("stopwords_de.txt"), "en": read_words("stopwords_en.txt")}

_lemma_cache: dict[tuple[str, str], str] = {}


def lemma(word: str, language: str) -> str:
    """simplemma's lemma (German nouns come back capitalised, e.g. "ersatzteile" -> "Ersatzteil")."""
    key = (word, language)
    found = _lemma_cache.get(key)
    if found is None:
        found = simplemma.lemmatize(word, lang=language)
        if len(_lemma_cache) < 500_000:
            _lemma_cache[key] = found
    return found


@lru_cache(maxsize=200_000)
def is_known(word: str, language: str) -> bool:
    return simplemma.is_known(word, lang=language)


LINKING = ("es", "s", "en", "n", "e")


def known_stem(part: str, language: str = "de") -> str | None:
    """The dictionary word behind a compound's modifier: "liefer" -> "liefer(n)", "ersatzteil(s)"."""
    if len(part) < 3:
        return None
    if is_known(part, language) or is_known(part.capitalize(), language):
        return part
    for ending in ("n", "en", "e"):
        if is_known(part + ending, language):
            return part
    for link in LINKING:
        if part.endswith(link) and len(part) - len(link) >= 3:
            base = part[: -len(link)]
            if is_known(base, language) or is_known(base.capitalize(), language):
                return base
    return None


@lru_cache(maxsize=100_000)
def split_compound(word: str, language: str = "de") -> tuple[str, ...]:
    """Split a German compound into known parts, head last: "lieferverzögerung" -> ("liefer", "verzögerung").

    The longest known head wins; the modifier is split again. Words that cannot be split come back whole.
    """
    word = word.lower()
    if language != "de" or len(word) < 7 or "-" in word:
        if "-" in word:
            return tuple(p for p in word.split("-") if p)
        return (word,)
    for cut in range(3, len(word) - 3):
        head = word[cut:]
        if len(head) < 4 or not (is_known(head.capitalize(), language) or is_known(head, language)):
            continue
        modifier = known_stem(word[:cut], language)
        if modifier is None:
            continue
        left = split_compound(modifier, language) if len(modifier) >= 7 else (modifier,)
        return (*left, head)
    return (word,)

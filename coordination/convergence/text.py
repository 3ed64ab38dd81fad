"""Activity text: from a free-text description to canonical words in one language.

Accents are folded, words made singular, stopwords of English, Spanish and French dropped,
and the domain lexicon maps Spanish and French words of the field onto English ones.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from coordination.convergence.lexicon import LEXICON, STOPWORDS

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lower-case `text` and strip its accents (é -> e, ñ -> n, ç -> c)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return decomposed.encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str | None:
    """The canonical form of one folded word, or None when it carries no meaning."""
    if len(word) < 2 or word.isdigit() or word in STOPWORDS:
        return None
    if word in LEXICON:
        return LEXICON[word]
    singular = _singular(word)
    if singular in STOPWORDS:
        return None
    if singular in LEXICON:
        return LEXICON[singular]
    if singular.endswith("e") and singular[:-1] in LEXICON:  # comunidades -> comunidad
        return LEXICON[singular[:-1]]
    return singular


def _singular(word: str) -> str:
    """A crude plural strip that works well enough for English, Spanish and French."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def canonical_words(text: str) -> list[str]:
    """The meaningful words of `text`, in order, in their canonical English form."""
    words = []
    for raw in _WORD.findall(fold(text)):
        word = normalise_word(raw)
        if word is not None:
            words.append(word)
    return words


def normalise_tag(tag: str) -> str:
    """A tag slug with accents, case and punctuation removed ("Eau & Santé" -> "eau-sante")."""
    return "-".join(_WORD.findall(fold(tag)))

"""Activity text: from a free-text description to canonical words in one language.

Accents are folded, words made singular, stopwords of English, Spanish and French dropped,
and the domain lexicon maps Spanish and French words of the field onto English ones.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from coordination.lexicon import STOPWORDS
from coordination.lexicon import WORDS as LEXICON
from coordination.text import ascii_fold

_WORD = re.compile(r"[a-z0-9]+")
_SEPARATOR = "\x00"  # joins texts folded at once: ASCII, a starter, never part of a word
_WORD_OR_SEPARATOR = re.compile(r"[a-z0-9]+|\x00")


# Lower case, accents stripped, anything outside ASCII dropped; cached (names and tags repeat).
ascii_fold_cached = lru_cache(maxsize=65_536)(ascii_fold)


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
    for raw in _WORD.findall(ascii_fold_cached(text)):
        word = normalise_word(raw)
        if word is not None:
            words.append(word)
    return words


def normalise_tag(tag: str) -> str:
    """A tag slug with accents, case and punctuation removed ("Eau & Santé" -> "eau-sante")."""
    return "-".join(_WORD.findall(ascii_fold_cached(tag)))


def canonical_tokens(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(row, word) of every canonical word of many texts, and the distinct words.

    Text by text the same words in the same order as `canonical_words`: row[k] is the
    text of occurrence k and word[k] its index in the returned list of distinct words.
    The texts are folded as one string joined by NUL: lower-casing and NFKD act per
    character (NUL is a starter, so no combining mark moves across it) and the ASCII
    filter keeps NUL, so folding the joined string equals joining the folded texts. A NUL
    inside a text separates words like a space does, so it is replaced by one first.
    """
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), []
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        joined = _SEPARATOR.join(t.replace(_SEPARATOR, " ") for t in texts)
    tokens = _WORD_OR_SEPARATOR.findall(ascii_fold(joined))
    words: dict[str, int] = {}
    code: dict[str, int] = {}
    for raw in dict.fromkeys(tokens):
        if raw == _SEPARATOR:
            code[raw] = -2
            continue
        word = normalise_word(raw)
        code[raw] = -1 if word is None else words.setdefault(word, len(words))
    codes = np.fromiter(map(code.__getitem__, tokens), np.int64, len(tokens))
    rows = np.cumsum(codes == -2)
    keep = codes >= 0
    return rows[keep], codes[keep], list(words)

"""Text normalisation for the SDG suggester: fold, tokenise, drop stopwords, translate.

Folding (`coordination.text.fold_words`) is NFKC + casefold + accent stripping, so "Éducation", "education" and
"EDUCACIÓN" meet. French and Spanish domain terms are also mapped onto English
tokens through the lexicon (`coordination.lexicon.PHRASES`); the model itself was trained
mostly on English text, so this is what lets "accès à l'eau potable" reach goal 6.
"""
from __future__ import annotations

import re

from coordination.lexicon import PHRASES
from coordination.lexicon import SUGGESTER_STOPWORDS as STOPWORDS
from coordination.text import fold_words

_TOKEN = re.compile(r"[a-z0-9]+")

# Longest lexicon phrase, in tokens.
_MAX_PHRASE = max(len(key.split()) for key in PHRASES)
_FIRST_WORDS = frozenset(key.split()[0] for key in PHRASES)  # the words a phrase can start with


def tokens(text: str) -> list[str]:
    """The folded word tokens of `text`, stopwords kept (the lexicon needs them)."""
    return _TOKEN.findall(fold_words(text))


def content_tokens(toks: list[str]) -> list[str]:
    """Drop stopwords and one-letter tokens."""
    return [tok for tok in toks if len(tok) > 1 and tok not in STOPWORDS]


def translations(toks: list[str]) -> list[list[str]]:
    """English phrases for the French/Spanish lexicon entries found in `toks`.

    Matching is greedy, longest phrase first, on folded tokens; each match
    yields the English phrase as a token list.
    """
    found: list[list[str]] = []
    i = 0
    while i < len(toks):
        if toks[i] not in _FIRST_WORDS:
            i += 1
            continue
        for size in range(min(_MAX_PHRASE, len(toks) - i), 0, -1):
            english = PHRASES.get(" ".join(toks[i : i + size]))
            if english is not None:
                found.append(english.split())
                i += size
                break
        else:
            i += 1
    return found

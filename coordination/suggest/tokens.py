"""Text normalisation for the SDG suggester: fold, tokenise, drop stopwords, translate.

Folding (`coordination.text.fold_words`) is NFKC + casefold + accent stripping, so "Éducation", "education" and
"EDUCACIÓN" meet. French and Spanish domain terms are also mapped onto English
tokens through the small lexicon in `lexicon.py`; the model itself was trained
mostly on English text, so this is what lets "accès à l'eau potable" reach goal 6.
"""
from __future__ import annotations

import re

from coordination.suggest.lexicon import PHRASES
from coordination.text import fold_words

_TOKEN = re.compile(r"[a-z0-9]+")

_ENGLISH_STOPWORDS = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours etc via within per among upon
    including include includes using use used well may must shall s t e g ie eg
"""
# "lutte contre" / "lucha contra" (fight against) and "projet" / "proyecto" open many
# French and Spanish titles whatever the topic; as features they only learn publishers.
_FRENCH_STOPWORDS = """
    le la les un une des du de d l et ou en au aux ce ces cet cette qui que quoi dont par pour
    sur dans avec sans sous entre vers chez est sont etre ete ont avoir son sa ses leur leurs
    nos notre votre vos il elle ils elles on nous vous se ne pas plus tres aussi ainsi comme
    mais donc or ni car afin lors y qu c j m n lutte contre projet
"""
_SPANISH_STOPWORDS = """
    el los las una unos unas del al y o u en con sin sobre entre hacia desde hasta para por que
    quien cual cuyo este esta estos estas ese esa eso esos esas su sus nuestro nuestra es son
    ser sido fue han ha hay muy mas tambien como pero sino lo le les se no ni ya lucha contra
    proyecto
"""
STOPWORDS = frozenset(
    (_ENGLISH_STOPWORDS + _FRENCH_STOPWORDS + _SPANISH_STOPWORDS).split()
)

# Longest lexicon phrase, in tokens.
_MAX_PHRASE = max(len(key.split()) for key in PHRASES)


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
        for size in range(min(_MAX_PHRASE, len(toks) - i), 0, -1):
            english = PHRASES.get(" ".join(toks[i : i + size]))
            if english is not None:
                found.append(english.split())
                i += size
                break
        else:
            i += 1
    return found

"""Find the places a title or description names, by matching gazetteer names as whole words.

False positives are the real risk: 34,000 area names include "Centro", "Union", "Health" and
"Esperanza". So a mention must be at least MIN_NAME_LENGTH letters, not a stopword, written
with a capital letter (unless the whole text is in one case), and an admin-2 name only counts
when a country pins it down (the `country` argument or a country named in the same text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from coordination.geo.gazetteer import LEVEL_RANK, Gazetteer, Place, default_gazetteer
from coordination.text import place_key

MIN_NAME_LENGTH = 4
MAX_NAME_WORDS = 6
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Common words (EN/FR/ES/PT) that are also the name of some area somewhere; folded.
_STOPWORD_TEXT = """
    north south east west northern southern eastern western central centre center centro norte
    sur este oeste nord sud ouest oriental occidental capital district region province state
    national union unity peace hope progress liberty freedom independence mission support
    program programme project health water food education women children people rural urban
    coast lake river island islands valley border city town village market general grand plateau
    littoral salud agua sante saude paz progreso libertad esperanza nueva nuevo santa primero
    mayo buena vista mar sol luz amistad victoria gloria concordia providencia camp union ocean
    pacific atlantic global world africa asia europe america americas latin none other all
    various multiple country countries unknown nation republic kingdom federal new old great
    little upper lower middle high low first second third bar red blue green white black gold
    golden silver crown royal home garden park port bridge hill hills rock sand stone spring
    springs summit forest desert jungle delta cape point plains farm
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class _Mention:
    """A gazetteer key found in the text, with where it starts."""

    key: str
    start: int


@cache
def _mention_keys(gazetteer: Gazetteer) -> frozenset[str]:
    """The gazetteer keys allowed to match free text."""
    return frozenset(
        key
        for key in gazetteer.index
        if len(key.replace(" ", "")) >= MIN_NAME_LENGTH
        and key not in STOPWORDS
        and not key.isdigit()
        and len(key.split()) <= MAX_NAME_WORDS
    )


def _find_mentions(text: str, keys: frozenset[str]) -> list[_Mention]:
    """Greedy longest-first whole-word matches, left to right, without overlaps."""
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
    folded = [place_key(t) for t, _ in tokens]
    one_case = text == text.upper() or text == text.lower()
    mentions, i = [], 0
    while i < len(tokens):
        for n in range(min(MAX_NAME_WORDS, len(tokens) - i), 0, -1):
            key = " ".join(folded[i : i + n])
            if key in keys and (one_case or tokens[i][0][:1].isupper()):
                mentions.append(_Mention(key, tokens[i][1]))
                i += n
                break
        else:
            i += 1
    return mentions


def places_in_text(
    text: str, country: str | None = None, gazetteer: Gazetteer | None = None
) -> list[Place]:
    """Places named in the text, in order of first mention; a given country's places win ambiguities."""
    gaz = gazetteer or default_gazetteer()
    iso2 = gaz.resolve_country(country) if country else None
    mentions = _find_mentions(text or "", _mention_keys(gaz))
    candidates = [[gaz.places[i] for i in gaz.index[m.key]] for m in mentions]
    named_countries = {p.country for found in candidates for p in found if p.precision == "country"}
    context = {iso2} if iso2 else named_countries
    results: list[Place] = []
    for found in candidates:
        place = _choose(found, context, pinned=bool(iso2))
        if place is not None and place not in results:
            results.append(place)
    return results


def _choose(found: list[Place], context: set[str], pinned: bool) -> Place | None:
    """The one place a mention most likely means, or None when it is too ambiguous to say."""
    ranked = sorted(found, key=lambda p: (LEVEL_RANK[p.precision], p.country, p.name))
    countries = [p for p in ranked if p.precision == "country"]
    if countries:
        return countries[0]
    in_context = [p for p in ranked if p.country in context]
    if in_context:
        return in_context[0]
    if pinned:  # a place of another country, in text about this one, is most likely a homonym
        return None
    admin1 = [p for p in ranked if p.precision == "admin1"]
    if len({(p.country, p.admin1_code) for p in admin1}) == 1:
        return admin1[0]
    return None

"""Tag normalisation rules: turn what people typed into a comparable slug.

`slugify_label` applies the language rules only (case, accents, punctuation, connectives,
articles, plurals); `normalise_tag` also resolves synonyms and acronyms through a
`SynonymTable`, so "WASH", "Water, Sanitation & Hygiene" and "Agua, Saneamiento e Higiene"
all become the key "wash".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..text import fold_label

# Connectives dropped so "Water & Sanitation", "water and sanitation" and "agua y saneamiento"
# line up; "e" is Spanish/Portuguese "and" ("Saneamiento e Higiene").
CONNECTIVES = frozenset({"and", "y", "e", "et", "und", "or", "o", "ou"})
# Articles and bare prepositions carry no topic: "Education in Emergencies" = "Education Emergencies".
ARTICLES = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "for",
        "on",
        "to",
        "with",
        "de",
        "del",
        "la",
        "las",
        "el",
        "los",
        "le",
        "les",
        "des",
        "du",
        "d",
        "l",
        "en",
        "da",
        "do",
        "dos",
        "das",
        "para",
        "por",
        "au",
        "aux",
        "pour",
    ]
)
# Words that end in -s but are not plurals, and other plural forms the suffix rules get wrong.
INVARIANT = frozenset(
    [
        "aids",
        "news",
        "series",
        "species",
        "means",
        "gas",
        "alias",
        "canvas",
        "atlas",
        "bias",
        "famous",
        "various",
        "analysis",
        "basis",
        "crisis",
        "diagnosis",
        "emphasis",
        "thesis",
        "status",
        "campus",
        "virus",
        "focus",
        "census",
        "corpus",
        "bonus",
        "lens",
        "chaos",
        "ethos",
        "pathos",
        "mumps",
        "measles",
        "diabetes",
        "rabies",
        "scabies",
        "herpes",
        "tetanus",
        "rubella",
        "sos",
        "wash",
        "las",
        "los",
        "des",
        "les",
        "mas",
        "menos",
        "pais",
        "dos",
        "tres",
        "seis",
        "cholera",
    ]
)
IRREGULAR = {
    "children": "child", "women": "woman", "men": "man", "people": "people", "persons": "person",
    "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose", "data": "data",
    "indices": "index", "criteria": "criterion", "media": "media", "livelihoods": "livelihood",
}  # fmt: skip
# Report framing that prefixes the real label ("Operational Presence: Health" in the OCHA
# Afghanistan 3W, typo "Operatioanl" included as published).
FRAMING_PREFIXES = (
    "operational presence",
    "operatioanl presence",
    "sector",
    "cluster",
    "subsector",
)


def strip_framing(text: str) -> str:
    """Drop a known framing prefix before a colon, keeping the label after it."""
    head, sep, tail = text.partition(":")
    if sep and tail.strip() and " ".join(re.findall(r"[a-z0-9]+", head)) in FRAMING_PREFIXES:
        return tail
    return text


def singular(word: str) -> str:
    """A careful English/Spanish singular: 'wells'→'well', 'services'→'service', 'access' kept."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) <= 3 or word in INVARIANT or word.isdigit():
        return word
    if word.endswith(("ss", "us", "is", "ics")):  # access, status, crisis, logistics
        return word
    if word.endswith("ies") and len(word) > 4:  # activities, communities
        return word[:-3] + "y"
    if word.endswith("ciones"):  # Spanish: intervenciones → intervencion
        return word[:-2]
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):  # classes, boxes, approaches
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words_of(label: str) -> list[str]:
    """The meaningful words of a label, folded and singular, in their original order."""
    text = strip_framing(fold_label(label))
    text = re.sub(r"['’]s\b", "", text)  # possessive: "children's" → "children"
    text = re.sub(r"\b(\w+)_op\b", r"\1", text)  # OCHA 3W codes: WASH_OP, FSAC_OP
    text = re.sub(
        r"\be-(?=[a-z])", "e", text
    )  # "e-learning" is one word, not Spanish "e" + "learning"
    text = re.sub(r"\bco-(?=[a-z])", "co", text)  # "co-ordination" is "coordination"
    words = re.findall(r"[a-z0-9]+", text)
    kept = [w for w in words if w not in CONNECTIVES and w not in ARTICLES]
    return [singular(w) for w in (kept or words)]


def slugify_label(label: str) -> str:
    """The rule-based slug of a label, before synonym resolution ('Wells & Latrines' → 'well-latrine')."""
    slug = "-".join(words_of(label))
    # Joining rules ("co-", "e-") may apply to a slug again: iterate to a fixed point so a
    # key sent back by a client (?tag=..., merges, aliases) names the same tag.
    for _ in range(4):
        again = "-".join(words_of(slug))
        if again == slug:
            break
        slug = again
    return slug


def choose_display_label(labels: Iterable[str]) -> str:
    """The label to show for a tag: the most used spelling, preferring mixed case, then shorter."""
    counts = Counter(label.strip() for label in labels if label and label.strip())
    if not counts:
        return ""

    def preference(label: str) -> tuple:
        mixed = label != label.upper() and label != label.lower()
        return (-counts[label], not mixed, len(label), label)

    return min(counts, key=preference)

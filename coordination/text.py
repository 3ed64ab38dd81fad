"""Folding text for matching: case, accents and spacing, in one place.

`fold` is the everyday key ("Usulután " and "usulutan" meet). The other folds differ on
purpose, each for the matcher it feeds, and say how in their names:
`fold_words` (the SDG suggester's features: apostrophes split words), `ascii_fold` (the
convergence engine's words: anything outside ASCII dropped), `fold_any_script` (kinds of
work: Arabic kept, its diacritics and tatweel dropped), `fold_label` (tags: "&" is "and"),
`place_key` (gazetteer names: punctuation is a space, apostrophes join).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


class _CombiningMarks(dict):
    """A `str.translate` table deleting combining marks, filled as characters are first met."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_MARKS = _CombiningMarks()


def strip_marks(text: str, form: str = "NFKD") -> str:
    """`text` decomposed (`form`) without its combining marks: "é" -> "e", "ñ" -> "n"."""
    return unicodedata.normalize(form, text).translate(_MARKS)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents, "’" written "'", whitespace collapsed: "Usulután " -> "usulutan"."""
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join(strip_marks(text).lower().replace("’", "'").split())


def slugify(text: str, limit: int = 60) -> str:
    """URL-safe slug: "Médecins Sans Frontières" -> "medecins-sans-frontieres"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:limit].rstrip("-") or "org"


def name_key(name: str) -> str:
    """Key to match organisation names across files: folded, punctuation dropped."""
    return re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()


_APOSTROPHES_AS_SPACES = str.maketrans({"’": " ", "'": " ", "‘": " ", "`": " ", "´": " "})


def fold_words(text: str) -> str:
    """NFKC, case-folded, apostrophes as spaces, accents stripped ("l'eau" -> "l eau").

    The SDG suggester's model was trained on text folded this way.
    """
    if text.isascii():  # NFKC, NFD and marks change nothing; casefold is lower
        return text.lower().translate(_APOSTROPHES_AS_SPACES)
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES_AS_SPACES)
    return strip_marks(text, "NFD")


def ascii_fold(text: str) -> str:
    """Lower case, decomposed, with everything outside ASCII dropped (é -> e, ñ -> n, ø and Arabic gone).

    Per character, so folding texts joined by NUL equals joining the folded texts.
    """
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")


def fold_any_script(text: str) -> str:
    """Lower case without accents or Arabic diacritics, any script kept (é -> e, ُ and tatweel dropped)."""
    if text.isascii():
        return text.lower()
    return strip_marks(text.lower()).replace("\u0640", "")


_EXTRA_LETTERS = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"}
_LABEL_LETTERS = str.maketrans({**_EXTRA_LETTERS, "ß": "ss"})


def fold_label(label: str) -> str:
    """Case-folded, accents stripped (with ø, æ, œ, ß, ł, đ), '&' and '+' as 'and'."""
    text = strip_marks(label.casefold().translate(_LABEL_LETTERS))
    return text.replace("&", " and ").replace("+", " and ")


_PLACE_LETTERS = str.maketrans({**_EXTRA_LETTERS, "ı": "i", "þ": "th", "ð": "d", "ħ": "h"})
_PLACE_APOSTROPHES = re.compile(r"['’`ʼ]")
_NON_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)
def place_key(text: str) -> str:
    """A place name as lower-case ASCII-ish words separated by single spaces ("N'Djamena" -> "ndjamena")."""
    lowered = text.casefold()
    if not lowered.isascii():
        lowered = strip_marks(lowered.translate(_PLACE_LETTERS))
    # Apostrophes join rather than split ("N'Djamena" and "Ndjamena" are one name).
    return _NON_ALNUM.sub(" ", _PLACE_APOSTROPHES.sub("", lowered)).strip()

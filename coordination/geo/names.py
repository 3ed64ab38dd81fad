"""Place-name folding: the accent-, case- and punctuation-insensitive key used for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_EXTRA_FOLDS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d", "ħ": "h"}
)
_APOSTROPHES = re.compile(r"['’`ʼ]")
_NON_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Fold a name to lower-case ASCII-ish words separated by single spaces."""
    lowered = text.casefold()
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered.translate(_EXTRA_FOLDS))
        lowered = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Apostrophes join rather than split ("N'Djamena" and "Ndjamena" are one name).
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", lowered)).strip()


def is_latin(text: str) -> bool:
    """True when a folded name is plain ASCII, so it is worth indexing for Latin-script text."""
    return text.isascii()

"""What kind of work an initiative does: a small typology of field activities, in any language.

Two efforts with the same goal in the same place may still do different things: water kiosks
and latrines, cash transfers and latrine reconstruction, legal aid and psychosocial support. The
goal hierarchy cannot tell them apart and word overlap barely can (both say "water", "Kibera",
"households"). Each initiative's title and description are read for the activities it names
(`work_types`); the overlap engine compares the two sets (`work_scores`): at least one activity
in common, none in common, or unknown when a side names none of the typology.

The typology is modelled on the activity lists of humanitarian 3W/5W reporting and the IATI/DAC
purpose codes, at the grain at which two organisations would coordinate: one type per thing a
field team delivers. Each type lists the words that name it in English, French, Spanish and
Portuguese (accents folded), Arabic (diacritics dropped) and a few German/Swedish ones. A type
is named by a phrase, never by a topic word alone ("covid", "health", "children" name no type),
so a text about a topic without a named activity stays unknown rather than guessed.
"""
from __future__ import annotations

import json
import re
from re import _constants as _c  # the parsed form of a phrase (`_prefixes`)
from re import _parser
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from coordination.text import fold_any_script


@dataclass(frozen=True, slots=True)
class WorkType:
    """One kind of field activity: a code, the words a person reads, and the phrases naming it."""

    code: str
    label: str
    phrases: tuple[str, ...]  # regular expressions over folded text (see `coordination.text.fold_any_script`)


def _load_types() -> tuple[WorkType, ...]:
    """The typology, from coordination/data/work_types.json (one entry per kind, its phrases in every language)."""
    data = json.loads((Path(__file__).resolve().parents[1] / "data" / "work_types.json").read_text(encoding="utf-8"))
    return tuple(WorkType(t["code"], t["label"], tuple(t["phrases"])) for t in data["types"])


TYPES: tuple[WorkType, ...] = _load_types()

CODES: tuple[str, ...] = tuple(t.code for t in TYPES)
LABELS: dict[str, str] = {t.code: t.label for t in TYPES}
BIT: dict[str, int] = {code: 1 << i for i, code in enumerate(CODES)}
assert len(TYPES) <= 63, "the work mask is one int64"


def _strings(items, limit: int) -> set[str] | None:
    """The texts a parsed regular expression can start with, cut to `limit` characters (a
    shorter one: the expression can end there); None when that is not a small set of plain text."""
    out = {""}
    for op, av in items:
        grown = set()
        for head in out:
            if len(head) >= limit:
                grown.add(head)
                continue
            tails = _item_strings(op, av, limit - len(head))
            if tails is None:
                return None
            grown.update(head + tail for tail in tails)
        out = grown
    return out


def _item_strings(op, av, limit: int) -> set[str] | None:
    """`_strings` of one element of a parsed expression."""
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.AT:
        return {""}
    if op is _c.IN:
        chars = set()
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.add(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < 64:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None
        return chars
    if op is _c.SUBPATTERN:
        return _strings(av[3], limit)
    if op is _c.BRANCH:
        found: set[str] = set()
        for branch in av[1]:
            part = _strings(branch, limit)
            if part is None:
                return None
            found |= part
        return found
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, high, body = av
        once = _strings(body, limit)
        if once is None:
            return None
        found, reps = ({""} if low == 0 else set()), {""}
        for count in range(1, min(high, max(low, limit)) + 1):  # past `limit` pieces all are cut
            reps = {(r + t)[:limit] for r in reps for t in once}
            if count >= low:
                found |= reps
        return found
    return None


def _prefixes(phrase: str) -> set[str] | None:
    """The two characters every match of `phrase` can start with; None when that is not plain."""
    found = _strings(_parser.parse(phrase), 2)
    return None if found is None or any(len(p) < 2 for p in found) else found


def _scanners() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str], list[int]]:
    """Regexes of the Latin-script phrases by the two characters a match starts with, each tried
    only at the start of a word beginning with them (a thousand phrases cost one short try per
    word), and one regex of the Arabic phrases (matched anywhere). A match's group is named g<n>,
    n the phrase's place in the typology (its type: `_TYPE_OF[n]`)."""
    by_two: dict[str, list[str]] = {}
    arabic: list[str] = []
    type_of: list[int] = []
    for i, work in enumerate(TYPES):
        for phrase in work.phrases:
            n = len(type_of)
            type_of.append(i)
            if not phrase.isascii():  # folded as the text is (hamza and madda carriers become plain letters)
                arabic.append(f"(?P<g{n}>{fold_any_script(phrase)})")
                continue
            two = _prefixes(phrase)
            if two is None:
                raise ValueError(f"phrase {phrase!r} must start with two plain characters")
            for prefix in two:
                by_two.setdefault(prefix, []).append(f"(?P<g{n}>{phrase})")
    return {k: re.compile("|".join(b)) for k, b in by_two.items()}, re.compile("|".join(arabic)), type_of


_BY_TWO, _ARABIC, _TYPE_OF = _scanners()
_WORD_START = re.compile(r"\b\w")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def _type_of(match: re.Match[str]) -> str:
    return CODES[_TYPE_OF[int(match.lastgroup[1:])]]  # type: ignore[index]


def _latin_types(folded: str) -> set[str]:
    """At the start of each word, the first phrase (in the typology's order) that matches there."""
    found: set[str] = set()
    for start in _WORD_START.finditer(folded):
        at = start.start()
        pattern = _BY_TWO.get(folded[at : at + 2])
        if pattern is not None:
            match = pattern.match(folded, at)
            if match is not None:
                found.add(_type_of(match))
    return found


@lru_cache(maxsize=65_536)
def work_types(text: str) -> frozenset[str]:
    """The work types an initiative's text names (its title and description, any language)."""
    folded = fold_any_script(text)
    found = _latin_types(folded)
    if not folded.isascii() and _ARABIC_LETTER.search(folded):
        found |= {_type_of(m) for m in _ARABIC.finditer(folded)}
    return frozenset(found)


def text_of(title: str, description: str, tags: Iterable[str]) -> str:
    """The text an initiative's work is read from: title, description and tags."""
    return f"{title} {description} {' '.join(sorted(tags))}"


def work_text(record) -> str:
    """`text_of` an initiative record."""
    return text_of(record.title, record.description, record.tags)


def work_labels(title: str, description: str = "", tags: Iterable[str] = ()) -> list[str]:
    """The kinds of work an initiative's title, description and tags name, in words."""
    return labels_of(work_mask(text_of(title, description, tags)))


def work_mask(text: str) -> int:
    """The work types of `text` as a bit mask (0: none named)."""
    mask = 0
    for code in work_types(text):
        mask |= BIT[code]
    return mask


def labels_of(mask: int) -> list[str]:
    """The labels of the work types in a mask, in typology order."""
    return [LABELS[code] for code in CODES if mask & BIT[code]]


def work_scores(mask_a: np.ndarray, mask_b: np.ndarray, neutral: float) -> np.ndarray:
    """1 where the two sides name a work type in common, 0 where both name some but none in
    common, `neutral` where a side names none."""
    known = (mask_a != 0) & (mask_b != 0)
    shared = (mask_a & mask_b) != 0
    return np.where(known, np.where(shared, 1.0, 0.0), neutral)


def masks(texts: Iterable[str]) -> np.ndarray:
    """Work masks of many texts, as int64."""
    return np.fromiter((work_mask(t) for t in texts), np.int64)

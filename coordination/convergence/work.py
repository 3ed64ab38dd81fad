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


def _group_end(p: str, start: int) -> int:
    """The index of the parenthesis closing the group opened at `start`."""
    depth = 0
    for i in range(start, len(p)):
        if p[i] == "\\":
            continue
        if p[i] == "(" and (i == 0 or p[i - 1] != "\\"):
            depth += 1
        elif p[i] == ")" and p[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced phrase {p!r}")


def _split_top(group: str) -> list[str]:
    """The alternatives of a group's body, split on its top-level "|"."""
    parts, depth, last = [], 0, 0
    for i, c in enumerate(group):
        depth += c == "("
        depth -= c == ")"
        if c == "|" and depth == 0:
            parts.append(group[last:i])
            last = i + 1
    return [*parts, group[last:]]


def first_chars(p: str) -> frozenset[str] | None:
    """The characters a match of phrase `p` can start with; None when that is not plain."""
    if p.startswith("\\b"):
        return first_chars(p[2:])
    if p.startswith("(?:"):
        end = _group_end(p, 0)
        firsts: set[str] = set()
        for alternative in _split_top(p[3:end]):
            found = first_chars(alternative)
            if found is None:
                return None
            firsts |= found
        if p[end + 1 : end + 2] in ("?", "*"):
            rest = first_chars(p[end + 2 :])
            return None if rest is None else frozenset(firsts | rest)
        return frozenset(firsts)
    if not p or not (p[0].isalnum() or p[0] in "'-"):
        return None
    if p[1:2] in ("?", "*"):
        rest = first_chars(p[2:])
        return None if rest is None else frozenset({p[0]} | rest)
    return frozenset({p[0]})


def _scanners() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str]]:
    """For each character, one regex of the Latin-script phrases that can start with it (tried
    only at the start of a word beginning with that character: hundreds of phrases cost one or
    two tries per word), and one regex of the Arabic phrases (matched anywhere). A match's group
    is named t<type>_<n>."""
    buckets: dict[str, list[str]] = {}
    arabic: list[str] = []
    for i, work in enumerate(TYPES):
        for phrase in work.phrases:
            if not phrase.isascii():  # folded as the text is (hamza and madda carriers become plain letters)
                arabic.append(f"(?P<t{i}_a{len(arabic)}>{fold_any_script(phrase)})")
                continue
            starts = first_chars(phrase)
            if starts is None:
                raise ValueError(f"phrase {phrase!r} must start with plain characters")
            for c in starts:
                bucket = buckets.setdefault(c, [])
                bucket.append(f"(?P<t{i}_{len(bucket)}>{phrase})")
    return ({c: re.compile("|".join(b)) for c, b in buckets.items()}, re.compile("|".join(arabic)))


_BY_FIRST, _ARABIC = _scanners()
_WORD_START = re.compile(r"\b\w")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def _type_of(match: re.Match[str]) -> str:
    return CODES[int(match.lastgroup[1:].split("_")[0])]  # type: ignore[index]


def _latin_types(folded: str) -> set[str]:
    found: set[str] = set()
    for start in _WORD_START.finditer(folded):
        pattern = _BY_FIRST.get(start.group())
        if pattern is not None:
            match = pattern.match(folded, start.start())
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

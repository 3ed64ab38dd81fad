"""Goal similarity through the SDG hierarchy: same target > same goal > related goal.

Goals are kept as bit sets so millions of candidate pairs are compared in a few numpy
operations: one 32-bit mask of goal numbers ("families") and 256 bits of targets (the 169
SDG targets first, any other code hashed into the spare bits).
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from coordination.convergence.sdg_reference import TARGETS

TARGET_WORDS = 4  # 4 x 64 bits
_KNOWN_TARGETS: dict[str, int] = {code: i for i, code in enumerate(TARGETS)}
_SPARE_BITS = TARGET_WORDS * 64 - len(_KNOWN_TARGETS)
_CODE = re.compile(r"^\s*(\d{1,2})(?:\.([0-9]{1,2}|[a-z]))?\s*$")

# Goals whose work commonly touches: a small, hand-written and symmetric table.
_RELATED_PAIRS = [
    (1, 2), (1, 8), (1, 10), (2, 3), (2, 12), (2, 13), (2, 15), (3, 5), (3, 6), (3, 2),
    (4, 5), (4, 8), (5, 10), (5, 16), (6, 11), (6, 14), (6, 15), (7, 9), (7, 13), (8, 9),
    (9, 11), (10, 16), (11, 13), (12, 13), (13, 14), (13, 15), (14, 15),
]
RELATED_GOALS: dict[int, frozenset[int]] = {
    g: frozenset({b for a, b in _RELATED_PAIRS if a == g})
    | frozenset({a for a, b in _RELATED_PAIRS if b == g})
    for g in range(1, 18)
}


@lru_cache(maxsize=4096)
def normalise_code(code: str) -> str | None:
    """"6.A" -> "6.a", " 6 " -> "6"; None when the text is not an SDG-style code."""
    match = _CODE.match(code.lower())
    if match is None:
        return None
    goal, target = match.groups()
    if target is None:
        return str(int(goal))
    return f"{int(goal)}.{int(target) if target.isdigit() else target}"


def family(code: str) -> int | None:
    """The goal number of a code ("6.1" -> 6), or None for non-numeric codes."""
    head = code.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def goal_masks(codes: Iterable[str]) -> tuple[int, int, np.ndarray]:
    """(family mask, related-family mask, target bits) of a set of goal codes."""
    fam = 0
    bits = np.zeros(TARGET_WORDS, dtype=np.uint64)
    for raw in codes:
        code = normalise_code(raw)
        if code is None:
            continue
        number = family(code)
        if number is not None and 0 < number < 32:
            fam |= 1 << number
        if "." in code:
            index = _KNOWN_TARGETS.get(code)
            if index is None:
                index = len(_KNOWN_TARGETS) + zlib.crc32(code.encode()) % _SPARE_BITS
            bits[index // 64] |= np.uint64(1) << np.uint64(index % 64)
    related = 0
    for number in range(1, 18):
        if fam & (1 << number):
            for other in RELATED_GOALS[number]:
                related |= 1 << other
    return fam, related, bits


def goal_scores(
    fam_a: np.ndarray,
    rel_a: np.ndarray,
    bits_a: np.ndarray,
    fam_b: np.ndarray,
    bits_b: np.ndarray,
    same_target: float,
    same_goal: float,
    related_goal: float,
    neutral: float,
) -> np.ndarray:
    """Goal component for aligned arrays of pairs; neutral where one side has no goals."""
    shared_target = np.any((bits_a & bits_b) != 0, axis=1)
    return goal_scores_of(
        shared_target, fam_a, rel_a, fam_b, same_target, same_goal, related_goal, neutral
    )


def goal_scores_of(
    shared_target: np.ndarray,
    fam_a: np.ndarray,
    rel_a: np.ndarray,
    fam_b: np.ndarray,
    same_target: float,
    same_goal: float,
    related_goal: float,
    neutral: float,
) -> np.ndarray:
    """`goal_scores` given whether each pair shares a target (however that was found)."""
    score = np.where((rel_a & fam_b) != 0, related_goal, 0.0)
    score[(fam_a & fam_b) != 0] = same_goal
    score[shared_target] = same_target
    score[(fam_a == 0) | (fam_b == 0)] = neutral
    return score


def describe_goal_sets(a: Iterable[str], b: Iterable[str]) -> str | None:
    """`describe_goals` of two records' goal sets, remembered when both are frozen sets (a
    record's are): the same sets meet in pair after pair."""
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return _describe_frozen(a, b)
    return describe_goals(a, b)


@lru_cache(maxsize=65_536)
def _describe_frozen(a: frozenset[str], b: frozenset[str]) -> str | None:
    return describe_goals(a, b)


def describe_goals(a: Iterable[str], b: Iterable[str]) -> str | None:
    """Plain words for what two goal sets share ("both target 6.1"), or None."""
    codes_a = {c for c in (normalise_code(x) for x in a) if c}
    codes_b = {c for c in (normalise_code(x) for x in b) if c}
    if not codes_a and not codes_b:
        return "no goals given"
    if not codes_a or not codes_b:
        return "goals not given on one side"
    targets = sorted(c for c in codes_a & codes_b if "." in c)
    if targets:
        return "both target " + ", ".join(targets[:3])
    fams_a = {family(c) for c in codes_a} - {None}
    fams_b = {family(c) for c in codes_b} - {None}
    shared = sorted(f for f in fams_a & fams_b if f is not None)
    if shared:
        return "both work on goal " + ", ".join(str(f) for f in shared[:3])
    linked = sorted(
        (x, y) for x in fams_a for y in fams_b if x is not None and y is not None
        and y in RELATED_GOALS.get(x, frozenset())
    )
    if linked:
        x, y = linked[0]
        return f"related goals {x} and {y}"
    return None

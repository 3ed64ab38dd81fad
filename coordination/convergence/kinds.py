"""Link kinds: what a found pair of initiatives means, before anybody acts on it.

- DUPLICATE, the same effort reported twice (a funder and its implementer both publish it,
  IATI's double-counting problem): one record names the other's IATI identifier (in a
  participating-org activity-id, a related-activity, a transaction's provider or receiver
  activity id), both carry the same identifier, or both say the same thing in their own
  words (near-identical text) in the same place at the same time. Count it once.
- OVERLAP, two different efforts doing the same work for the same people at the same time:
  the thing to nudge about.
- PRESENCE, co-presence only: a side says no more than "organisation X works in sector Y in
  area Z" (no text of its own, no dates, no precise place; a 3W operational-presence row).
  That is a fragmentation cell, summarised per goal x area x period, never a stored pair.

Kinds are a pure function of the two records and the pair's components, so the batch and
the index classify alike; identifier links are also found apart from text blocking, since
a funder's and an implementer's records of one effort are duplicates whatever their score.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from coordination.convergence.places import POINT, has_point, precision_of
from coordination.convergence.words import canonical_words
from coordination.records import InitiativeRecord

DUPLICATE, OVERLAP, PRESENCE = "duplicate", "overlap", "presence"
KINDS = (DUPLICATE, OVERLAP, PRESENCE)  # codes 0, 1, 2 in kind arrays
STORED = (DUPLICATE, OVERLAP)  # presence is never a stored pair

NEAR_IDENTICAL_TEXT = 0.9  # text component from which own texts say the same thing
SAME_TIME = 0.75  # time component: most of the shorter span shared
SAME_PLACE = 0.35  # place component: at least the same country
# Meaningful words a record's own text needs before near-identity can identify one effort:
# short texts ("hygiene kit distribution", "borehole drilling for rural households") are
# written alike by different organisations doing different work; a funder's and its
# implementer's reports of one grant share whole paragraphs.
RICH_WORDS = 25


def identifier_key(value: str | None) -> str | None:
    """An IATI identifier as compared: trimmed, upper case; None when blank."""
    key = (value or "").strip().upper()
    return key or None


def identifier_keys(record: InitiativeRecord) -> tuple[str | None, frozenset[str]]:
    """(own identifier key, keys of the identifiers the record refers to, minus its own)."""
    own = identifier_key(record.iati_identifier)
    refs = {identifier_key(v) for v in record.related_identifiers} - {None, own}
    return own, frozenset(refs)  # type: ignore[arg-type]


def identifiers_linked(a: InitiativeRecord, b: InitiativeRecord) -> bool:
    """True when one record names the other's identifier, or both carry the same one."""
    own_a, refs_a = identifier_keys(a)
    own_b, refs_b = identifier_keys(b)
    return bool(own_a and (own_a == own_b or own_a in refs_b)) or bool(own_b and own_b in refs_a)


def presence_only(record: InitiativeRecord) -> bool:
    """True when the record only says who works in which sector where: no text of its own and
    no precise place. It shows co-presence, not the same work for the same people. Dates do
    not change that: a 3W presence row's dates are its reporting period (or none)."""
    if record.own_text:
        return False
    return not any(has_point(p) and precision_of(p) == POINT for p in record.places)


def rich_text(record: InitiativeRecord) -> bool:
    """True when the record's own text is long enough to identify one effort."""
    if not record.own_text:
        return False
    return len(canonical_words(f"{record.title} {record.description}")) >= RICH_WORDS


def _flags(records: Sequence[InitiativeRecord], rows: np.ndarray, test) -> np.ndarray:
    """`test(record)` at `rows` (False elsewhere), as a boolean array over all records."""
    flags = np.zeros(len(records), bool)
    wanted = np.unique(rows).tolist()
    flags[wanted] = [test(records[i]) for i in wanted]
    return flags


def kind_codes(
    records: Sequence[InitiativeRecord], rows_a: np.ndarray, rows_b: np.ndarray,
    linked: np.ndarray, columns: dict[str, np.ndarray],
) -> np.ndarray:
    """Kind codes (index into KINDS) of the pairs (records[rows_a[k]], records[rows_b[k]]).

    Linked pairs are duplicates; so are near-identical own texts in the same place and
    time; otherwise a presence-only side makes the pair presence (its generated title is no
    text evidence); everything else is an overlap. Record tests run only on the rows that
    need them (the batch may hold a million records).
    """
    close = (columns["text"] >= NEAR_IDENTICAL_TEXT) & (columns["time"] >= SAME_TIME) \
        & (columns["place"] >= SAME_PLACE)
    rich = _flags(records, np.concatenate([rows_a[close], rows_b[close]]), rich_text)
    same_words = close & rich[rows_a] & rich[rows_b]
    presence = _flags(records, np.concatenate([rows_a, rows_b]), presence_only)
    codes = np.full(len(rows_a), KINDS.index(OVERLAP), np.int8)
    codes[(presence[rows_a] | presence[rows_b])] = KINDS.index(PRESENCE)
    codes[same_words | linked] = KINDS.index(DUPLICATE)
    return codes


def linked_row_pairs(records: Sequence[InitiativeRecord]) -> tuple[np.ndarray, np.ndarray]:
    """(rows a, rows b), a < b, of the record pairs of different organisations linked by
    IATI identifiers, in (a, b) order."""
    by_own: dict[str, list[int]] = {}
    keys = [identifier_keys(r) for r in records]
    for row, (own, _) in enumerate(keys):
        if own:
            by_own.setdefault(own, []).append(row)
    pairs = set()
    for row, (own, refs) in enumerate(keys):
        for ref in (own, *refs) if own else refs:
            for other in by_own.get(ref, ()):
                if other != row and records[other].organisation_id != records[row].organisation_id:
                    pairs.add((min(row, other), max(row, other)))
    ordered = sorted(pairs)
    rows_a = np.fromiter((a for a, _ in ordered), np.int64, len(ordered))
    rows_b = np.fromiter((b for _, b in ordered), np.int64, len(ordered))
    return rows_a, rows_b


def pair_member(rows_a: np.ndarray, rows_b: np.ndarray, of_a: np.ndarray, of_b: np.ndarray,
                n: int) -> np.ndarray:
    """For each pair (rows_a[k], rows_b[k]) whether it is one of the (of_a, of_b) pairs,
    in either order (rows < n)."""
    if not len(of_a) or not len(rows_a):
        return np.zeros(len(rows_a), bool)
    lo, hi = np.minimum(rows_a, rows_b).astype(np.int64), np.maximum(rows_a, rows_b).astype(np.int64)
    wanted = np.minimum(of_a, of_b).astype(np.int64) * n + np.maximum(of_a, of_b)
    return np.isin(lo * n + hi, wanted)


def linked_ids(record: InitiativeRecord, by_own: dict[str, set[int]],
               by_ref: dict[str, set[int]]) -> set[int]:
    """Ids linked to `record` by identifiers, from postings of own identifiers and references."""
    own, refs = identifier_keys(record)
    found: set[int] = set()
    for ref in (own, *refs) if own else refs:
        found |= by_own.get(ref, set())
    if own:
        found |= by_ref.get(own, set())
    found.discard(record.id)
    return found


def postings_add(record: InitiativeRecord, by_own: dict[str, set[int]],
                 by_ref: dict[str, set[int]]) -> None:
    """Index a record's own identifier and references."""
    own, refs = identifier_keys(record)
    for postings, keys in ((by_own, (own,) if own else ()), (by_ref, refs)):
        for key in keys:
            postings.setdefault(key, set()).add(record.id)


def postings_remove(record: InitiativeRecord, by_own: dict[str, set[int]],
                    by_ref: dict[str, set[int]]) -> None:
    """Forget a record's own identifier and references."""
    own, refs = identifier_keys(record)
    for postings, keys in ((by_own, (own,) if own else ()), (by_ref, refs)):
        for key in keys:
            ids = postings.get(key)
            if ids is not None:
                ids.discard(record.id)
                if not ids:
                    del postings[key]


def kind_names(codes: Iterable[int]) -> list[str]:
    """Kind names of kind codes."""
    return [KINDS[c] for c in codes]


def linked_mask(records: Sequence[InitiativeRecord], rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Whether each pair is linked by IATI identifiers (pair by pair: for a few pairs)."""
    return np.fromiter(
        (identifiers_linked(records[a], records[b]) for a, b in zip(rows_a.tolist(), rows_b.tolist())),
        bool, len(rows_a))


def describe_kind(kind: str, a: InitiativeRecord, b: InitiativeRecord) -> str:
    """The opening of an explanation: the kind in words, and for a duplicate the link."""
    if kind == PRESENCE:
        return "Co-presence: "
    if kind != DUPLICATE:
        return "Overlap: "
    own_a, refs_a = identifier_keys(a)
    own_b, refs_b = identifier_keys(b)
    if own_a and own_a == own_b:
        return f"Same effort reported twice (both publish IATI activity {a.iati_identifier.strip()}): "  # type: ignore[union-attr]
    for record, other_refs in ((a, refs_b), (b, refs_a)):
        own = identifier_key(record.iati_identifier)
        if own and own in other_refs:
            return ("Same effort reported twice (one report names the other's IATI activity "
                    f"{record.iati_identifier.strip()}): ")  # type: ignore[union-attr]
    return "Same effort reported twice (near-identical descriptions): "


def describe_text(a: InitiativeRecord, b: InitiativeRecord, text: float) -> str:
    """The text similarity, only when both sides wrote their own text (a generated title is
    no evidence)."""
    if a.own_text and b.own_text:
        return f"descriptions {round(100 * text)}% similar"
    if a.own_text or b.own_text:
        return "no description of its own on one side"
    return "no descriptions of their own"

"""Material fingerprints: a short hash that changes only when an initiative changes materially.

A dismissed pair is not suggested again unless one side changed materially. "Materially"
here means: a different set of goals, a place moved by more than about a kilometre or a
different area, dates moved to another month, or a different set of meaningful words in the
title and description. Case, accents, punctuation, word order, stopwords, plurals and the
language of a field word (agua/water) are not material; neither are tags, budget or partners.
"""
from __future__ import annotations

import hashlib
import json

from coordination.convergence.goals import normalise_code
from coordination.convergence.places import has_point, is_usable
from coordination.convergence.words import ascii_fold_cached, canonical_words
from coordination.records import InitiativeRecord, PlaceRecord

FINGERPRINT_VERSION = "1"


def material_fingerprint(record: InitiativeRecord) -> str:
    """A stable hex digest of what matters for overlaps in `record`."""
    payload = {
        "v": FINGERPRINT_VERSION,
        "goals": sorted({c for c in (normalise_code(g) for g in record.goals) if c}),
        "places": sorted({_place_key(p) for p in record.places if is_usable(p)}),
        "start": record.start.strftime("%Y-%m") if record.start else None,
        "end": record.end.strftime("%Y-%m") if record.end else None,
        "words": sorted(set(canonical_words(f"{record.title} {record.description}"))),
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def _place_key(place: PlaceRecord) -> str:
    """A place rounded to about a kilometre, with its areas folded."""
    areas = "|".join(ascii_fold_cached(v or "").strip() for v in (place.country, place.admin1, place.admin2))
    if has_point(place):
        return f"{areas}|{place.lat:.2f},{place.lon:.2f}"
    return areas

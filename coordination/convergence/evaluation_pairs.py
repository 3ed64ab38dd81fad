"""The blind evaluation pairs (`tests/data/eval_pairs/`): reading them and counting outcomes.

Each line of a pairs file is one labelled pair of initiatives of different organisations,
with a `kind` (paraphrase, far_apart, ...) and a `split` (`calibration`, the only part
anything may be tuned on, or `heldout`, only for reporting). This module is pure: it turns a
side into the input the registration service takes, and turns per-pair outcomes (found or
not, score) into TP/FP/FN/TN, precision, recall and F1 per split and per kind, the ROC AUC
of the raw score, and a score histogram. Registering the pairs on a database is
`coordination.services.pair_evaluation`'s.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

SPLITS = ("calibration", "heldout")
# The pairs' "exact" is a point at a named place; the platform calls that precision "point".
_PRECISION = {"exact": "point"}


def load_pairs(path: str | Path, split: str = "all") -> list[dict[str, Any]]:
    """The pairs of a JSON-lines file, of one split or all of them (file order)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    pairs = [json.loads(line) for line in lines if line.strip()]
    return [p for p in pairs if split == "all" or p["split"] == split]


def initiative_input(side: dict[str, Any]) -> dict[str, Any]:
    """A pair side as the body `register_initiative` takes (the organisation is the caller's)."""
    locations = [
        {"country": loc.get("country"), "admin1": loc.get("admin1"), "admin2": loc.get("admin2"),
         "name": loc.get("name"), "lat": loc.get("lat"), "lon": loc.get("lon"),
         "precision": _PRECISION.get(loc.get("precision"), loc.get("precision"))}
        for loc in side.get("locations") or ()
    ]
    return {
        "title": side["title"], "description": side.get("description") or "",
        "goals": list(side.get("goals") or ()), "tags": list(side.get("tags") or ()),
        "locations": locations, "start": side.get("start"), "end": side.get("end"),
        "language": side.get("language"), "provenance": side.get("provenance"),
    }


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the platform made of one labelled pair."""

    pair_id: str
    split: str
    kind: str
    overlap: bool  # the label
    found: bool  # an active stored overlap (kind overlap or duplicate) links the two sides
    score: float  # the engine's score of the pair, whether or not it was found
    link_kind: str | None = None  # the stored pair's kind when found
    same_organisation: bool = False  # both sides resolved to one organisation
    components: dict[str, float] = field(default_factory=dict)  # the score's components
    texts: tuple[str, str] = ("", "")  # the two sides' title and description, as stored


@dataclass(slots=True)
class Counts:
    """Confusion counts of a group of outcomes."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        if outcome.found:
            self.tp, self.fp = self.tp + outcome.overlap, self.fp + (not outcome.overlap)
        else:
            self.fn, self.tn = self.fn + outcome.overlap, self.tn + (not outcome.overlap)

    @property
    def n(self) -> int:
        """Number of pairs counted."""
        return self.tp + self.fp + self.fn + self.tn

    def figures(self) -> dict[str, float | int | None]:
        """Counts with precision, recall and F1 (None where undefined, e.g. no positives)."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = (2 * precision * recall / (precision + recall)
              if precision is not None and recall is not None and precision + recall else None)
        return {"n": self.n, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


@dataclass(slots=True)
class Report:
    """Figures of a set of outcomes: per split, per split and kind, and score quality."""

    splits: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return {"splits": self.splits}


def report(outcomes: Iterable[Outcome], bins: int = 10) -> Report:
    """Counts and figures per split (and over all pairs), per kind, with AUC and histogram."""
    outcomes = list(outcomes)
    result = Report()
    groups = {s: [o for o in outcomes if o.split == s] for s in SPLITS}
    groups["all"] = outcomes
    for split, members in groups.items():
        if not members:
            continue
        total = Counts()
        kinds: dict[str, Counts] = {}
        for o in members:
            total.add(o)
            kinds.setdefault(o.kind, Counts()).add(o)
        result.splits[split] = {
            **total.figures(),
            "auc": _round(auc([o.score for o in members], [o.overlap for o in members])),
            "kinds": {k: kinds[k].figures() for k in sorted(kinds)},
            "histogram": histogram(members, bins),
        }
    return result


def auc(scores: list[float], labels: list[bool]) -> float | None:
    """ROC AUC: the chance a random positive outscores a random negative (ties count half)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    pos, neg = s[y], s[~y]
    if not len(pos) or not len(neg):
        return None
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def histogram(outcomes: list[Outcome], bins: int) -> list[dict[str, Any]]:
    """Positives and negatives per score bin [k/bins, (k+1)/bins) (the last bin includes 1)."""
    rows = [{"from": round(k / bins, 3), "to": round((k + 1) / bins, 3), "positive": 0, "negative": 0}
            for k in range(bins)]
    for o in outcomes:
        k = min(bins - 1, max(0, int(o.score * bins)))
        rows[k]["positive" if o.overlap else "negative"] += 1
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)

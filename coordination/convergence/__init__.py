"""The convergence engine: finding initiatives that overlap, and what they add up to.

Pure Python on plain records (`coordination.records`): no Flask, no SQLAlchemy, no database.

    from coordination.convergence import OverlapIndex, find_all_overlaps, score_pair

- `score_pair(a, b)` scores one pair with explainable components (goal, place, time, text, tags).
- `OverlapIndex` finds the overlaps of one initiative against everything indexed.
- `find_all_overlaps(records)` finds every overlap at once; it agrees with the index.
- `material_fingerprint(record)` changes only when a record changes materially.
- `groups`, `fragmentation` and `network` turn overlaps into convergence groups, fragmentation
  cells and gaps, and the organisation network.
"""
from coordination.convergence.batch import find_all_overlaps
from coordination.convergence.config import OverlapConfig
from coordination.convergence.fingerprint import material_fingerprint
from coordination.convergence.index import OverlapIndex, fit_model
from coordination.convergence.overlap import OverlapFinding
from coordination.convergence.scoring import score_pair
from coordination.convergence.text_model import TextModel

__all__ = [
    "OverlapFinding",
    "OverlapConfig",
    "OverlapIndex",
    "TextModel",
    "find_all_overlaps",
    "fit_model",
    "material_fingerprint",
    "score_pair",
]

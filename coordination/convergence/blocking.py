"""Blocking: which pairs are worth scoring, without ever comparing all pairs.

A block is (place key, topic key). Two initiatives are candidates when they share a block in
which at least one of them is "wide":

- place keys: the 2 x 2 grid cells around each point (two points closer than one cell always
  share a cell), the admin-1 area, the country, and "anywhere" for initiatives with no place.
  Points are only members of their admin-1 area and country; an initiative known only to that
  area (or country, or nowhere) is wide there, so area-level work meets the points inside it
  but two points 300 km apart in one country never meet through the country.
- topic keys: goal families ("6") and the rarest words of the description, so initiatives
  without goals are still found through their text. Coarse places (country, anywhere) are
  blocked by words only: those blocks would be enormous by goal family.
- hot blocks: a block that held more than `hot_block_cap` initiatives in the fitted corpus is
  sub-blocked by rare words (block + word); a sub-block that is still hot is dropped. Hotness
  comes from the frozen model, never from the live index, so the candidate relation is a pure
  function of the pair and one-against-all finds exactly what all-against-all finds.

Keys are hashed to ints (within one process) to keep the postings small; a collision only
adds candidates, it never loses one.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from coordination.convergence.config import OverlapConfig
from coordination.convergence.features import RecordFeatures
from coordination.convergence.places import ADMIN1, ADMIN2, COUNTRY, grid_cells

PlaceKey = tuple[object, ...]


def place_keys(features: RecordFeatures, config: OverlapConfig) -> dict[PlaceKey, bool]:
    """Place keys of an initiative, each with whether it is wide there."""
    keys: dict[PlaceKey, bool] = {}

    def put(key: PlaceKey, wide: bool) -> None:
        keys[key] = keys.get(key, False) or wide

    for lat, lon, level, country, admin1, _admin2 in features.places:
        point = level <= ADMIN2 and not math.isnan(lat)  # nan: the place has no point
        if point:
            for cell in grid_cells(lat, lon, config.cell_degrees):
                put(("g", *cell), True)
        if admin1:
            put(("a", int(admin1)), not point and level <= ADMIN1)
        if country:
            put(("c", int(country)), not point and (level == COUNTRY or not admin1))
    if not features.places:
        put(("*",), True)
    else:
        put(("*",), False)
    return keys


def _topics(features: RecordFeatures, coarse: bool) -> list[tuple[str, object]]:
    """Topic keys: goal families (fine places only) and rare words."""
    topics: list[tuple[str, object]] = [("w", word) for word in features.key_words]
    if not coarse:
        topics += [("f", n) for n in range(1, 32) if features.fam >> n & 1]
    return topics


def block_keys(
    features: RecordFeatures, config: OverlapConfig, hot: frozenset[int]
) -> dict[int, bool]:
    """Hashed block keys of an initiative with its wide flag, after hot-block sub-blocking."""
    blocks: dict[int, bool] = {}
    words = features.key_words
    for pkey, wide in place_keys(features, config).items():
        for topic in _topics(features, coarse=pkey[0] in ("c", "*")):
            key = hash((pkey, topic))
            if key in hot:
                for word in words:
                    if topic != ("w", word):
                        sub = hash((pkey, topic, word))
                        if sub not in hot:
                            blocks[sub] = blocks.get(sub, False) or wide
            else:
                blocks[key] = blocks.get(key, False) or wide
    return blocks


def fit_hot_blocks(features: Iterable[RecordFeatures], config: OverlapConfig) -> frozenset[int]:
    """Blocks (and sub-blocks) holding more than `hot_block_cap` initiatives of a corpus."""
    features = list(features)
    base: Counter[int] = Counter()
    for f in features:
        base.update(block_keys(f, config, frozenset()))
    hot = {key for key, count in base.items() if count > config.hot_block_cap}
    del base
    if not hot:
        return frozenset()
    first = frozenset(hot)
    sub: Counter[int] = Counter()
    for f in features:
        sub.update(k for k in block_keys(f, config, first) if k not in first)
    # Only the sub-keys born of hot blocks can be hot here; plain keys were counted above.
    hot |= {key for key, count in sub.items() if count > config.hot_block_cap}
    return frozenset(hot)

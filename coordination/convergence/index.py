"""The overlap index: one initiative against everything registered, in milliseconds.

Holds the features of every indexed initiative and postings from block keys to initiatives:
a bulk part (sorted numpy arrays of key, id, wide, rebuilt by `add_many`) and a small dict
part for initiatives added one by one since. Ids removed or replaced since the bulk build
are "stale" there and skipped, so the candidate relation stays exactly that of the batch.
A query gathers candidates from its blocks, drops its own organisation and initiatives not
active at the same time, and scores the rest in one numpy batch; initiatives linked to it by
IATI identifiers (postings of own identifiers and references) are scored whatever their
score, and every pair is classified by kind as in the batch (presence-only pairs dropped).
The text model is frozen (see `text_model`), so what the index finds equals what
`find_all_overlaps` finds.
"""
from __future__ import annotations

import numpy as np

from coordination.convergence.blocking import block_keys, fit_hot_blocks, table_blocks
from coordination.convergence.config import OverlapConfig
from coordination.convergence.explain import FoundPairs
from coordination.convergence.features import FeatureTable, RecordFeatures, featurise
from coordination.convergence.kinds import (
    PRESENCE,
    linked_ids,
    postings_add,
    postings_remove,
)
from coordination.convergence.overlap import OverlapFinding
from coordination.convergence.scoring import score_candidates, score_rows
from coordination.convergence.text_model import TextModel
from coordination.records import InitiativeRecord

INDEX_CHUNK = 8_192  # records featurised and cut into per-record features at once (`_featurised`)


class OverlapIndex:
    """Incremental overlap detection over a changing set of initiatives."""

    def __init__(self, config: OverlapConfig | None = None, text_model: TextModel | None = None):
        """An empty index scoring with `config` and the frozen `text_model`."""
        self.config = config or OverlapConfig()
        self.model = text_model or TextModel.reference(self.config.hash_bits, self.config.char_ngram)
        self._records: dict[int, InitiativeRecord] = {}
        self._features: dict[int, RecordFeatures] = {}
        self._members: dict[int, list[int]] = {}
        self._wide: dict[int, list[int]] = {}
        self._by_identifier: dict[str, set[int]] = {}  # own IATI identifier key -> ids
        self._by_reference: dict[str, set[int]] = {}  # referenced identifier key -> ids
        self._clear_bulk()

    def _clear_bulk(self) -> None:
        self._bulk_keys = np.zeros(0, np.int64)
        self._bulk_ids = np.zeros(0, np.int64)
        self._bulk_wide = np.zeros(0, bool)
        self._stale: set[int] = set()

    def __len__(self) -> int:
        """Number of indexed initiatives."""
        return len(self._records)

    def __contains__(self, initiative_id: object) -> bool:
        """True when the initiative is indexed."""
        return initiative_id in self._records

    def add(self, record: InitiativeRecord) -> None:
        """Index an initiative (replacing the indexed version if its id is known)."""
        self.add_few([record])

    def add_few(self, records: list[InitiativeRecord]) -> None:
        """Index a few initiatives: featurised together (as `add_many` does), posted one by one
        as `add` does (`add_many` rebuilds the whole bulk postings: for a large batch)."""
        latest = list({r.id: r for r in records}.values())
        for record in latest:
            if record.id in self._records:
                self.remove(record.id)
        features = featurise(latest, self.model, self.config.key_tokens)[0] if latest else []
        for record, f in zip(latest, features, strict=True):
            self._records[record.id] = record
            self._features[record.id] = f
            postings_add(record, self._by_identifier, self._by_reference)
            for key, wide in self._keys(f).items():
                self._members.setdefault(key, []).append(record.id)
                if wide:
                    self._wide.setdefault(key, []).append(record.id)

    def add_many(self, records: list[InitiativeRecord], table: FeatureTable | None = None) -> None:
        """Index many initiatives at once (same result as `add` one by one, much faster).

        `table`: the `FeatureTable` already built of exactly these records, in this order,
        with this index's model and key tokens (a batch detection's own), so it is not built twice.
        """
        latest = list({r.id: r for r in records}.values())
        for record in latest:
            if record.id in self._records:
                self.remove(record.id)
        if table is None or len(latest) != len(records) or table.n != len(latest):
            features, new_keys, new_ids, new_wide = self._featurised(latest)
        else:
            features = table.record_features()
            new_keys, new_ids, new_wide = self._entries(table)
        for record, f in zip(latest, features, strict=True):
            self._records[record.id] = record
            self._features[record.id] = f
            postings_add(record, self._by_identifier, self._by_reference)
        # The bulk postings again: the old bulk (minus stale ids, already sorted by key) with the
        # dict part and the new records' entries merged in. Sorting only what is added keeps an
        # import into a platform of 1M initiatives from re-sorting its ~45M postings each time.
        if self._stale:
            keep = ~np.isin(self._bulk_ids, np.fromiter(self._stale, np.int64, len(self._stale)))
            old = (self._bulk_keys[keep], self._bulk_ids[keep], self._bulk_wide[keep])
        else:
            old = (self._bulk_keys, self._bulk_ids, self._bulk_wide)
        # What is added is built one array at a time, each temporary let go once used: an
        # import's ~40 entries per initiative are its largest arrays when the index takes it.
        if self._members:
            keys, ids, wide = [], [], []
            wide_pairs = {(k, i) for k, posting in self._wide.items() for i in posting}
            for key, posting in self._members.items():
                keys.append(np.full(len(posting), key, np.int64))
                ids.append(np.asarray(posting, np.int64))
                wide.append(np.fromiter(((key, i) in wide_pairs for i in posting), bool, len(posting)))
            keys.append(new_keys)
            ids.append(new_ids)
            wide.append(new_wide)
            # Entries may repeat a (key, id): the lookup ORs wide flags and deduplicates ids.
            new_keys, new_ids, new_wide = np.concatenate(keys), np.concatenate(ids), np.concatenate(wide)
            del keys, ids, wide
        order = np.argsort(new_keys, kind="stable")
        new_keys = new_keys[order]
        new_ids = new_ids[order]
        new_wide = new_wide[order]
        del order
        added = (new_keys, new_ids, new_wide)
        del new_keys, new_ids, new_wide
        self._bulk_keys, self._bulk_ids, self._bulk_wide = _merged(old, added)
        self._members.clear()
        self._wide.clear()
        self._stale = set()

    def _featurised(self, records: list[InitiativeRecord]) -> tuple[list[RecordFeatures], np.ndarray, np.ndarray, np.ndarray]:
        """(features, block keys, ids, wide flags) of records not featurised yet, `INDEX_CHUNK`
        at a time: each chunk's table is let go once cut into features (which keep views of
        its text vectors), so building the index of everything stored (a process's first
        request, a command's first import) holds a chunk's temporaries, not a table of all
        and its copy."""
        features: list[RecordFeatures] = []
        keys, ids, wide = [], [], []
        for start in range(0, len(records), INDEX_CHUNK):
            table = FeatureTable.from_records(records[start : start + INDEX_CHUNK], self.model,
                                              self.config.key_tokens)
            features.extend(table.record_features())
            chunk_keys, chunk_ids, chunk_wide = self._entries(table)
            keys.append(chunk_keys)
            ids.append(chunk_ids)
            wide.append(chunk_wide)
            del table
        if not keys:
            empty = np.zeros(0, np.int64)
            return features, empty, empty, np.zeros(0, bool)
        all_keys = np.concatenate(keys)
        keys.clear()
        all_ids = np.concatenate(ids)
        ids.clear()
        return features, all_keys, all_ids, np.concatenate(wide)

    def _entries(self, table: FeatureTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(block key, initiative id, wide flag) of every posting of a table's rows, unsorted."""
        rows, keys, wide = table_blocks(table, self.config, self.model.hot_blocks)
        return keys, table.ids[rows], wide

    def remove(self, initiative_id: int) -> None:
        """Forget an initiative; unknown ids are ignored."""
        features = self._features.pop(initiative_id, None)
        if features is None:
            return
        postings_remove(self._records.pop(initiative_id), self._by_identifier, self._by_reference)
        self._stale.add(initiative_id)
        for key, wide in self._keys(features).items():
            _discard(self._members, key, initiative_id)
            if wide:
                _discard(self._wide, key, initiative_id)

    def update(self, record: InitiativeRecord) -> None:
        """Replace the indexed version of an initiative."""
        self.add(record)

    def candidates(self, record: InitiativeRecord) -> list[int]:
        """Ids sharing a block with `record`, of another organisation, active at the same time."""
        return [f.id for f in self._candidate_features(self._featurise(record))]

    def find_overlaps(self, record: InitiativeRecord) -> list[OverlapFinding]:
        """Overlaps of `record` (indexed or not) with indexed initiatives, best first."""
        # The record just indexed (a write adds, then looks): its features are already worked out.
        indexed = self._records.get(record.id) is record
        query = self._features[record.id] if indexed else self._featurise(record)
        others = self._candidate_features(query)
        linked = {i for i in linked_ids(record, self._by_identifier, self._by_reference)
                  if self._records[i].organisation_id != record.organisation_id}
        if not others and not linked:
            return []
        table = FeatureTable([query, *others], self.config.hash_bits)
        rows_b = np.arange(1, len(others) + 1)
        rows_a = np.zeros(len(others), np.int64)
        kept, scores, columns = score_candidates(table, rows_a, rows_b, self.config)
        ids = [others[k].id for k in kept.tolist()]
        extra = sorted(linked - set(ids))
        if extra:  # linked pairs count whatever their score
            table = FeatureTable([query, *(self._features[i] for i in extra)], self.config.hash_bits)
            more, more_columns = score_rows(table, np.zeros(len(extra), np.int64),
                                            np.arange(1, len(extra) + 1), self.config)
            ids += extra
            scores = np.concatenate([scores, more])
            columns = {name: np.concatenate([columns[name], more_columns[name]]) for name in columns}
        records = [record, *(self._records[i] for i in ids)]
        rows = np.arange(1, len(records))
        lower = np.fromiter((r.id > record.id for r in records[1:]), bool, len(rows))
        is_linked = np.fromiter((i in linked for i in ids), bool, len(ids))
        source = FoundPairs(records, np.where(lower, 0, rows), np.where(lower, rows, 0), columns,
                            linked=is_linked)
        found = source.overlaps(np.round(scores, 4).tolist())
        found = [o for o in found if o.kind != PRESENCE]
        found.sort(key=lambda o: (-o.score, o.a_id, o.b_id))
        return found

    def refit(self) -> TextModel:
        """Fit a new frozen model on the indexed corpus and re-index everything with it.

        Scores change with the model, so the caller re-runs `find_all_overlaps` with the
        returned model afterwards to keep stored overlaps consistent.
        """
        records = list(self._records.values())
        self.model = fit_model(records, self.config)
        self._records.clear()
        self._features.clear()
        self._members.clear()
        self._wide.clear()
        self._by_identifier.clear()
        self._by_reference.clear()
        self._clear_bulk()
        self.add_many(records)
        return self.model

    def posted(self, keys: np.ndarray, wide: np.ndarray) -> set[int]:
        """Ids of the indexed initiatives in the blocks `keys` (each once) that pair with a
        member whose flag is `wide`: all members of a block for a wide one, its wide members else."""
        seen: set[int] = set()
        for key, is_wide in zip(keys.tolist(), wide.tolist(), strict=True):
            seen.update((self._members if is_wide else self._wide).get(key, ()))
        if len(self._bulk_keys):
            lo = np.searchsorted(self._bulk_keys, keys, side="left")
            hi = np.searchsorted(self._bulk_keys, keys, side="right")
            spans = hi - lo
            pos = np.repeat(lo - np.cumsum(spans) + spans, spans) + np.arange(int(spans.sum()))
            ok = np.repeat(wide, spans) | self._bulk_wide[pos]
            found = np.unique(self._bulk_ids[pos[ok]]).tolist()
            stale = self._stale
            seen.update(i for i in found if i not in stale) if stale else seen.update(found)
        return seen

    def _featurise(self, record: InitiativeRecord) -> RecordFeatures:
        """Features of a record under this index's model."""
        return featurise([record], self.model, self.config.key_tokens)[0][0]

    def _keys(self, features: RecordFeatures) -> dict[int, bool]:
        """Block keys of indexed features."""
        return block_keys(features, self.config, self.model.hot_blocks)

    def _candidate_features(self, query: RecordFeatures) -> list[RecordFeatures]:
        """Features of the candidates of `query`, in id order."""
        keys = self._keys(query)
        seen = self.posted(np.fromiter(keys, np.int64, len(keys)), np.fromiter(keys.values(), bool, len(keys)))
        seen.discard(query.id)
        found = []
        features = self._features
        for other_id in sorted(seen):
            other = features[other_id]
            if other.org != query.org and query.active_during(other):
                found.append(other)
        return found


def _merged(old: tuple[np.ndarray, ...], added: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Two sets of parallel (keys, ids, wide) arrays, each sorted by key, as one sorted by key
    (without sorting again: 45M entries and 180,000 added, ~0.3 s instead of ~3 s)."""
    if not len(old[0]):
        return added
    if not len(added[0]):
        return old
    total = len(old[0]) + len(added[0])
    at = np.searchsorted(old[0], added[0], side="right") + np.arange(len(added[0]))
    from_old = np.ones(total, bool)
    from_old[at] = False
    out = []
    for before, more in zip(old, added, strict=True):
        both = np.empty(total, before.dtype)
        both[at] = more
        both[from_old] = before
        out.append(both)
    return tuple(out)


def _discard(postings: dict[int, list[int]], key: int, initiative_id: int) -> None:
    """Remove one id from a posting list, dropping the list when it empties."""
    ids = postings.get(key)
    if ids is None:
        return
    try:
        ids.remove(initiative_id)
    except ValueError:
        return
    if not ids:
        del postings[key]


def fit_model(records: list[InitiativeRecord], config: OverlapConfig) -> TextModel:
    """A frozen model fitted on `records`: IDF of their text and their hot blocks."""
    model = TextModel.fit(
        (f"{r.title} {r.description}" for r in records), config.hash_bits, config.char_ngram
    )
    table = FeatureTable.from_records(records, model, config.key_tokens)
    return model.with_hot_blocks(fit_hot_blocks(table, config))

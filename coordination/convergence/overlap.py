"""The overlap: a scored pair of initiatives of different organisations.

Two overlaps are equal when they name the same pair with the same score and link kind
(`kinds`: a duplicate report or an overlap); components and explanation are carried along but
do not take part in equality or hashing.

Explanations (and the components dict) are built lazily: the batch finds hundreds of
thousands of overlaps and building a sentence for each took a third of its time, while a
caller only reads the explanations of the pairs it stores or shows. `overlap.explanation`
computes the sentence on first access from the two records it was found with, and caches it;
the result is exactly what an eager build gave. A lazy overlap holds a shared `OverlapSource`
(the records and component columns of a whole batch) and its position in it, so a batch of
millions of overlaps costs one small object each.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import closing
from typing import Protocol

from coordination.convergence.beside import map_beside, map_shared


class OverlapSource(Protocol):
    """Where lazy overlaps get their components and explanation, by position."""

    def components(self, k: int) -> dict[str, float]:
        """Component values of overlap `k`, rounded as stored."""
        ...

    def explanation(self, k: int) -> str:
        """The explanation of overlap `k`."""
        ...


class OverlapFinding:
    """A scored pair of initiatives (a_id < b_id) with its components and explanation.

    Build one as `OverlapFinding(a_id, b_id, score, components, explanation)`; engine code passes
    `source=..., k=...` instead so both are computed on demand (see `OverlapSource`).
    """

    __slots__ = ("_components", "_explanation", "_k", "_source", "a_id", "b_id", "kind", "score")

    def __init__(
        self,
        a_id: int,
        b_id: int,
        score: float,
        components: dict[str, float] | None = None,
        explanation: str | None = None,
        *,
        source: OverlapSource | None = None,
        k: int = 0,
        kind: str = "overlap",
    ) -> None:
        """A scored pair; `source` supplies components and explanation when first read."""
        self.a_id = a_id
        self.b_id = b_id
        self.score = score
        self.kind = kind
        lazy = source is not None
        self._components = components if components is not None or lazy else {}
        self._explanation = explanation if explanation is not None or lazy else ""
        self._source = source
        self._k = k

    @classmethod
    def lazy_many(
        cls, a_ids: list[int], b_ids: list[int], scores: list[float], source: OverlapSource,
        kinds: list[str],
    ) -> list[OverlapFinding]:
        """Lazy overlaps of positions 0..n-1 of `source` (the batch's fast path)."""
        new = cls.__new__
        found = []
        append = found.append
        for k, (a_id, b_id, score, kind) in enumerate(zip(a_ids, b_ids, scores, kinds, strict=True)):
            o = new(cls)
            o.a_id, o.b_id, o.score, o.kind = a_id, b_id, score, kind
            o._components = o._explanation = None
            o._source, o._k = source, k
            append(o)
        return found

    @property
    def components(self) -> dict[str, float]:
        """Component values in [0, 1] by name (goal, place, time, text, tags)."""
        if self._components is None:
            self._components = self._source.components(self._k)  # type: ignore[union-attr]
            if self._explanation is not None:
                self._source = None
        return self._components

    @property
    def explanation(self) -> str:
        """One plain sentence saying why the two initiatives were matched."""
        if self._explanation is None:
            self._explanation = self._source.explanation(self._k)  # type: ignore[union-attr]
            self.components  # noqa: B018 - build it too, then drop the source
            self._source = None
        return self._explanation

    @property
    def pair(self) -> tuple[int, int]:
        """The (a_id, b_id) key of the pair."""
        return (self.a_id, self.b_id)

    def _key(self) -> tuple[int, int, float, str]:
        return (self.a_id, self.b_id, self.score, self.kind)

    def __eq__(self, other: object) -> bool:
        """Same pair, same score, same kind."""
        if other.__class__ is not OverlapFinding:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        """Hash of (a_id, b_id, score, kind)."""
        return hash(self._key())

    def __repr__(self) -> str:
        """OverlapFinding(a_id=.., b_id=.., score=.., kind=..)."""
        return f"OverlapFinding(a_id={self.a_id}, b_id={self.b_id}, score={self.score}, kind={self.kind!r})"


# Lazy overlaps from which a forked helper process explains them while they are stored:
# below it, forking and sending the sentences back cost about what the helper saves.
EXPLAINED_BESIDE_FROM = 8_000


def explained_chunks(overlaps: Sequence[OverlapFinding], size: int, share: bool = False
                     ) -> Iterator[list[tuple[OverlapFinding, str, dict[str, float]]]]:
    """`overlaps` in chunks of `size`, each overlap as (overlap, explanation, components): the
    sentence and values its first read would build. A lazy overlap is left lazy (nothing is
    cached on it), so a caller that stores a chunk and lets it go holds one chunk's sentences
    at a time, however many overlaps there are. From `EXPLAINED_BESIDE_FROM` lazy ones, a
    forked helper process builds them chunk after chunk (`beside.map_beside`), so the caller
    stores one chunk while the next is explained; with `share` (a caller with nothing else to
    do meanwhile) it builds every other chunk and this process those between
    (`beside.map_shared`); below, they are built here as each chunk is asked for."""
    chunks = [overlaps[start:start + size] for start in range(0, len(overlaps), size)]
    if sum(o._source is not None for o in overlaps) < EXPLAINED_BESIDE_FROM:
        for chunk in chunks:
            yield _paired(chunk, _explain(chunk))
        return
    with closing((map_shared if share else map_beside)(_explain, chunks)) as answers:
        for chunk, answer in zip(chunks, answers, strict=True):
            yield _paired(chunk, answer)


def _paired(chunk: Sequence[OverlapFinding], answer: list[tuple[str, dict[str, float]]]
            ) -> list[tuple[OverlapFinding, str, dict[str, float]]]:
    return [(o, explanation, components) for o, (explanation, components) in zip(chunk, answer, strict=True)]


def _explain(overlaps: Sequence[OverlapFinding]) -> list[tuple[str, dict[str, float]]]:
    """(explanation, components) of overlaps, in order; a lazy one's built without caching them on it."""
    return [(o._source.explanation(o._k), o._source.components(o._k)) if o._source is not None
            else (o.explanation, o.components) for o in overlaps]

"""Goals scored for a batch of texts are those `suggest_goals` gives each text alone.

`suggest.batch.confident_goals` builds the same TF-IDF features as a sparse matrix for many
texts and scores them in one product; what it answers must be what applying the confident
goals of `suggest_goals` answers, text by text, with the same scores and order.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coordination.suggest import batch as batch_module
from coordination.suggest import load_model, suggest_goals
from coordination.suggest.batch import confident_goals, feature_matrix


@pytest.fixture(autouse=True)
def _nothing_remembered():
    """Each test scores its texts itself (`confident_goals` remembers the answers it gave)."""
    batch_module._known.clear()
    yield
    batch_module._known.clear()

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "suggest_heldout.json"
EXTRA = [
    ("Forages et pompes manuelles pour l'accès à l'eau potable", "Réhabilitation des points d'eau", []),
    ("Agua potable y saneamiento en Copán", "Letrinas y lavado de manos en escuelas", ["WASH"]),
    ("COVID-19 response", "", []),
    ("", "", []),
    ("Ǆ ß ﬁ Éé ñ’ İ", "école santé", ["Santé"]),
]


def _items() -> list[tuple[str, str, list[str]]]:
    texts = [item["text"] for item in json.loads(SAMPLE.read_text(encoding="utf-8"))["items"]]
    return [(text[:120], text, []) for text in texts] + EXTRA


def test_the_batch_gives_each_text_the_confident_goals_suggest_goals_gives_it_alone():
    items = _items()
    alone = [{g.code: g.score for g in suggest_goals(*item).goals if g.confident} for item in items]
    batch = confident_goals(items)
    assert [list(b.items()) for b in batch] == [list(a.items()) for a in alone]
    assert sum(1 for a in alone if a) >= 5  # the sample has confident goals to compare


def test_a_text_scores_the_same_in_a_batch_of_one():
    items = _items()[:40]
    alone = []
    for item in items:
        batch_module._known.clear()
        alone.append(confident_goals([item])[0])
    batch_module._known.clear()
    assert alone == confident_goals(items)


def test_a_repeated_text_is_scored_once_and_answered_the_same(monkeypatch):
    items = _items()[:30]
    first = confident_goals(items)
    scored = []
    real = batch_module._score_texts
    monkeypatch.setattr(batch_module, "_score_texts", lambda texts, model: scored.extend(texts) or real(texts, model))
    again = confident_goals([*items[10:], *items[:10], items[3], ("Water wells", "", [])])
    assert again[:30] == [*first[10:], *first[:10]] and again[30] == first[3]
    assert scored == [("Water wells", "", [])]  # only the new text was scored
    again[0]["new"] = 1.0  # an answer is the caller's own copy
    assert "new" not in confident_goals([items[10]])[0]


def test_the_feature_rows_are_the_vectoriser_s_vectors():
    model = load_model()
    texts = [text for text, _, _ in _items()[:30]]
    matrix, known = feature_matrix(texts)
    for row, text in enumerate(texts):
        indices, values = model.vectoriser.transform_one(text)
        order = np.argsort(indices)
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        assert list(matrix.indices[start:end]) == list(indices[order])
        assert np.allclose(matrix.data[start:end], values[order], rtol=1e-12, atol=0)
        assert known[row] == model.known_words(indices)

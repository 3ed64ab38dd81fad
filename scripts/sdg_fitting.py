"""Fitting the SDG suggester: the TF-IDF matrix, one logistic regression per goal, calibration
(out-of-fold logits, Platt scaling, thresholds) and the target prototypes.

Used by `train_sdg_model.py`; needs scikit-learn (training only).
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import sdg_training_data as data
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from coordination.suggest.evaluation import GOALS, goal_report
from coordination.suggest.features import Vectoriser

SEED = 13
C = 2.0


def matrix(vectoriser: Vectoriser, counted: list) -> sparse.csr_matrix:
    """Stack the vectors of pre-counted texts into a CSR matrix."""
    rows, cols, vals = [], [], []
    for r, counts in enumerate(counted):
        indices, values = vectoriser.transform_counts(*counts)
        rows += [r] * len(indices)
        cols += indices.tolist()
        vals += values.tolist()
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(counted), vectoriser.size))


def labels(docs: list[data.Doc]) -> np.ndarray:
    return np.array([[g in d.goals for g in GOALS] for d in docs], dtype=np.int8)


def fit_goals(x: sparse.csr_matrix, y: np.ndarray, weight: np.ndarray):
    """One logistic regression per goal; positives up-weighted by sqrt(neg/pos)."""
    fits = Parallel(n_jobs=2)(delayed(_fit_one)(x, y[:, j], weight) for j in range(len(GOALS)))
    coef = np.column_stack([c for c, _ in fits])
    bias = np.array([b for _, b in fits])
    return coef, bias


def _fit_one(x, yj, weight):
    pos = yj == 1
    boost = np.sqrt((~pos).sum() / max(pos.sum(), 1))
    clf = LogisticRegression(C=C, solver="liblinear", max_iter=500)
    clf.fit(x, yj, sample_weight=weight * np.where(pos, boost, 1.0))
    return clf.coef_[0], clf.intercept_[0]


def out_of_fold_logits(x, y, weight, labelled_idx, folds=5):
    """Logits of each held-in labelled document from a model that did not see it."""
    rng = np.random.default_rng(SEED)
    order = rng.permutation(labelled_idx)
    logits = np.zeros((len(order), len(GOALS)))
    position = {i: k for k, i in enumerate(order)}
    for f in range(folds):
        held = order[f::folds]
        keep = np.setdiff1d(np.arange(x.shape[0]), held)
        coef, bias = fit_goals(x[keep], y[keep], weight[keep])
        logits[[position[i] for i in held]] = x[held] @ coef + bias
        print(f"  fold {f + 1}/{folds} done", flush=True)
    return order, logits


def fit_platt(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """One global sigmoid(a·logit + b) over all goals."""
    clf = LogisticRegression(C=100.0)
    clf.fit(logits.reshape(-1, 1), y.reshape(-1))
    return float(clf.coef_[0, 0]), float(clf.intercept_[0])


def best_threshold(gold, scores, grid) -> float:
    """The predicted-set threshold with the best macro F1."""
    return max(grid, key=lambda t: goal_report(gold, scores, t).macro["f1"])


def precision_threshold(scores, y, target=0.9, min_hits=30) -> float:
    """Lowest score threshold whose pooled precision is at least `target`."""
    flat_s, flat_y = scores.reshape(-1), y.reshape(-1)
    for t in np.arange(0.30, 0.995, 0.01):
        hit = flat_s >= t
        if hit.sum() >= min_hits and flat_y[hit].mean() >= target:
            return float(round(t, 2))
    return 1.01


def prototypes(vectoriser: Vectoriser, docs: list[data.Doc], codes: list[str], skip_sources: set[str],
               keep: int = 400):
    """Per target: the normalised sum of its documents' vectors (but those of `skip_sources`),
    pruned to `keep` features."""
    column = {c: i for i, c in enumerate(codes)}
    acc = defaultdict(lambda: defaultdict(float))
    for doc in docs:
        if not doc.targets or doc.source in skip_sources:
            continue
        indices, values = vectoriser.transform_one(doc.text)
        for code in doc.targets & column.keys():
            for i, v in zip(indices.tolist(), values.tolist()):
                acc[code][i] += v / len(doc.targets)
    rows, cols, vals = [], [], []
    for code, vec in acc.items():
        items = sorted(vec.items(), key=lambda kv: -kv[1])[:keep]
        norm = np.sqrt(sum(v * v for _, v in items))
        for i, v in items:
            rows.append(i)
            cols.append(column[code])
            vals.append(v / norm)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(vectoriser.size, len(codes)))


def target_hits(rankings: list[list[str]], gold: list[set[str]], ks=(1, 3, 5, 10)) -> dict:
    """Share of texts with at least one gold target in the top k."""
    return {k: float(np.mean([bool(set(r[:k]) & g) for r, g in zip(rankings, gold)])) for k in ks}


def model_target_rankings(model, docs) -> list[list[str]]:
    out = []
    for doc in docs:
        indices, values = model.vector(doc.text)
        scores = model.target_scores(indices, values, model.goal_scores(indices, values))
        out.append([model.target_codes[i] for i in np.argsort(-scores)])
    return out

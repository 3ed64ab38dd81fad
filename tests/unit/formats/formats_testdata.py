"""Shared paths for the format tests: local test files and the real shared data."""
from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "formats"
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"


def shared_file(relative: str) -> Path:
    """Return a file of ../shared/data, skipping the test when it is not there."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared data file {relative} is not available")
    return path

"""Paths for the format tests: the files under tests/data, all inside the repository."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS_DATA = Path(__file__).resolve().parents[2] / "data"
DATA = TESTS_DATA / "formats"
REAL = TESTS_DATA / "real"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")  # the rule of tests/backends.py


def data_file(relative: str) -> Path:
    """A file under tests/data; a missing one skips the test on a laptop but fails it under CI=true."""
    path = TESTS_DATA / relative
    if not path.exists():
        message = f"test data file tests/data/{relative} is missing"
        if IN_CI:
            pytest.fail(message + " (CI=true: every test must find its data)")
        pytest.skip(message)
    return path

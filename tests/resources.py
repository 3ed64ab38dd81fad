"""What the tests need from outside Python, and the CI rule for when it is missing.

On a laptop a missing resource (a data file, Chromium, PostgreSQL, openssl) skips the test and
says why; under CI=true the same test fails instead, so CI never passes by running less.
Every data file the tests read lives under tests/data (sources and licences in its SOURCES.md
files), inside the repository: nothing is read from ../shared or any other path outside it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ROOT = Path(__file__).resolve().parents[1]


def missing(reason: str) -> None:
    """Skip the test because `reason`; under CI=true, fail it instead."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: every test must run)")
    pytest.skip(reason)


def require_resource(path: Path) -> Path:
    """`path`, which must exist and lie inside the repository (see `missing` when it does not)."""
    path = Path(path).resolve()
    if not path.is_relative_to(ROOT):
        pytest.fail(f"{path} lies outside the repository; copy what the test needs into tests/data")
    if not path.exists():
        missing(f"{path.relative_to(ROOT)} is missing")
    return path

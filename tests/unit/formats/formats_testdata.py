"""Paths for the format tests: the files under tests/data, all inside the repository."""
from __future__ import annotations

import io
from pathlib import Path

from tests.resources import require_resource

TESTS_DATA = Path(__file__).resolve().parents[2] / "data"
DATA = TESTS_DATA / "formats"
REAL = TESTS_DATA / "real"


def data_file(relative: str) -> Path:
    """A file under tests/data; a missing one skips the test on a laptop but fails it under CI=true."""
    return require_resource(TESTS_DATA / relative)


def csv_file(text: str, name: str = "t.csv", encoding: str = "utf-8") -> io.BytesIO:
    """`text` as an uploaded file named `name`, in `encoding`."""
    data = io.BytesIO(text.encode(encoding))
    data.name = name
    return data

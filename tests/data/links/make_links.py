"""Rebuild tests/data/links from the full reference data (a maintainer's tool; no test runs it).

    python tests/data/links/make_links.py /path/to/shared/data

Each file is a byte-identical selection of whole `<iati-activity>` elements of its source, under
the source's own prolog and closing tag (`tests/data/real/make_extracts.py`'s `iati_extract`).
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_extracts", HERE.parent / "real" / "make_extracts.py")
make_extracts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_extracts)  # type: ignore[union-attr]

# (source under shared/data, file written here, 0-based index of the activity kept)
EXTRACTS = [
    ("iati/dportal-ocha-iati-viz/covid_input_dportal.xml", "fcdo_h2h_covid_input_dportal_excerpt.xml", 303),
    ("iati/dportal-ocha-iati-viz/saved_data/dportal_15.xml", "drc_h2h_dportal_15_excerpt.xml", 42),
]


def main(shared: Path) -> None:
    for source, target, index in EXTRACTS:
        data = (shared / source).read_bytes()
        (HERE / target).write_bytes(make_extracts.iati_extract(data, [(index, index + 1)]))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

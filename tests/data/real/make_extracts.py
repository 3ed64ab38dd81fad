"""Rebuild tests/data/real from the full reference data (a maintainer's tool; no test runs it).

    python tests/data/real/make_extracts.py /path/to/shared/data

Every file written here is either a byte-identical copy or a byte-identical selection of whole
records (CSV rows, IATI activities) of the file it comes from, in file order; SOURCES.md says which.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (source under shared/data, file written under tests/data/real)
COPIES = [
    ("iati/dportal-ocha-iati-viz/foodsecurity_input_dportal.xml", "iati/foodsecurity_input_dportal.xml"),
    ("iati/legacy-2.01/MAEC_IATI_INDONESIA.xml", "iati/MAEC_IATI_INDONESIA.xml"),
    ("hxl/hxl-showcase-legacy/rowca-3w-hxl.csv", "hxl/rowca-3w-hxl.csv"),
]

# (source, written, activities kept: 0-based half-open ranges)
IATI_EXTRACTS = [
    # the first 60 activities and the 21 (137th to 157th) whose narratives use the bogus ns2:lang prefix
    ("iati/dportal-ocha-iati-viz/covid_input_dportal.xml", "iati/covid_input_dportal_excerpt.xml",
     [(0, 60), (136, 157)]),
    ("iati/dportal-ocha-iati-viz/saved_data/dportal_117.xml", "iati/dportal_117_excerpt.xml", [(0, 20)]),
    ("iati/dportal-ocha-iati-viz/saved_data/dportal_128.xml", "iati/dportal_128_excerpt.xml", [(0, 20)]),
    ("iati/dportal-ocha-iati-viz/saved_data/dportal_15.xml", "iati/dportal_15_excerpt.xml", [(0, 20)]),
    ("iati/dportal-ocha-iati-viz/saved_data/dportal_86.xml", "iati/dportal_86_excerpt.xml", [(0, 20)]),
]

# (source, written, first data rows kept); later rows are kept only when they bring a #sector label
# not seen before, so the extract has exactly the file's set of sector labels.
HXL_EXTRACTS = [
    ("hxl/hdx-afghanistan-3w-op/afghanistan_3w_operational_presence_january_march_2024.csv",
     "hxl/afghanistan_3w_operational_presence_january_march_2024_excerpt.csv", 300),
    ("hxl/hdx-afghanistan-3w-op/afghanistan_who_does_what_where_july_to_september_2021.csv",
     "hxl/afghanistan_who_does_what_where_july_to_september_2021_excerpt.csv", 100),
    ("hxl/hdx-central-america-345w/whowhatwhere_345_honduras.csv", "hxl/whowhatwhere_345_honduras_excerpt.csv", 200),
    ("hxl/hdx-central-america-345w/whowhatwhere_345w_el_salvador.csv",
     "hxl/whowhatwhere_345w_el_salvador_excerpt.csv", 100),
    ("hxl/hdx-central-america-345w/whowhatwhere_345w_guatemala.csv", "hxl/whowhatwhere_345w_guatemala_excerpt.csv", 200),
]

# WFP markets: the first 200 data rows and every Honduras row, in file order.
WFP = ("geo/wfp_markets_hxl.csv", "geo/wfp_markets_hxl_excerpt.csv", 200, "HND")


def csv_records(data: bytes) -> list[bytes]:
    """Split CSV bytes into whole records (a quoted field may hold line breaks), ends kept."""
    records, current = [], b""
    for line in data.splitlines(keepends=True):
        current += line
        if current.count(b'"') % 2 == 0:
            records.append(current)
            current = b""
    if current:
        records.append(current)
    assert b"".join(records) == data
    return records


def parse(record: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(record.decode("utf-8-sig"), newline="")))


def hxl_extract(data: bytes, first: int) -> bytes:
    records = csv_records(data)
    tags = parse(records[1])
    columns = [i for i, t in enumerate(tags) if t.replace(" ", "").startswith("#sector+") and "code" not in t]
    seen: set[str] = set()
    kept = records[:2]
    for n, record in enumerate(records[2:]):
        row = parse(record)
        labels = {row[i] for i in columns if i < len(row) and row[i]}
        if n < first or labels - seen:
            kept.append(record)
        seen |= labels
    return b"".join(kept)


def wfp_extract(data: bytes, first: int, country: str) -> bytes:
    records = csv_records(data)
    column = parse(records[0]).index("countryiso3")
    return b"".join(records[:2] + [r for n, r in enumerate(records[2:]) if n < first or parse(r)[column] == country])


def iati_extract(data: bytes, ranges: list[tuple[int, int]]) -> bytes:
    ends = [m.end() for m in re.finditer(rb"</iati-activity>", data)]
    starts = [data.rindex(b"<iati-activity", 0, end) for end in ends]
    assert all(not data[e:s].strip() for e, s in zip(ends, starts[1:])), "only whitespace between activities"
    head, tail = data[: starts[0]], data[ends[-1]:]
    parts = [head]
    for a, b in ranges:
        for i in range(a, b):
            # each activity with the whitespace that preceded it in the file
            parts.append(data[(ends[i - 1] if i else starts[0]) : ends[i]])
    return b"".join(parts) + tail


def main(shared: Path) -> None:
    for source, target in COPIES:
        (HERE / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared / source, HERE / target)
    for source, target, ranges in IATI_EXTRACTS:
        (HERE / target).parent.mkdir(parents=True, exist_ok=True)
        (HERE / target).write_bytes(iati_extract((shared / source).read_bytes(), ranges))
    for source, target, first in HXL_EXTRACTS:
        (HERE / target).parent.mkdir(parents=True, exist_ok=True)
        (HERE / target).write_bytes(hxl_extract((shared / source).read_bytes(), first))
    source, target, first, country = WFP
    (HERE / target).parent.mkdir(parents=True, exist_ok=True)
    (HERE / target).write_bytes(wfp_extract((shared / source).read_bytes(), first, country))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

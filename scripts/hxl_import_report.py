"""Import every file of the HXL corpus (or the files given) and print one line per file.

    .venv/bin/python scripts/hxl_import_report.py [FILE ...]

Columns: data rows read, rows imported (in a record that passes the platform's validation),
records, records with a warning, rows skipped, and why (the reasons, counted). A refused file
shows its refusal. Nothing is written to a database.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coordination.errors import ValidationError
from coordination.formats.hxl_import import HxlStats, parse_hxl
from coordination.formats.items import ImportFileError
from coordination.validation import validate_initiative

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "formats" / "hxl_corpus"
SUFFIXES = (".csv", ".tsv", ".ssv")


def report(path: Path) -> dict[str, object]:
    """What importing one file gives: counts and reasons."""
    stats = HxlStats()
    why: Counter[str] = Counter()
    records = warned = imported = 0
    try:
        items = list(parse_hxl(path, stats=stats))
    except ImportFileError as err:
        return {"file": path.name, "rows": stats.rows, "imported": 0, "records": 0, "warned": 0,
                "skipped": stats.rows, "why": f"refused: {err}"}
    records_seen = 0
    for item in items:
        if item.problem is not None:
            why[item.problem.reason.split(" could be ")[0].split(" in column")[0]] += 1
            continue
        rows = stats.group_rows[records_seen]
        records_seen += 1
        try:
            validate_initiative(item.record)
        except ValidationError as err:
            why["invalid record: " + "; ".join(f"{k} {v[0]}" for k, v in sorted(err.fields.items()))] += rows
            continue
        records += 1
        imported += rows
        warned += bool(item.warnings)
        why.update(f"warning: {_short(w)}" for w in item.warnings)
    return {"file": path.name, "rows": stats.rows, "imported": imported, "records": records, "warned": warned,
            "skipped": stats.rows - imported, "why": "; ".join(f"{r} ×{n}" for r, n in why.most_common()) or "-"}


def _short(warning: str) -> str:
    """A warning without the numbers that differ from record to record."""
    if warning.startswith("end "):
        return "end before start, end left out"
    return warning.split(":")[0] if "places are more" in warning else warning.split(" (")[0]


def main(argv: list[str]) -> int:
    """Print the table for the given files, or for the whole corpus."""
    paths = [Path(a) for a in argv] or sorted(p for p in CORPUS.iterdir() if p.suffix in SUFFIXES)
    lines = [report(p) for p in paths]
    print("| file | rows in | imported | records | warned | skipped | why |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in lines:
        print(f"| {r['file']} | {r['rows']} | {r['imported']} | {r['records']} | {r['warned']} | {r['skipped']} "
              f"| {r['why']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Import IATI files one by one into fresh, throw-away databases and print what each gave.

    python scripts/import_report.py [FILE_OR_FOLDER ...]      (default: tests/data/formats/iati_corpus)
    python scripts/import_report.py --markdown ...

One row per file: records read, imported, kept with warnings, skipped, and why (the
distinct reasons, skips first). A file refused as a whole says so. Each file gets its own
SQLite database, so a row never depends on the files before it. The import is the CLI's
(`coordination.services.file_imports.import_file` as the system).
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api import create_app
from api.extensions import db
from coordination.errors import ValidationError
from coordination.models import Base
from coordination.services.file_imports import import_file
from coordination.services.visions import ensure_sdg_vision
from coordination.unit_of_work import UnitOfWork

DEFAULT = ROOT / "tests" / "data" / "formats" / "iati_corpus"
COLUMNS = ("file", "records in", "imported", "warned", "skipped", "why")


def _reason(text: str) -> str:
    """A reason without its particulars, so that alike reasons count together."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "…", text)
    text = re.sub(r"\s*\((?:…, )+…\)", "", text)
    return re.sub(r"\s*\(was \d+\)", "", text).strip()


def why(report: dict) -> str:
    """The distinct reasons of a report: skips, then warnings, with how often each came."""
    counts: dict[str, int] = {}
    for label, entries in (("skipped", report["problems"]), ("warning", report["warnings"])):
        for entry in entries:
            key = f"{label}: {_reason(entry['reason'])}"
            counts[key] = counts.get(key, 0) + 1
    parts = [f"{key} ×{n}" if n > 1 else key for key, n in counts.items()]
    return "; ".join(parts) or "—"


def report_file(path: Path) -> dict:
    """Import one file into a fresh SQLite database; the row of the table."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/report.db",
                          "SECRET_KEY": "import-report"})
        with app.app_context():
            Base.metadata.create_all(db.engine)
            ensure_sdg_vision(db.session)
            db.session.commit()
            try:
                with UnitOfWork(db.session) as uow:
                    report = import_file(uow, "iati", path)
                    uow.commit()
                row = {"file": path.name, "records in": report["records"], "imported": report["created"],
                       "warned": report["warned"], "skipped": report["skipped"], "why": why(report)}
            except ValidationError as err:
                row = {"file": path.name, "records in": "—", "imported": 0, "warned": 0, "skipped": "—",
                       "why": f"file refused: {err.message}"}
            finally:
                db.session.remove()
                db.engine.dispose()
    return row


def files_of(arguments: list[str]) -> list[Path]:
    """The .xml files named, or in the folders named (the corpus by default)."""
    paths = [Path(a) for a in arguments] or [DEFAULT]
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.xml")) if path.is_dir() else [path])
    return found


def render(rows: list[dict], markdown: bool) -> str:
    """The table as Markdown or as aligned plain text."""
    cells = [[str(row[c]) for c in COLUMNS] for row in rows]
    if markdown:
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
        return "\n".join(lines + ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells])
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(COLUMNS[:-1])]
    out = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS[:-1], widths)) + "  why"]
    for row in cells:
        out.append("  ".join(v.ljust(w) for v, w in zip(row[:-1], widths)) + "  " + row[-1])
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="IATI files or folders of them")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    print(render([report_file(path) for path in files_of(args.paths)], args.markdown))


if __name__ == "__main__":
    main()

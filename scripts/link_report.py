"""What the stored links of a database are: kinds, where they come from, who gets notices.

    python scripts/link_report.py DATABASE [DATABASE ...]

A DATABASE is an SQLite file or a SQLAlchemy URL. One column per database (e.g. a demo
converged before link kinds and one after): initiatives, active links by kind (a database
without the `kind` column counts every pair as an overlap), links with an end on a record
whose title was generated (a 3W presence row's "<sector> in <place>": the `title_generated`
column, or the importer's rule where the column is missing), explanations citing a text
similarity on such a link, inbox notices per organisation (total, organisations notified, max
with its organisation, p95) and the organisations with the most notices. Read-only.

Measure the demo: `coordination init && coordination seed` into a fresh SQLite file
(DATABASE_URL=sqlite:////tmp/demo.sqlite), then run this script on that file.
"""
from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from coordination.formats.generated_titles import title_looks_generated

TOP = 5


def _url(arg: str) -> str:
    return arg if "://" in arg else f"sqlite:///{Path(arg).resolve()}"


def _p95(values: list[int]) -> int:
    """The 95th percentile (nearest rank) of `values`, 0 for none."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _generated(conn, has_column: bool) -> set[int]:
    """Ids of initiatives whose title was generated."""
    if has_column:
        return set(conn.execute(text("SELECT id FROM initiative WHERE title_generated")).scalars())
    rows = conn.execute(text("SELECT id, title, description, provenance FROM initiative "
                             "WHERE provenance LIKE 'hxl:%'")).all()
    tags = dict(conn.execute(text("SELECT initiative_id, min(label) FROM initiative_tag GROUP BY 1")).all())
    first = {i: (a1, c) for i, a1, c in conn.execute(text(
        "SELECT initiative_id, admin1, country FROM location WHERE id IN "
        "(SELECT min(id) FROM location GROUP BY initiative_id)")).all()}
    return {i for i, title, description, provenance in rows if title_looks_generated({
        "title": title, "description": description, "provenance": provenance,
        "tags": [tags[i]] if i in tags else [],
        "locations": [{"admin1": first[i][0], "country": first[i][1]}] if i in first else []})}


def measure(url: str) -> dict[str, object]:
    """The figures of one database."""
    engine = create_engine(url)
    has_kind = "kind" in {c["name"] for c in inspect(engine).get_columns("overlap")}
    has_flag = "title_generated" in {c["name"] for c in inspect(engine).get_columns("initiative")}
    kind = "o.kind" if has_kind else "'overlap'"
    with engine.connect() as conn:
        def one(sql: str) -> int:
            return conn.execute(text(sql)).scalar() or 0

        figures: dict[str, object] = {
            "initiatives (live)": one("SELECT count(*) FROM initiative WHERE withdrawn_at IS NULL"),
            "organisations": one("SELECT count(*) FROM organisation"),
        }
        rows = conn.execute(text(f"SELECT {kind}, count(*) FROM overlap o WHERE o.active GROUP BY 1")).all()
        by_kind = dict(rows)
        figures["links (active)"] = sum(by_kind.values())
        for name in ("overlap", "duplicate"):
            figures[f"  {name}"] = by_kind.get(name, 0)
        generated = _generated(conn, has_flag)
        links = conn.execute(text("SELECT initiative_a_id, initiative_b_id, explanation FROM overlap o "
                                  "WHERE o.active")).all()
        touching = [e for a, b, e in links if a in generated or b in generated]
        figures["links with a generated-title side"] = len(touching)
        figures["  of which citing text similarity"] = sum("% similar" in (e or "") for e in touching)
        notices = [n for _, n in conn.execute(text(
            "SELECT organisation_id, count(*) FROM overlap_notice GROUP BY organisation_id")).all()]
        figures["notices"] = sum(notices)
        figures["organisations notified"] = len(notices)
        top = conn.execute(text(
            "SELECT g.name, count(*) FROM overlap_notice n JOIN organisation g ON g.id = n.organisation_id "
            f"GROUP BY g.name ORDER BY count(*) DESC, g.name LIMIT {TOP}")).all()
        figures["notices per organisation, max"] = f"{top[0][1]} ({top[0][0][:40]})" if top else 0
        figures["notices per organisation, p95"] = _p95(notices)
        for i, (name, count) in enumerate(top, 1):
            figures[f"  #{i} notified"] = f"{count} {name[:40]}"
    engine.dispose()
    return figures


def main(argv: list[str]) -> int:
    """Print one column of figures per database."""
    if not argv:
        print(__doc__)
        return 2
    columns = [measure(_url(arg)) for arg in argv]
    names = list(dict.fromkeys(k for c in columns for k in c))
    width = max(len(n) for n in names) + 2
    print("".ljust(width) + " | ".join(Path(a).name[:40].ljust(40) for a in argv))
    for name in names:
        print(name.ljust(width) + " | ".join(str(c.get(name, "")).ljust(40) for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

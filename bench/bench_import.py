"""Benchmark: importing IATI and 3W (HXL) files end to end, bulk path vs. the per-record path.

End to end means what `coordination import` does: parsed, validated, tagged, geocoded,
organisations resolved, goals suggested, stored with history and identifiers, overlaps found.

- IATI: a file of N real activities (tests/data/real/iati, 251 activities from six publishers,
  repeated with fresh identifiers; copies are moved to other recipient countries, as real
  IATI data spreads over ~150 countries, their points with them: see `generate`).
- HXL: the real 3W extracts in tests/data/real/hxl, each imported once.

The baseline, in the same process, is the per-record path the import used before (and the
web form still uses): each record through `register_initiative` in its own savepoint, its
overlaps found right after it. It runs on the first `--baseline` records of the same file.
Each run gets a fresh SQLite database (or `--database-url`, emptied first). The gazetteer and
the text model are loaded before timing (once per process; ~3 s), and so is the p-code table.

    .venv/bin/python -m bench.bench_import --activities 8000 --baseline 300

Each bulk run is a forked process of its own, so its peak RSS growth is its own: two file sizes
(N/4 and N) show whether memory grows with the file. The rate of the larger gives the
projected time for 1M activities.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from lxml import etree

from api import create_app
from api.extensions import db
from coordination.errors import DomainError
from coordination.formats import parse_hxl, parse_iati
from coordination.formats.pcodes import area
from coordination.geo.boundaries import point_in_country
from coordination.geo.gazetteer import default_gazetteer
from coordination.permissions import SYSTEM
from coordination.services.file_imports import import_file
from coordination.services.initiatives import register_initiative
from coordination.services.visions import ensure_sdg_vision
from coordination.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parent.parent
IATI = ROOT / "tests" / "data" / "real" / "iati"
HXL = ROOT / "tests" / "data" / "real" / "hxl"
COUNTRIES = ["AF", "AO", "BD", "BF", "BI", "BJ", "BO", "CD", "CF", "CG", "CI", "CM", "CO", "DO", "EC", "EG", "ET", "GH", "GN", "GT", "HN", "HT", "ID", "IN", "IQ", "JO", "KE", "KH", "LA", "LB", "LR", "LK", "MA", "MG", "ML", "MM", "MW", "MZ", "NE", "NG", "NI", "NP", "PE", "PH", "PK", "PS", "RW", "SD", "SL", "SN", "SO", "SS", "SV", "SY", "TD", "TG", "TJ", "TZ", "UG", "UA", "VE", "VN", "YE", "ZM", "ZW"]
COUNTRY = re.compile(rb'(<recipient-country[^>]*code=")([A-Z]{2})(")')


def generate(path: Path, count: int, era: int | None = None, places_follow: bool = True) -> int:
    """Write `count` real activities (repeated, fresh identifiers) to `path`; return its size.

    Copies move to other countries, so the more copies, the more of them meet in a country:
    pairs per activity grow with the file. A moved copy's points move with it
    (`places_follow`): each to a place of the new country's (`_moved_points`), so its
    locations lie in the country they declare, as in real files (before, 97% of the points
    checked lay outside it, against 1 in 45 in the real files; checking such a point costs
    ~20x more). With `era`, every `era` copies the dates move
    200 years on (an activity with no end date is given one), so the density of each era is
    that of the first and pairs per activity stay level however large the file (the memory
    benchmark's files)."""
    pieces = []
    for source in sorted(IATI.glob("*.xml")):
        tree = etree.parse(str(source), etree.XMLParser(resolve_entities=False, remove_comments=True))
        pieces += [etree.tostring(a) for a in tree.getroot().iter("iati-activity")]
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for i in range(count):
            copy, piece = divmod(i, len(pieces))
            piece = pieces[piece]
            start = piece.index(b"<iati-identifier>") + len(b"<iati-identifier>")
            piece = piece[:start] + b"B%d-" % copy + piece[start:]
            if copy:
                code = COUNTRIES[(copy * 7 + i) % len(COUNTRIES)].encode()
                piece = COUNTRY.sub(lambda m, c=code: m.group(1) + c + m.group(3), piece)
                if places_follow:
                    piece = _moved_points(piece, code)
            if era:
                piece = _in_era(piece, copy // era)
            out.write(piece + b"\n")
        out.write(b"</iati-activities>\n")
    return path.stat().st_size


POINT = re.compile(rb"(<pos[^>]*>)\s*(-?[0-9.]+)[\s,]+(-?[0-9.]+)\s*(</pos>)")
A4_COUNTRY = re.compile(rb'(<administrative code=")([A-Z]{2})(" vocabulary="A4")')


def _moved_points(piece: bytes, country: bytes) -> bytes:
    """The activity with each point moved to a place of `country`, the one its coordinates
    pick among the gazetteer's areas with a point inside the country's outline (the same
    point, the same place: copies that met at a place still meet), and the country its
    locations name (IATI's A4 vocabulary) made `country`. A country without such places
    keeps the points."""
    places = _places_of(country.decode())
    if not places:
        return piece

    def move(match: re.Match) -> bytes:
        lat, lon = places[zlib.crc32(match.group(2) + b" " + match.group(3)) % len(places)]
        return match.group(1) + b"%.5f %.5f" % (lat, lon) + match.group(4)

    piece = POINT.sub(move, piece)
    return A4_COUNTRY.sub(lambda m: m.group(1) + country + m.group(3), piece)


@cache
def _places_of(country: str) -> list[tuple[float, float]]:
    """Points of the gazetteer's admin areas in `country` that lie inside its outline."""
    return [(place.lat, place.lon) for place in default_gazetteer().places
            if place.country == country and place.lat is not None and place.lon is not None
            and place.precision in ("admin1", "admin2") and point_in_country(place.lat, place.lon, country)]


ISO_YEAR = re.compile(rb'(iso-date=")(\d{4})(-)')
ACTIVITY_END = re.compile(rb'<activity-date[^>]*type="(3|4)"')


def _in_era(piece: bytes, era: int) -> bytes:
    """An activity with its dates `era` x 200 years on, an end date given if it had none."""
    if not ACTIVITY_END.search(piece):
        piece = piece.replace(b"</iati-identifier>", b'</iati-identifier><activity-date type="3" iso-date="2030-12-31"/>', 1)
    if not era:
        return piece
    return ISO_YEAR.sub(lambda m: m.group(1) + b"%04d" % (int(m.group(2)) + 200 * era) + m.group(3), piece)


def _status_kb(field: str) -> int:
    """A field of /proc/self/status in KB (Linux), 0 when unknown."""
    with open("/proc/self/status") as status:
        return next((int(line.split()[1]) for line in status if line.startswith(field + ":")), 0)


def in_child(work) -> dict:
    """Run work() in a forked process on its own peak RSS; return its result and the growth of
    that peak (MB) over the RSS at the start (the model, the gazetteer and the interpreter)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: reset the peak, work, report, leave
        os.close(read)
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")  # VmHWM := VmRSS
            start = _status_kb("VmRSS")
            result = work()
            result["peak_growth_mb"] = (_status_kb("VmHWM") - start) / 1024
            if result.get("reading_peak_kb"):
                result["reading_growth_mb"] = (result["reading_peak_kb"] - start) / 1024
        except BaseException as err:  # noqa: BLE001 - reported to the parent
            result = {"error": repr(err)}
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.waitpid(pid, 0)
    result = json.loads(b"".join(chunks))
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


@contextmanager
def fresh_database(url: str | None) -> Iterator[None]:
    """An app context on an empty database with the SDG vision loaded."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{folder}/bench.sqlite",
                          "SECRET_KEY": "bench"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            ensure_sdg_vision(db.session)
            db.session.commit()
            yield
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _cpu() -> float:
    """CPU seconds of this process and of its children waited for (a parser process)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(work) -> tuple[object, float, float]:
    """(result, wall seconds, CPU seconds of every process involved) of work()."""
    wall, cpu = time.perf_counter(), _cpu()
    result = work()
    return result, time.perf_counter() - wall, _cpu() - cpu


def per_record(kind: str, path: Path, limit: int) -> int:
    """The baseline: parse, then each record registered alone, its overlaps found after it."""
    items = parse_iati(path) if kind == "iati" else parse_hxl(path, source_name=path.name)
    created = 0
    with UnitOfWork(db.session) as uow:
        for item in items:
            if created >= limit:
                break
            if item.problem is not None:
                continue
            try:
                with uow.savepoint():
                    register_initiative(uow, SYSTEM, item.record)
            except DomainError:  # a refused record is skipped, as the import does
                continue
            created += 1
        uow.commit()
    return created


def _import(kind: str, path: Path, progress=None) -> dict:
    """The bulk path: `import_file` in one unit of work, as `coordination import` runs it."""
    with UnitOfWork(db.session) as uow:
        out = import_file(uow, kind, path, progress=progress)
        uow.commit()
    return out


def report(label: str, records: int, wall: float, cpu: float) -> float:
    rate = records / wall if wall else 0.0
    print(f"  {label:<34} {records:>7,} records  {wall:7.1f} s wall  {cpu:7.1f} s CPU  "
          f"{rate:8,.0f} /s wall  {records / cpu if cpu else 0:8,.0f} /s CPU")
    return rate


def _bulk(kind: str, path: Path, url: str | None) -> dict:
    """One bulk import on a fresh database; with it the peak RSS (KB) once every record was read
    and all but the last batch written, before the overlap detection at the end."""
    seen = {"peak_kb": 0}

    def progress(done: int, total: int) -> None:
        if done == total:
            seen["peak_kb"] = _status_kb("VmHWM")

    with fresh_database(url):
        out, wall, cpu = timed(lambda: _import(kind, path, progress))
    return {"created": out["created"], "wall": wall, "cpu": cpu, "reading_peak_kb": seen["peak_kb"]}


def main() -> int:
    parser = argparse.ArgumentParser(description="End-to-end import benchmark")
    parser.add_argument("--activities", type=int, default=8000)
    parser.add_argument("--baseline", type=int, default=300, help="records for the per-record baseline")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (emptied!); default SQLite")
    parser.add_argument("--places-stay", action="store_true",
                        help="moved copies keep their points (rounds one to thirteen's files; see generate)")
    args = parser.parse_args()
    with fresh_database(args.database_url):  # warm the gazetteer and the text model once
        per_record("iati", IATI / "foodsecurity_input_dportal.xml", 3)
    area("AF01")  # and the p-code table (loaded once per process, as the gazetteer is)
    sizes = [max(1, args.activities // 4), args.activities]
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: Path(tmp) / f"bench-{n}.xml" for n in sizes}
        megabytes = {n: generate(path, n, places_follow=not args.places_stay) / 1e6 for n, path in paths.items()}
        print(f"IATI files: {', '.join(f'{n:,} activities ({megabytes[n]:.1f} MB)' for n in sizes)}; "
              f"database: {'PostgreSQL' if args.database_url else 'SQLite'}; moved copies' points "
              f"{'stay where they were' if args.places_stay else 'moved with them'}")
        with fresh_database(args.database_url):
            n, wall, cpu = timed(lambda: per_record("iati", paths[sizes[-1]], args.baseline))
            base = report("per-record path (baseline)", n, wall, cpu)
        runs = {}
        for size in sizes:  # each in its own process, so each has its own peak memory
            runs[size] = in_child(lambda s=size: _bulk("iati", paths[s], args.database_url))
            rate = report(f"bulk import_file, {size:,} activities", runs[size]["created"],
                          runs[size]["wall"], runs[size]["cpu"])
            run = runs[size]
            print(f"  {'':<34} peak RSS over the process at start: +{run.get('reading_growth_mb', 0):,.0f} MB "
                  f"reading and writing, +{run['peak_growth_mb']:,.0f} MB with the overlap detection at the end "
                  f"({run['peak_growth_mb'] * 1024 / size:,.1f} KB per activity)")
        big = runs[sizes[-1]]
        rate = big["created"] / big["wall"]
        print(f"  speed-up {rate / base:.1f}x (wall); 1M activities at this rate: {1e6 / rate / 3600:.2f} h "
              f"({1e6 / (big['created'] / big['cpu']) / 3600:.2f} h of CPU)")
    print("3W (HXL) files, real extracts:")
    for path in sorted(HXL.glob("*.csv")):
        with fresh_database(args.database_url):
            n, wall, cpu = timed(lambda p=path: per_record("hxl", p, 10**9))
            base = report(f"{path.name[:26]} per-record", n, wall, cpu)
        run = _bulk("hxl", path, args.database_url)
        bulk = report(f"{path.name[:26]} bulk", run["created"], run["wall"], run["cpu"])
        print(f"  speed-up {bulk / base:.1f}x" if base else "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

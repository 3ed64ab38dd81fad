"""CLI: `coordination import iati|hxl FILE...` and `coordination export FORMAT`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from coordination.errors import DomainError
from coordination.formats.hxl_period import period_sentence

from .cli_common import fail, progress, unit_of_work
from .extensions import db

SHOWN = 20  # problems, then warnings, listed per file


def say(sentence: str) -> None:
    """What an import does once its progress bar stands at the end (on stderr, as the bar)."""
    click.echo(f"  {sentence[:1].upper()}{sentence[1:]}…", err=True)


@click.group("import")
def import_group() -> None:
    """Import initiatives from IATI activity XML or HXL-tagged 3W/4W/5W CSV files."""


def _run_import(kind: str, files: tuple[Path, ...], organisation: str | None, quiet: bool,
                period=None) -> None:
    from coordination.services.file_imports import files_ahead, import_file

    failed = False
    # One process parses the IATI files, in order, while this one writes and detects: started
    # now, before this process holds the overlap index, so forking it copies little.
    ahead = files_ahead(kind, list(files), organisation=organisation)
    try:
        for path in files:
            try:
                with unit_of_work() as uow:  # the whole file, or nothing of it
                    report = import_file(uow, kind, path, organisation=organisation,
                                         progress=None if quiet else progress(path.name), period=period,
                                         stage=None if quiet else say, ahead=ahead)
                    uow.commit()
            except DomainError as err:
                failed = True
                click.secho(f"{path.name}: refused — {err.message}", fg="red", err=True)
                continue
            _print_report(kind, path, report)
    finally:
        if ahead is not None:
            ahead.close()
    if failed:
        sys.exit(1)


def _print_report(kind: str, path: Path, report: dict) -> None:
    """A file's counts, period and first problems and warnings."""
    click.echo(f"{path.name}: {report['records']} read, {report['created']} imported, "
               f"{report['existing']} already present, {report['warned']} kept with warnings, "
               f"{report['skipped']} skipped")
    if kind == "hxl":
        click.echo(f"  {period_sentence(report.get('period'))}")
    for label, entries in (("skipped", report["problems"]), ("warning", report["warnings"])):
        for entry in entries[:SHOWN]:
            click.echo(f"  {label} {entry['where']}: {entry['reason']}")
        if len(entries) > SHOWN:
            click.echo(f"  … and {len(entries) - SHOWN} more")


@import_group.command("iati")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "organisation", default=None, help="Register every activity for this organisation slug.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def import_iati(files: tuple[Path, ...], organisation: str | None, quiet: bool) -> None:
    """Import IATI activity files (2.01-2.03); re-importing a file changes nothing."""
    _run_import("iati", files, organisation, quiet)


@import_group.command("hxl")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "organisation", default=None, help="Register every row for this organisation slug.")
@click.option("--period", "period_text", default=None, metavar="YYYY-MM..YYYY-MM",
              help="Reporting period of the file(s), given to rows without dates (e.g. 2024-01..2024-03 or "
                   "2024-Q1); without it, a period named in the file name is used.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def import_hxl(files: tuple[Path, ...], organisation: str | None, period_text: str | None, quiet: bool) -> None:
    """Import HXL-tagged 3W/4W/5W CSV files (admin areas resolved through OCHA p-codes)."""
    from coordination.formats.hxl_period import parse_period

    try:
        period = parse_period(period_text) if period_text else None
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--period") from None
    _run_import("hxl", files, organisation, quiet, period)


@click.command("export")
@click.argument("fmt", type=click.Choice(["iati", "hxl", "geojson", "csv"]))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--goal", default=None)
@click.option("--country", default=None)
@click.option("--organisation", default=None)
@click.option("--tag", default=None)
@with_appcontext
def export_command(fmt: str, output: Path | None, goal, country, organisation, tag) -> None:
    """Export public initiatives (filtered) as IATI 2.03 XML, HXL 3W CSV, GeoJSON or CSV."""
    from coordination.exports import export_chunks
    from coordination.permissions import ANONYMOUS
    from coordination.queries import InitiativeFilter

    f = InitiativeFilter(goal=goal, country=country, organisation=organisation, tag=tag)
    try:
        chunks = export_chunks(db.session, ANONYMOUS, f, fmt)
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
        for chunk in chunks:
            out.write(chunk)
        if output:
            out.close()
            click.echo(f"Wrote {output}", err=True)
    except DomainError as err:
        fail(err)


COMMANDS = [import_group, export_command]

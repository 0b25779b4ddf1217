"""`flask geo ...`: import and export boundaries.

    flask --app govgrid geo import FILE --level township|village|grid [--code-field code]
          [--name-field name] [--parent-field FIELD] [--county CODE] [--repair] [--dry-run]
    flask --app govgrid geo export --level township|village|grid [--parent CODE] [-o FILE]

The import prints every problem, grouped by kind, and exits 1 when the file is refused (then
nothing was written); 0 when it passed (and was written, unless --dry-run).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from .importer import ImportReport
from .problems import ProblemKind
from .readers import FieldNames, normalise_code

geo_cli = AppGroup("geo", help="Administrative boundaries: import and export.")

LEVEL_CHOICE = click.Choice(["township", "village", "grid"])

# Headings in the order a surveyor should fix things: the file, then features, then the map.
KIND_TITLES = {
    ProblemKind.unreadable_file: _l("Unreadable file"),
    ProblemKind.missing_field: _l("Missing fields"),
    ProblemKind.wrong_crs: _l("Wrong coordinate reference system"),
    ProblemKind.crs_note: _l("Coordinate reference system"),
    ProblemKind.unreadable_geometry: _l("Unreadable geometry"),
    ProblemKind.empty_geometry: _l("Empty geometry"),
    ProblemKind.not_polygon: _l("Not a polygon"),
    ProblemKind.invalid_geometry: _l("Invalid geometry"),
    ProblemKind.repaired: _l("Repaired geometry"),
    ProblemKind.missing_code: _l("Missing codes"),
    ProblemKind.bad_code: _l("Malformed codes"),
    ProblemKind.duplicate_code: _l("Duplicate codes"),
    ProblemKind.bad_name: _l("Names"),
    ProblemKind.bad_kind: _l("Grid cell kinds"),
    ProblemKind.unknown_parent: _l("Unknown parent codes"),
    ProblemKind.parent_mismatch: _l("Code does not match its parent"),
    ProblemKind.code_conflict: _l("Conflicts with existing units"),
    ProblemKind.missing_sibling: _l("Existing units missing from the file"),
    ProblemKind.outside_parent: _l("Outside the parent"),
    ProblemKind.overlap: _l("Overlaps"),
    ProblemKind.gap: _l("Gaps"),
    ProblemKind.children_outside: _l("Existing children left outside"),
    ProblemKind.parents_not_covered: _l("Parents not in the file"),
    ProblemKind.spatial_checks_skipped: _l("Checks skipped"),
}


def format_report(report: ImportReport, source: str) -> Iterator[str]:
    """The report as text lines, rendered in the locale active while iterating."""
    yield str(_l("%(file)s: %(n)s features, level %(level)s, county %(county)s",
                 file=source, n=report.feature_count, level=report.level,
                 county=report.county_code))
    for kind, title in KIND_TITLES.items():
        found = report.of_kind(kind)
        if not found:
            continue
        severity = str(_l("error")) if found[0].is_error else str(_l("warning"))
        yield ""
        yield f"{title} [{kind.value}] ({severity}: {len(found)})"
        for problem in found:
            where = " ".join(part for part in (
                f"#{problem.index}" if problem.index is not None else "",
                problem.code or "") if part)
            yield f"  {where + ': ' if where else ''}{problem.message}"
    yield ""
    counts = {"errors": len(report.errors), "warnings": len(report.warnings)}
    if not report.ok:
        yield str(_l("REFUSED: %(errors)s errors, %(warnings)s warnings; nothing was written.",
                     **counts))
    elif report.dry_run:
        yield str(_l("PASSED (dry run): %(warnings)s warnings; nothing was written.", **counts))
    else:
        yield str(_l("IMPORTED: %(inserted)s new, %(updated)s updated; %(warnings)s warnings.",
                     inserted=report.inserted, updated=report.updated, **counts))


def _county(code: str | None) -> str:
    return normalise_code(code or current_app.config["DEMO_COUNTY_CODE"], 12) or ""


@geo_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--level", type=LEVEL_CHOICE, required=True, help="What the file contains.")
@click.option("--code-field", default="code", show_default=True,
              help="Property holding the 12/15-digit code (numbers are fine).")
@click.option("--name-field", default="name", show_default=True)
@click.option("--parent-field", default=None,
              help="Property holding the parent's code; by default derived from the code.")
@click.option("--county", default=None, help="County code [default: DEMO_COUNTY_CODE].")
@click.option("--repair", is_flag=True, help="Repair invalid polygons with ST_MakeValid.")
@click.option("--dry-run", is_flag=True, help="Check only; never write.")
@click.option("--lang", default=None, help="Report language [default: zh_CN].")
def import_command(file: Path, level: str, code_field: str, name_field: str,
                   parent_field: str | None, county: str | None, repair: bool, dry_run: bool,
                   lang: str | None) -> None:
    """Check a GeoJSON or Shapefile (.shp/.zip) of boundaries and import it, all or nothing."""
    from .importer import import_boundaries
    from .readers import read_features

    fields = FieldNames(code=code_field, name=name_field, parent=parent_field)
    # No request here, so the locale is chosen explicitly (the default locale, like the UI).
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        read = read_features(file, level, fields)
        try:
            report = import_boundaries(read.features, level, _county(county), repair=repair,
                                       dry_run=dry_run, prior_problems=read.problems)
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
        for line in format_report(report, file.name):
            click.echo(line)
    if not report.ok:
        raise click.exceptions.Exit(1)


@geo_cli.command("export")
@click.option("--level", type=LEVEL_CHOICE, required=True)
@click.option("--parent", default=None, help="Only what lies under this unit's code.")
@click.option("--county", default=None, help="County code [default: DEMO_COUNTY_CODE].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--lang", default=None, help="Language of messages [default: zh_CN].")
def export_command(level: str, parent: str | None, county: str | None, output: Path | None,
                   lang: str | None) -> None:
    """Write boundaries as RFC 7946 GeoJSON (lon/lat WGS 84, 7 decimals)."""
    from .exporter import export_geojson

    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            collection = export_geojson(level, _county(county),
                                        normalise_code(parent, 15 if len(parent or "") == 15
                                                       else 12))
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    if output is None:
        click.echo(body)
        return
    output.write_text(body + "\n", encoding="utf-8")
    click.echo(f"{len(collection['features'])} features -> {output}", err=True)

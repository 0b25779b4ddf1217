"""Read boundary files from a surveying office: GeoJSON or ESRI Shapefile (also zipped).

This module only reads and normalises: it turns a file into `RawFeature`s (code, name, parent
code, shapely geometry, the other properties) plus file-level problems such as a wrong CRS.
Every check that needs the database (validity, parents, overlaps, gaps) is in `checks`, run
by `importer`; decoding Shapefile and zip bytes is in `shapefile_reader`.

Coordinates must be longitude/latitude in degrees on WGS 84. CGCS2000 (EPSG:4490), what Chinese
surveying offices deliver, differs from WGS 84 by centimetres, so it is accepted with a note;
projected coordinates (Web Mercator, Gauss-Krüger zones) and older datums (Beijing 1954,
Xi'an 1980, off by up to ~100 m) are refused: reproject them before importing.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from flask_babel import lazy_gettext as _l
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .problems import Problem, ProblemKind, Severity
from .shapefile_reader import (
    GEOJSON_SUFFIXES,
    UnreadableFile,
    geo_interface,
    shapefile_parts_from_dir,
    shapefile_records,
    unzip,
)


@dataclass(frozen=True)
class RawFeature:
    index: int
    code: str | None
    name: str | None
    parent_code: str | None  # only when a parent field was named; else derived by the importer
    geometry: BaseGeometry | None
    properties: Mapping[str, Any]


@dataclass
class ReadResult:
    features: list[RawFeature]
    problems: list[Problem]


@dataclass(frozen=True)
class FieldNames:
    code: str = "code"
    name: str = "name"
    parent: str | None = None


# 统计用区划代码: township and village codes have 12 digits, grid cells 15 (village + 3).
CODE_WIDTH = {"township": 12, "village": 12, "grid": 15}


def normalise_code(value: Any, width: int) -> str | None:
    """A code as a string of digits. Numbers (also 1.505211e+11 floats from a .dbf) become
    digits; full-width digits are folded; a 6- or 9-digit prefix of a 12-digit code (county,
    township as printed in many tables) is padded with zeros. Anything else is returned as
    text for the importer to reject with the original value in the message."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, float):
        if not value.is_integer():
            return repr(value)
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    if re.fullmatch(r"[0-9]+\.0*", text):
        text = text.split(".", 1)[0]
    if width == 12 and re.fullmatch(r"[0-9]{6}|[0-9]{9}", text):
        text = text.ljust(12, "0")
    return text


def _name(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


# --- CRS --------------------------------------------------------------------------------

def _crs_ok(label: str) -> list[Problem]:
    return []


def _crs_cgcs2000(label: str) -> list[Problem]:
    return [Problem(ProblemKind.crs_note, Severity.warning, _l(
        "The coordinates are CGCS2000 (%(crs)s); they are stored as WGS 84, which differs "
        "by a few centimetres.", crs=label), details={"crs": label})]


def _crs_wrong(label: str) -> list[Problem]:
    return [Problem(ProblemKind.wrong_crs, Severity.error, _l(
        "The coordinate reference system %(crs)s is not supported: reproject the file to "
        "WGS 84 longitude/latitude (EPSG:4326) or CGCS2000 (EPSG:4490).", crs=label),
        details={"crs": label})]


def _crs_from_epsg(epsg: int, label: str) -> list[Problem]:
    if epsg == 4326:
        return _crs_ok(label)
    if epsg == 4490:
        return _crs_cgcs2000(label)
    return _crs_wrong(label)


def geojson_crs_problems(crs: Any) -> list[Problem]:
    """The (pre-RFC 7946) `crs` member: absent, EPSG:4326 or OGC CRS84 are WGS 84 degrees."""
    if crs is None:
        return []
    props = (crs.get("properties") or {}) if isinstance(crs, dict) else {}
    if isinstance(crs, dict) and crs.get("type") == "EPSG" and "code" in props:
        label = f"EPSG:{props['code']}"  # the 2008 GeoJSON draft's form
    else:
        label = str(props.get("name") or crs)
    upper = label.upper()
    if re.search(r"CRS:?84$", upper):
        return _crs_ok(label)
    digits = re.findall(r"[0-9]+", upper) if "EPSG" in upper else []
    if digits:
        return _crs_from_epsg(int(digits[-1]), label)
    return _crs_wrong(label)


def prj_crs_problems(wkt: str | None) -> list[Problem]:
    """A shapefile's .prj (ESRI WKT): geographic WGS 84 or CGCS2000; never projected."""
    if wkt is None or not wkt.strip():
        return [Problem(ProblemKind.crs_note, Severity.warning, _l(
            "The shapefile has no .prj file; the coordinates are assumed to be WGS 84 "
            "longitude/latitude."))]
    text = wkt.strip()
    head = text.split("[", 1)[0].strip().upper()
    names = re.findall(r'"([^"]*)"', text)
    label = names[0] if names else head
    if head in ("PROJCS", "PROJCRS", "PROJECTEDCRS"):
        return _crs_wrong(label)
    if head not in ("GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS"):
        return _crs_wrong(label)
    datum = re.search(r'DATUM\s*\[\s*"([^"]*)"', text, re.IGNORECASE)
    key = re.sub(r"[^A-Z0-9]", "", (datum.group(1) if datum else label).upper())
    if "WGS84" in key or "WGS1984" in key:
        return _crs_ok(label)
    if "CGCS2000" in key or "CHINA2000" in key or "CHINAGEODETICCOORDINATESYSTEM2000" in key:
        return _crs_cgcs2000(label)
    return _crs_wrong(label)


def degree_problems(features: Iterable[RawFeature]) -> list[Problem]:
    """Metres (or swapped lat/lon) pretending to be degrees: caught whatever the CRS says."""
    for feature in features:
        if feature.geometry is None or feature.geometry.is_empty:
            continue
        x0, y0, x1, y1 = feature.geometry.bounds
        if max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90:
            return [Problem(
                ProblemKind.wrong_crs, Severity.error,
                _l("Feature %(index)s has coordinates outside longitude -180..180 / latitude "
                   "-90..90 (%(bounds)s): they are not degrees (a projected CRS, or x and y "
                   "swapped).", index=feature.index,
                   bounds=", ".join(f"{v:.6g}" for v in (x0, y0, x1, y1))),
                index=feature.index, code=feature.code,
                details={"bounds": [x0, y0, x1, y1]})]
    return []


def _unreadable(message: object, **details: Any) -> ReadResult:
    return ReadResult([], [Problem(ProblemKind.unreadable_file, Severity.error, message,
                                   details=details)])


# --- features ---------------------------------------------------------------------------

def _feature(index: int, props: Mapping[str, Any], geometry: BaseGeometry | None,
             level: str, fields: FieldNames) -> RawFeature:
    parent = normalise_code(props.get(fields.parent), 12) if fields.parent else None
    return RawFeature(index, normalise_code(props.get(fields.code), CODE_WIDTH[level]),
                      _name(props.get(fields.name)), parent, geometry, dict(props))


def _field_problems(features: list[RawFeature], fields: FieldNames) -> list[Problem]:
    """A misspelt --code-field would otherwise show up as N "missing code" lines."""
    if not features:
        return []
    seen = set().union(*(f.properties.keys() for f in features))
    problems = []
    for option, name, severity in (("--code-field", fields.code, Severity.error),
                                   ("--parent-field", fields.parent, Severity.error),
                                   ("--name-field", fields.name, Severity.warning)):
        if name is not None and name not in seen:
            problems.append(Problem(ProblemKind.missing_field, severity, _l(
                "No feature has the property %(field)s (%(option)s); the file has: "
                "%(available)s.", field=name, option=option,
                available=", ".join(sorted(seen)) or "-"), details={"field": name}))
    return problems


def read_geojson(data: bytes, level: str, fields: FieldNames) -> ReadResult:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _unreadable(_l("The file is not valid GeoJSON: %(error)s", error=str(exc)))
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc], "crs": doc.get("crs")}
    if not (isinstance(doc, dict) and doc.get("type") == "FeatureCollection"
            and isinstance(doc.get("features"), list)):
        return _unreadable(_l("The file is not a GeoJSON FeatureCollection."))
    return _read_items(_geojson_items(doc["features"]), level, fields,
                       geojson_crs_problems(doc.get("crs")))


def _geojson_items(items: list[Any]) -> Iterator[tuple[Mapping[str, Any], Any]]:
    for item in items:
        item = item if isinstance(item, dict) else {}
        yield item.get("properties") or {}, item.get("geometry")


def _read_items(items: Iterable[tuple[Mapping[str, Any], Any]], level: str,
                fields: FieldNames, problems: list[Problem]) -> ReadResult:
    """Features from (properties, GeoJSON-like geometry) pairs, whichever the file format. A
    geometry shapely cannot build is reported, and its feature kept without one, so the
    feature's code and name are still checked."""
    features = []
    for index, (props, value) in enumerate(items):
        geometry, error = _geometry(value)
        feature = _feature(index, props, geometry, level, fields)
        if error:
            problems.append(Problem(
                ProblemKind.unreadable_geometry, Severity.error,
                _l("The geometry cannot be read: %(error)s", error=error),
                index=index, code=feature.code))
        features.append(feature)
    return ReadResult(features, problems)


def _geometry(value: Any) -> tuple[BaseGeometry | None, str | None]:
    if value is None:
        return None, None
    try:
        return shape(value), None
    except Exception as exc:  # shapely raises several types for malformed coordinates
        return None, str(exc) or type(exc).__name__


def read_shapefile_parts(parts: Mapping[str, bytes], level: str, fields: FieldNames,
                         label: str) -> ReadResult:
    try:
        records = shapefile_records(parts, label)
    except UnreadableFile as exc:
        return _unreadable(exc.message)
    prj = parts.get("prj")
    problems = prj_crs_problems(prj.decode("utf-8", "replace") if prj else None)
    return _read_items(((props, geo_interface(shp)) for shp, props in records),
                       level, fields, problems)


def _read_zip(path: Path, level: str, fields: FieldNames) -> ReadResult:
    try:
        member = unzip(path)
    except UnreadableFile as exc:
        return _unreadable(exc.message)
    if isinstance(member.data, bytes):
        return read_geojson(member.data, level, fields)
    return read_shapefile_parts(member.data, level, fields, member.name)


def read_features(path: str | Path, level: str, fields: FieldNames | None = None) -> ReadResult:
    """Read a .geojson/.json, .shp (with .dbf, .prj, .cpg beside it) or .zip file."""
    path = Path(path)
    fields = fields or FieldNames()
    suffix = path.suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        result = read_geojson(path.read_bytes(), level, fields)
    elif suffix == ".shp":
        result = read_shapefile_parts(shapefile_parts_from_dir(path), level, fields, path.name)
    elif suffix == ".zip":
        result = _read_zip(path, level, fields)
    else:
        return _unreadable(_l("Unsupported file type %(suffix)s: use GeoJSON (.geojson, .json) "
                              "or an ESRI Shapefile (.shp or .zip).", suffix=suffix or "-"))
    result.problems += _field_problems(result.features, fields)
    result.problems += degree_problems(result.features)
    return result


def to_wkb(geometry: BaseGeometry | None) -> bytes | None:
    """2D WKB for PostGIS (Z values from survey files are dropped: boundaries are planar)."""
    if geometry is None:
        return None
    return shapely.to_wkb(shapely.force_2d(geometry), output_dimension=2)

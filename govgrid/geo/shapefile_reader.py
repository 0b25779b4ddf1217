"""ESRI Shapefile bytes: gather a shapefile's parts (beside it on disk, or in a zip) and decode
its records.

Only the file format is handled here; what the records mean (codes, names, the CRS in the
.prj, problems per feature) is decided in `readers`, the same way for GeoJSON and Shapefile.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import shapefile
from flask_babel import lazy_gettext as _l

# Here rather than in `readers`, which imports this module: a zip may hold GeoJSON instead.
GEOJSON_SUFFIXES = (".geojson", ".json")
PART_SUFFIXES = (".shp", ".shx", ".dbf", ".prj", ".cpg")


class UnreadableFile(Exception):
    """The file cannot be read at all; `message` is a lazy string for the report."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ZipMember:
    """The one boundary file in a zip: a shapefile's parts by extension, or GeoJSON bytes."""

    name: str
    data: dict[str, bytes] | bytes


def _encoding(cpg: bytes | None) -> str | None:
    """The .cpg names the .dbf's code page: "UTF-8", "GBK", or an ANSI number like 936."""
    if not cpg:
        return None
    name = cpg.decode("ascii", "ignore").strip()
    name = {"936": "gbk", "65001": "utf-8", "1252": "cp1252"}.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(parts: Mapping[str, bytes]) -> list[tuple[Any, dict[str, Any]]]:
    """(shape, attributes) pairs; without a .cpg try UTF-8, then GBK (Chinese ArcGIS)."""
    declared = _encoding(parts.get("cpg"))
    last: Exception | None = None
    for encoding in [declared] if declared else ["utf-8", "gbk"]:
        files: dict[str, BinaryIO] = {key: io.BytesIO(parts[key])
                                      for key in ("shp", "shx", "dbf") if key in parts}
        try:
            with shapefile.Reader(encoding=encoding, **files) as reader:
                return [(sr.shape, sr.record.as_dict()) for sr in reader.iterShapeRecords()]
        except (UnicodeDecodeError, shapefile.ShapefileException) as exc:
            last = exc  # pyshp reports undecodable text as a dbf error; try the next one
    raise last or ValueError("unreadable shapefile")


def shapefile_records(parts: Mapping[str, bytes], label: str) -> list[tuple[Any, dict[str, Any]]]:
    """(pyshp shape, attributes) per record; UnreadableFile without a .shp and .dbf or when
    pyshp cannot read them. `label` names the shapefile in the message."""
    missing = [ext for ext in ("shp", "dbf") if ext not in parts]
    if missing:
        raise UnreadableFile(_l("The shapefile %(file)s lacks its %(parts)s file(s).",
                                file=label, parts=", ".join(f".{ext}" for ext in missing)))
    try:
        return _decode(parts)
    except Exception as exc:  # pyshp raises ShapefileException, struct.error, ...
        raise UnreadableFile(_l("The shapefile cannot be read: %(error)s",
                                error=str(exc))) from exc


def geo_interface(shp: Any) -> Mapping[str, Any] | None:
    """A record's geometry as a GeoJSON-like mapping; None for a null shape (no geometry)."""
    return None if shp.shapeType == shapefile.NULL else shp.__geo_interface__


def shapefile_parts_from_dir(path: Path) -> dict[str, bytes]:
    """The .shp at `path` and its sibling parts of the same name, keyed by extension."""
    parts = {}
    for sibling in path.parent.iterdir():
        if sibling.stem == path.stem and sibling.suffix.lower() in PART_SUFFIXES:
            parts[sibling.suffix.lower()[1:]] = sibling.read_bytes()
    return parts


def unzip(path: Path) -> ZipMember:
    """A zip holding one shapefile (how they are usually mailed) or one GeoJSON file;
    UnreadableFile for anything else."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(_l("The file is not a valid zip archive: %(error)s",
                                error=str(exc))) from exc
    with archive:
        # Read members by name only; nothing is extracted to disk (no path traversal).
        names = [n for n in archive.namelist()
                 if not n.endswith("/") and "__MACOSX" not in n]
        shps = [n for n in names if n.lower().endswith(".shp")]
        jsons = [n for n in names if n.lower().endswith(GEOJSON_SUFFIXES)]
        if len(shps) == 1:
            stem = shps[0][:-4]
            parts = {PurePosixPath(n).suffix.lower()[1:]: archive.read(n)
                     for n in names if n[: len(stem)] == stem and n[len(stem):].startswith(".")}
            return ZipMember(shps[0], parts)
        if not shps and len(jsons) == 1:
            return ZipMember(jsons[0], archive.read(jsons[0]))
        raise UnreadableFile(_l("The zip archive must hold exactly one shapefile or GeoJSON "
                                "file; it holds: %(names)s.",
                                names=", ".join(shps + jsons) or "-"))

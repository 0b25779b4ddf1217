"""Request and response schemas of the geography API."""

from __future__ import annotations

import math
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .models import UnitLevel
from .services import BBox

LON = validate.Range(-180, 180, error=_l("Longitude must be between -180 and 180."))
LAT = validate.Range(-90, 90, error=_l("Latitude must be between -90 and 90."))
CODE12 = validate.Regexp(r"^[0-9]{12}$", error=_l("A unit code has 12 digits."))
PLACE_CODE = validate.Regexp(r"^[0-9]{12}([0-9]{3})?$", error=_l(
    "A unit code has 12 digits, a grid-cell code 15."))
TOLERANCE = validate.Range(0, 0.05, error=_l("The tolerance must be between 0 and 0.05 degrees."))
ZOOM = validate.Range(0, 22, error=_l("The zoom must be between 0 and 22."))
DEPTH = validate.Range(1, 3, error=_l("The depth must be between 1 and 3 levels."))


class BBoxField(fields.String):
    """`min_lon,min_lat,max_lon,max_lat` in degrees (WGS 84)."""

    default_error_messages = {
        "invalid": _l("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat."),
        "range": _l("bbox is outside the valid range of longitude and latitude."),
        "order": _l("bbox minimum must be smaller than its maximum."),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> BBox:
        try:
            parts = [float(p) for p in str(value).split(",")]
        except ValueError as error:
            raise self.make_error("invalid") from error
        if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
            raise self.make_error("invalid")
        bbox = BBox(*parts)
        if not (-180 <= bbox.min_lon <= 180 and -180 <= bbox.max_lon <= 180
                and -90 <= bbox.min_lat <= 90 and -90 <= bbox.max_lat <= 90):
            raise self.make_error("range")
        if bbox.min_lon >= bbox.max_lon or bbox.min_lat >= bbox.max_lat:
            raise self.make_error("order")
        return bbox


class LocateQuery(Schema):
    lon = fields.Float(required=True, validate=LON, metadata={
        "description": "Longitude in degrees (WGS 84).", "example": 122.7185})
    lat = fields.Float(required=True, validate=LAT, metadata={
        "description": "Latitude in degrees (WGS 84).", "example": 44.0139})


class UnitRef(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class LocateResult(Schema):
    lon = fields.Float()
    lat = fields.Float()
    grid_cell = fields.Nested(UnitRef, allow_none=True)
    village = fields.Nested(UnitRef, allow_none=True)
    township = fields.Nested(UnitRef, allow_none=True)
    county = fields.Nested(UnitRef, allow_none=True)


class SimplifyQuery(Schema):
    tolerance = fields.Float(
        validate=TOLERANCE,
        metadata={"description": "Simplification tolerance in degrees (0 = full detail).",
                  "example": 0.0005},
    )
    zoom = fields.Float(
        validate=ZOOM,
        metadata={"description": "Web-map zoom; the tolerance becomes half a pixel at it.",
                  "example": 11},
    )


class TreeQuery(Schema):
    root = fields.String(validate=CODE12, metadata={
        "description": "Code of the subtree root.", "example": "150521100000"})
    depth = fields.Integer(validate=DEPTH, metadata={"description": "Levels.", "example": 2})


class TreeNode(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    level = fields.String()
    population = fields.Integer()
    households = fields.Integer()
    children = fields.List(fields.Nested(lambda: TreeNode()))


class UnitsQuery(SimplifyQuery):
    level = fields.Enum(UnitLevel, required=True, by_value=True,
                        metadata={"example": "village"})
    bbox = BBoxField(metadata={
        "description": "min_lon,min_lat,max_lon,max_lat in degrees (WGS 84).",
        "example": "122.50,43.94,122.84,44.20"})
    parent = fields.String(validate=CODE12, metadata={
        "description": "Only units under this one.", "example": "150521100000"})


class CellsQuery(SimplifyQuery):
    bbox = BBoxField(metadata={
        "description": "min_lon,min_lat,max_lon,max_lat in degrees (WGS 84).",
        "example": "122.69,43.99,122.74,44.03"})
    village = fields.String(validate=CODE12, metadata={
        "description": "Only this village.", "example": "150521100201"})

    @validates_schema
    def needs_area(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "bbox" not in data and "village" not in data:
            raise ValidationError(_l("Give a bbox or a village code."), "bbox")


class Feature(Schema):
    type = fields.Constant("Feature")
    id = fields.String()
    geometry = fields.Dict(metadata={"description": "GeoJSON geometry (WGS 84)."})
    properties = fields.Dict()


class FeatureCollection(Schema):
    type = fields.Constant("FeatureCollection")
    features = fields.List(fields.Nested(Feature))
    truncated = fields.Boolean(metadata={"description": "More features matched than returned."})

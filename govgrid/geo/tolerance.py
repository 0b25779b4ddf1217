"""Simplification tolerance for map display (pure arithmetic)."""

from __future__ import annotations

TILE_SIZE_PX = 256
MAX_TOLERANCE_DEG = 0.05


def tolerance_for_zoom(zoom: float) -> float:
    """Half a screen pixel at this web-map zoom, in degrees of longitude.

    Simplifying by less than half a pixel cannot change what the map draws, and it cuts the
    vertex count (and so the payload) sharply at county-wide zooms.
    """
    degrees_per_pixel = 360.0 / (TILE_SIZE_PX * 2.0**zoom)
    return min(degrees_per_pixel / 2.0, MAX_TOLERANCE_DEG)


def resolve_tolerance(tolerance: float | None, zoom: float | None) -> float:
    """An explicit tolerance wins; a zoom is converted; neither means full detail."""
    if tolerance is not None:
        return min(tolerance, MAX_TOLERANCE_DEG)
    if zoom is not None:
        return tolerance_for_zoom(zoom)
    return 0.0

#!/usr/bin/env python
"""Throughput of point location: 100,000 random points inside the county, located one by one
through the service function (one query each, as the API does) and set-based in one SQL
statement.

Run against a database with the demo county loaded (scripts/quickstart does that):
    .venv/bin/python scripts/bench/locate.py [--points 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
from geoalchemy2.shape import to_shape
from shapely import contains_xy
from sqlalchemy import select

from govgrid import create_app
from govgrid.extensions import db
from govgrid.geo.models import Unit, UnitLevel
from govgrid.geo.services import locate, locate_cells


def random_points_inside(polygon, n: int, seed: int) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = polygon.bounds
    found: list[tuple[float, float]] = []
    while len(found) < n:
        xs = rng.uniform(minx, maxx, n)
        ys = rng.uniform(miny, maxy, n)
        inside = contains_xy(polygon, xs, ys)
        found.extend(zip(xs[inside].tolist(), ys[inside].tolist(), strict=True))
    return found[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    app = create_app()
    with app.test_request_context():
        boundary = db.session.execute(
            select(Unit.boundary).where(Unit.level == UnitLevel.county)
        ).scalar_one()
        points = random_points_inside(to_shape(boundary), args.points, args.seed)
        print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")
        print(f"points: {len(points):,} random points inside the county (seed {args.seed})")

        started = time.perf_counter()
        one_by_one = [locate(lon, lat)["grid_cell"]["code"] for lon, lat in points]
        elapsed = time.perf_counter() - started
        per_point_ms = elapsed / len(points) * 1e3
        print(f"one by one (service, 1 query each): {elapsed:8.2f} s  "
              f"{len(points) / elapsed:10,.0f} points/s  {per_point_ms:.3f} ms/point")

        started = time.perf_counter()
        set_based = locate_cells(points)
        elapsed_set = time.perf_counter() - started
        print(f"set-based (one statement):          {elapsed_set:8.2f} s  "
              f"{len(points) / elapsed_set:10,.0f} points/s")
        print(f"speed-up of set-based: {elapsed / elapsed_set:.1f}x")
        mismatches = sum(a != b for a, b in zip(one_by_one, set_based, strict=True))
        print(f"answers that differ between the two: {mismatches}")


if __name__ == "__main__":
    main()

"""Boundaries for the synthetic protected areas, drawn by PostGIS once the rows exist.

The WDPA gives most sites as polygons of tens to thousands of vertices, some in several
parcels, and some as a point only. So here: of the located synthetic areas, BOUNDED_SHARE
get a boundary around their point, the size of their reported area (a circle of that
area, at most MAX_RADIUS_DEGREES across), ragged like a coastline (two slow waves and a
fine noise on the radius, never reaching the centre, so the ring never crosses itself),
with 12 to about 3,000 vertices (most of them a few tens, log-distributed); PARCEL_SHARE
of those get a second, smaller parcel beside the first. The others keep their point.

Everything is computed in one UPDATE per chunk, from numbers derived from the row's slug
and the seed (md5), so the same seed draws the same boundaries, and a run that tops the
table up draws only those of the new rows. Generated this way, 50,000 boundaries take
about a minute (OFFSET 0 keeps PostgreSQL from computing the md5s again for every
point of a ring, which made it ten times slower).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction

from members.models import ProtectedArea

BOUNDED_SHARE = 0.9
PARCEL_SHARE = 0.15
MAX_RADIUS_DEGREES = 1.5
MIN_VERTICES = 12
MAX_VERTICES = 3_000
CHUNK = 5_000


def _uniform(seed_text: str, part: int) -> str:
    """SQL for a number in [0, 1) from eight hex digits (the `part`th) of an md5."""
    start = 1 + 8 * part
    return f"(('x' || substr(md5({seed_text}), {start}, 8))::bit(32)::bigint / 4294967296.0)"


def _ring(center_lon: str, center_lat: str, radius: str, vertices: str, phase: str) -> str:
    """SQL for a ragged closed ring: `vertices` points round a centre, in degrees.

    The radius varies by at most ±45 % (waves of 3 and 7 per turn, a noise per vertex):
    the ring stays star-shaped round its centre, so it is a valid polygon. Longitudes
    are stretched by the latitude so that it is round on the ground.
    """
    step = f"mod(k, {vertices})"  # the last point is the first: the ring closes
    wild = f"abs(sin(({step} + {phase} * 1000) * 12.9898) * 43758.5453)"
    noise = f"({wild} - floor({wild}))"
    angle = f"(2 * pi() * {step} / {vertices})"
    reach = (
        f"{radius} * (1 + 0.25 * sin(3 * {angle} + {phase} * 6.3)"
        f" + 0.12 * sin(7 * {angle} + {phase} * 2.1) + 0.16 * ({noise} - 0.5))"
    )
    point = (
        f"ST_MakePoint({center_lon} + {reach} * cos({angle}) / cos(radians({center_lat})),"
        f" {center_lat} + {reach} * sin({angle}))"
    )
    # An array of points in order, then a line: faster than an ordered aggregate.
    return (
        f"ST_MakePolygon(ST_MakeLine(ARRAY("
        f"SELECT {point} FROM generate_series(0, {vertices}) AS k ORDER BY k)))"
    )


def boundaries_sql(table: str) -> str:
    """The UPDATE that draws the boundaries of synthetic areas with ids in a range."""
    seed_text = "%(seed)s || '/' || area.slug"
    u = [_uniform(seed_text, part) for part in range(4)]
    # The radius of a circle of the reported area, from km to degrees (111 km a degree).
    km2 = "greatest(coalesce(area.reported_area_km2, 1), 0.05)"
    radius = f"least({MAX_RADIUS_DEGREES}, sqrt({km2} / pi()) / 111.0)"
    vertices = (
        f"greatest({MIN_VERTICES}, floor(exp(ln({MIN_VERTICES})"
        f" + (ln({MAX_VERTICES}) - ln({MIN_VERTICES})) * power({u[1]}, 4)))::int)"
    )
    main = _ring("p.lon", "p.lat", "p.radius", "p.vertices", "p.phase")
    # Beside the main parcel (which reaches 1.45 radii at most), a parcel of 0.4 radii
    # (0.58 at most), 2.2 radii away: they never overlap.
    second = _ring(
        "(p.lon + 2.2 * p.radius * cos(p.phase * 6.3) / cos(radians(p.lat)))",
        "(p.lat + 2.2 * p.radius * sin(p.phase * 6.3))",
        "(0.4 * p.radius)",
        "greatest(12, p.vertices / 3)",
        "(p.phase + 0.5)",
    )
    return f"""
        UPDATE "{table}" AS target
        SET boundary = ST_SetSRID(
            ST_Multi(
                CASE WHEN second.ring IS NULL THEN main.ring
                ELSE ST_Collect(main.ring, second.ring) END
            ),
            4326
        )
        FROM (
            SELECT
                area.id,
                area.longitude::float8 AS lon,
                area.latitude::float8 AS lat,
                {radius} AS radius,
                {vertices} AS vertices,
                {u[2]} AS phase,
                {u[3]} < {PARCEL_SHARE} AS parcels
            FROM "{table}" AS area
            WHERE area.slug LIKE 'scale-pa-%%'
              AND area.boundary IS NULL
              AND area.latitude IS NOT NULL
              AND area.id BETWEEN %(first)s AND %(last)s
              AND {u[0]} < {BOUNDED_SHARE}
            OFFSET 0  -- computed once a row: not inlined into every point of its rings
        ) AS p
        CROSS JOIN LATERAL (SELECT {main} AS ring OFFSET 0) AS main
        CROSS JOIN LATERAL (
            SELECT CASE WHEN p.parcels THEN {second} END AS ring OFFSET 0
        ) AS second
        WHERE target.id = p.id
    """


def draw_boundaries(seed: int, say: Callable[[str], None]) -> int:
    """Give the synthetic areas without one their boundary; how many were drawn."""
    ids = list(
        ProtectedArea.objects.filter(
            slug__startswith="scale-pa-", boundary__isnull=True, latitude__isnull=False
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    started = time.perf_counter()
    sql = boundaries_sql(ProtectedArea._meta.db_table)
    drawn = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {"seed": str(seed), "first": chunk[0], "last": chunk[-1]})
            drawn += cursor.rowcount
    say(f"  boundaries             {drawn:>9,} drawn in {time.perf_counter() - started:.1f} s")
    return drawn

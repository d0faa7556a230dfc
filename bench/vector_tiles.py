"""What Mapbox vector tiles from PostGIS (ST_AsMVT) would weigh and cost, for the tiles
`make bench` measures as GeoJSON (docs/performance.md, "Vector tiles or GeoJSON tiles").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/apap_portal_scale \\
        .venv/bin/python manage.py shell < bench/vector_tiles.py

Every public area crossing the tile, as its boundary or its point, found through the
GiST indexes (in WGS 84) and encoded at 4,096 units with a 64-unit buffer; uncached.
"""

import statistics
import time

from django.db import connection

TILES = [(3, 6, 3), (6, 54, 25), (8, 209, 124), (8, 161, 105), (11, 1310, 871)]
REPEATS = 5
TILE_SQL = """
WITH bounds AS (SELECT ST_TileEnvelope(%s, %s, %s) AS g),
rows AS (
  SELECT a.id, a.name, a.site_type,
         ST_AsMVTGeom(
           ST_Transform(COALESCE(a.boundary, a.map_point), 3857), bounds.g, 4096, 64, true
         ) AS geom
  FROM members_protectedarea a, bounds
  WHERE a.visibility = 'public' AND a.map_point IS NOT NULL
    AND (a.boundary && ST_Transform(bounds.g, 4326) OR a.map_point && ST_Transform(bounds.g, 4326))
)
SELECT length(ST_AsMVT(rows.*, 'areas', 4096, 'geom')), (SELECT count(*) FROM rows) FROM rows
"""


def measure(z: int, x: int, y: int) -> str:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(TILE_SQL, [z, x, y])
            size, count = cursor.fetchone()
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    return f"z{z}/{x}/{y}: {count} features, {size / 1024:.1f} kB, median {median:.0f} ms"


for tile in TILES:
    print(measure(*tile))

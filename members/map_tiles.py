"""The protected-area map in tiles: clusters far out, boundaries close in.

The map asks for the square tiles of its view, as it does for its background (the
Web Mercator grid: zoom z has 2^z × 2^z tiles, x from the antimeridian eastward, y from
the north). Each tile is a GeoJSON FeatureCollection of the areas the list's filters
select, for the visitor:

- below BOUNDARY_ZOOM, the areas whose map point lies in the tile, grouped on a grid of
  CLUSTER_CELLS × CLUSTER_CELLS cells: a cell of one area is that area's point, a cell
  of more is a cluster that says how many and the box they fill (the map zooms to it).
  Every map point lies in one tile of a zoom only, so the counts of a zoom's tiles add
  up to the list's count: no area is left out, at any zoom;
- from BOUNDARY_ZOOM on, every area whose boundary crosses the tile, simplified to
  about a pixel of that zoom and cut to the tile (its surface, and its outline without
  the cut lines, so that the pieces of neighbouring tiles join without seams), and the
  points of the areas with no boundary.

A tile's size is bounded at any zoom: a cluster tile holds at most CLUSTER_CELLS²
features; a tile that would draw more than MAX_BOUNDARY_AREAS boundaries, or weigh more
than MAX_TILE_BYTES, is given as clusters instead (which the map zooms into: a few
zooms on, the tile is small enough for boundaries).

Vector tiles (ST_AsMVT) were the other way: they need a WebGL renderer in the browser
(MapLibre GL JS, ~800 kB) for no gain at these sizes; GeoJSON keeps plain Leaflet.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from members.models import ProtectedAreaQuerySet

# The zoom from which tiles carry boundaries rather than clusters: at 8, a tile is about
# 150 km wide, a province; a country's view is a dozen tiles.
BOUNDARY_ZOOM = 8
# The deepest zoom a tile is served for (the background map's deepest).
MAX_ZOOM = 18
# Each side of a tile cut into this many cells for clustering: 64 pixels a cell.
CLUSTER_CELLS = 4
# The pixels of a tile side (Leaflet's and every tile server's default).
TILE_PIXELS = 256
# Boundaries simplified to about this many pixels of their zoom: no visible change.
SIMPLIFY_PIXELS = 1.0
# The most a tile weighs, and the most areas whose boundaries it draws: past either, it
# gives clusters (at about 700 bytes an area, 200 areas make 140 kB).
MAX_TILE_BYTES = 150_000
MAX_BOUNDARY_AREAS = 200
# The latitude where Web Mercator's square world ends.
MERCATOR_LIMIT = 85.0511
# Points and cluster boxes: four decimals of a degree are about 11 m.
POINT_DECIMALS = 4


@dataclass(frozen=True)
class Tile:
    zoom: int
    x: int
    y: int

    def __str__(self) -> str:
        return f"{self.zoom}/{self.x}/{self.y}"

    @classmethod
    def containing(cls, longitude: float, latitude: float, zoom: int) -> Tile:
        """The tile of `zoom` a point lies in (beyond 85.05°, the top or bottom row)."""
        side = 2**zoom
        x = min(side - 1, max(0, math.floor((longitude + 180) / 360 * side)))
        latitude = max(-MERCATOR_LIMIT, min(MERCATOR_LIMIT, latitude))
        mercator = math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))
        y = min(side - 1, max(0, math.floor((1 - mercator / math.pi) / 2 * side)))
        return cls(zoom, x, y)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """West, south, east, north in degrees; the top and bottom rows reach the poles.

        Web Mercator stops at about 85.05° north and south; the tiles that touch those
        edges hold what lies beyond, so that no area is out of every tile.
        """
        side = 2**self.zoom
        west = self.x / side * 360 - 180
        east = (self.x + 1) / side * 360 - 180
        north = 90.0 if self.y == 0 else _latitude(self.y / side)
        south = -90.0 if self.y == side - 1 else _latitude((self.y + 1) / side)
        return west, south, east, north

    @property
    def shows_boundaries(self) -> bool:
        return self.zoom >= BOUNDARY_ZOOM

    @property
    def pixel_degrees(self) -> float:
        """The width of a pixel at this zoom, in degrees of longitude."""
        return 360 / (TILE_PIXELS * 2**self.zoom)

    @property
    def decimals(self) -> int:
        """The decimals of a degree that tell a pixel from the next at this zoom."""
        return max(POINT_DECIMALS - 1, math.ceil(-math.log10(self.pixel_degrees)) + 1)


def _latitude(fraction_from_north: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * fraction_from_north))))


def tile_body(areas: ProtectedAreaQuerySet, tile: Tile, detail_url: Callable[[str], str]) -> bytes:
    """The tile's GeoJSON, at most MAX_TILE_BYTES (see the module's docstring)."""
    if tile.shows_boundaries:
        body = _boundaries(areas, tile, detail_url)
        if body is not None and len(body) <= MAX_TILE_BYTES:
            return body
    return _clusters(areas, tile, detail_url)


def _collection(tile: Tile, clustered: bool, features: list[str]) -> bytes:
    head = f'{{"type":"FeatureCollection","tile":"{tile}","clustered":{json.dumps(clustered)},'
    return (head + '"features":[' + ",".join(features) + "]}").encode()


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _point(longitude: float, latitude: float) -> str:
    return _json(
        {
            "type": "Point",
            "coordinates": [round(longitude, POINT_DECIMALS), round(latitude, POINT_DECIMALS)],
        }
    )


def _feature(geometry: str, properties: dict) -> str:
    return f'{{"type":"Feature","geometry":{geometry},"properties":{_json(properties)}}}'


def _area_properties(name, slug, country, iucn_category, site_type, detail_url) -> dict:
    return {
        "name": name,
        "url": detail_url(slug),
        "country": country,
        "iucn_category": iucn_category,
        "site_type": site_type,
    }


def _is_empty(geometry: str) -> bool:
    return geometry.endswith('"coordinates":[]}') or geometry.endswith('"geometries":[]}')


def _clusters(areas: ProtectedAreaQuerySet, tile: Tile, detail_url: Callable[[str], str]) -> bytes:
    features = []
    for cell in areas.map_clusters(*tile.bounds, cells=CLUSTER_CELLS):
        if cell["column"] >= CLUSTER_CELLS or cell["row"] >= CLUSTER_CELLS:
            continue  # on the east or north edge: the next tile's
        point = _point(cell["longitude"], cell["latitude"])
        if cell["count"] == 1:
            properties = _area_properties(
                cell["first_name"],
                cell["first_slug"],
                cell["country_name"],
                cell["first_iucn_category"],
                cell["first_site_type"],
                detail_url,
            )
        else:
            extent = [round(edge, POINT_DECIMALS) for edge in cell["extent"]]
            properties = {"count": cell["count"], "bbox": extent}
        features.append(_feature(point, properties))
    return _collection(tile, clustered=True, features=features)


def _boundaries(
    areas: ProtectedAreaQuerySet, tile: Tile, detail_url: Callable[[str], str]
) -> bytes | None:
    """The boundaries of the tile, or None when it crosses more than MAX_BOUNDARY_AREAS."""
    features = []
    rows = list(
        areas.map_shapes(
            *tile.bounds,
            tolerance=SIMPLIFY_PIXELS * tile.pixel_degrees,
            decimals=tile.decimals,
        )[: MAX_BOUNDARY_AREAS + 1]
    )
    if len(rows) > MAX_BOUNDARY_AREAS:
        return None
    for name, slug, country, iucn, site_type, shape, outline, longitude, latitude in rows:
        properties = _area_properties(name, slug, country, iucn, site_type, detail_url)
        if shape is None:
            features.append(_feature(_point(longitude, latitude), properties))
            continue
        if _is_empty(shape):  # the boundary only touches the tile's edge
            continue
        features.append(_feature(shape, {**properties, "part": "area"}))
        if outline is not None and not _is_empty(outline):
            features.append(_feature(outline, {"url": properties["url"], "part": "outline"}))
    return _collection(tile, clustered=False, features=features)

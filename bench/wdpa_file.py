"""A synthetic WDPA shapefile download, for measuring `manage.py import_wdpa` at scale.

    python -m bench.wdpa_file /tmp/wdpa.zip --sites 50000

writes a ZIP in Protected Planet's layout: three inner ZIPs (`…_shp_0.zip` to `_2`),
each with a `…-points` and a `…-polygons` shapefile (UTF-8, .cpg) in the current column
names. The polygon sites have 20 to 400 vertices (some are multipolygons), about 1 %
are split into two parcels that lie in different inner ZIPs, about 10 % are OECMs, a
few lie in two countries; `--points` sites more have a point only. The same seed gives
the same file.

Features are streamed as GeoJSON lines to a temporary file per layer and turned into a
shapefile by `ogr2ogr` (gdal-bin), so memory stays flat whatever the number of sites.
Needs no Django: it only writes a file.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

PARTS = 3
NAME = "WDPA_WDOECM_Bench_Public"
# (south, north, west, east) of some of Asia's countries, and how often they are picked.
COUNTRY_BOXES = {
    "CHN": (20.0, 50.0, 80.0, 130.0, 10),
    "IND": (8.0, 34.0, 70.0, 95.0, 8),
    "IDN": (-9.0, 5.0, 96.0, 140.0, 7),
    "JPN": (31.0, 45.0, 130.0, 145.0, 8),
    "VNM": (9.0, 23.0, 103.0, 109.0, 4),
    "THA": (6.0, 20.0, 98.0, 105.0, 4),
    "PHL": (5.0, 19.0, 118.0, 126.0, 4),
    "MYS": (1.0, 7.0, 100.0, 119.0, 3),
    "KOR": (34.0, 38.0, 126.0, 129.0, 4),
    "NPL": (27.0, 30.0, 81.0, 88.0, 1),
    "LAO": (14.0, 22.0, 101.0, 107.0, 1),
    "KHM": (10.5, 14.5, 103.0, 107.0, 1),
    "MNG": (42.0, 51.0, 90.0, 118.0, 2),
    "KAZ": (41.0, 55.0, 50.0, 85.0, 2),
    "BGD": (21.0, 26.0, 89.0, 92.0, 1),
}
IUCN = ["Ia", "Ib", "II", "III", "IV", "V", "VI", "Not Reported", "Not Applicable"]
GOVERNANCE = [
    "Federal or national ministry or agency",
    "Sub-national ministry or agency",
    "Collaborative governance",
    "Local communities",
    "Not Reported",
]
REALMS = ["Terrestrial", "Terrestrial", "Terrestrial", "Coastal", "Marine"]


def attributes(rng: random.Random, site_id: int, parcel: str, iso3: str, area: float) -> dict:
    oecm = rng.random() < 0.10
    name = f"Bench site {site_id}"
    return {
        "SITE_ID": site_id,
        "SITE_PID": parcel,
        "SITE_TYPE": "oecm" if oecm else "pa",
        "NAME_ENG": name,
        "NAME": f"Khu bảo tồn {site_id}" if iso3.startswith("VNM") else name,
        "DESIG": "Khu bảo tồn" if iso3.startswith("VNM") else "National Park",
        "DESIG_ENG": "Nature Reserve" if oecm else "National Park",
        "DESIG_TYPE": "National",
        "IUCN_CAT": "Not Applicable" if oecm else rng.choice(IUCN),
        "INT_CRIT": "Not Applicable",
        "REALM": rng.choice(REALMS),
        "REP_M_AREA": 0.0,
        "GIS_M_AREA": 0.0,
        "REP_AREA": round(area, 3),
        "GIS_AREA": round(area * rng.uniform(0.9, 1.1), 3),
        "NO_TAKE": "Not Applicable",
        "NO_TK_AREA": 0.0,
        "STATUS": "Designated",
        "STATUS_YR": rng.randint(1950, 2025),
        "GOV_TYPE": rng.choice(GOVERNANCE),
        "GOVSUBTYPE": "Not Reported",
        "OWN_TYPE": "State",
        "OWNSUBTYPE": "Not Reported",
        "MANG_AUTH": "Not Reported",
        "MANG_PLAN": "Not Reported",
        "VERIF": "State Verified",
        "METADATAID": 1,
        "PRNT_ISO3": iso3,
        "ISO3": iso3,
        "SUPP_INFO": "Not Applicable",
        "CONS_OBJ": "Not Applicable",
        "INLND_WTRS": "Not Applicable",
        "OECM_ASMT": "Not Applicable",
    }


def star(rng: random.Random, lon: float, lat: float, radius: float, vertices: int) -> list:
    """A simple polygon: vertices round a centre at increasing angles, radii jittered."""
    ring = []
    for k in range(vertices):
        angle = 2 * math.pi * k / vertices
        r = radius * rng.uniform(0.6, 1.0)
        ring.append([round(lon + r * math.cos(angle), 6), round(lat + r * math.sin(angle), 6)])
    ring.append(ring[0])
    return [ring]


def site_geometry(rng: random.Random, lon: float, lat: float) -> tuple[dict, float]:
    """A polygon of 20 to 400 vertices, or (one in twenty) a multipolygon of 2 or 3."""
    radius = rng.uniform(0.01, 0.2)
    pieces = rng.choice([2, 3]) if rng.random() < 0.05 else 1
    polygons = [
        star(rng, lon + 3 * radius * n, lat, radius, rng.randint(20, 400)) for n in range(pieces)
    ]
    area = pieces * math.pi * (radius * 111) ** 2 * 0.6
    if pieces == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}, area
    return {"type": "MultiPolygon", "coordinates": polygons}, area


def place(rng: random.Random) -> tuple[str, float, float]:
    iso3s = list(COUNTRY_BOXES)
    iso3 = rng.choices(iso3s, weights=[COUNTRY_BOXES[c][4] for c in iso3s])[0]
    south, north, west, east, _weight = COUNTRY_BOXES[iso3]
    lat, lon = rng.uniform(south, north), rng.uniform(west, east)
    if rng.random() < 0.005:  # a site across a border
        iso3 = f"{iso3};{rng.choice([c for c in iso3s if c != iso3])}"
    return iso3, lon, lat


def features(sites: int, points: int, seed: int) -> Iterator[tuple[int, str, dict]]:
    """(part, "points" or "polygons", GeoJSON feature) for every record of the download."""
    rng = random.Random(seed)
    for n in range(sites):
        site_id = 10_000_000 + n
        iso3, lon, lat = place(rng)
        geometry, area = site_geometry(rng, lon, lat)
        part = n % PARTS
        if rng.random() < 0.01:  # two parcels, in two inner ZIPs
            for parcel in range(2):
                shifted, parcel_area = site_geometry(rng, lon + parcel * 0.5, lat)
                properties = attributes(rng, site_id, f"{site_id}_{parcel}", iso3, parcel_area)
                yield (part + parcel) % PARTS, "polygons", _feature(properties, shifted)
            continue
        properties = attributes(rng, site_id, str(site_id), iso3, area)
        yield part, "polygons", _feature(properties, geometry)
    for n in range(points):
        site_id = 20_000_000 + n
        iso3, lon, lat = place(rng)
        properties = attributes(rng, site_id, str(site_id), iso3, rng.uniform(0.1, 50))
        geometry = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
        yield n % PARTS, "points", _feature(properties, geometry)


def _feature(properties: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_download(out: Path, sites: int, points: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="wdpa-bench-") as scratch:
        directory = Path(scratch)
        lines = {
            (part, kind): open(directory / f"{part}-{kind}.geojsons", "w", encoding="utf-8")  # noqa: SIM115
            for part in range(PARTS)
            for kind in ("points", "polygons")
        }
        for part, kind, feature in features(sites, points, seed):
            lines[part, kind].write(json.dumps(feature, ensure_ascii=False) + "\n")
        for file in lines.values():
            file.close()
        with zipfile.ZipFile(out, "w") as download:
            for part in range(PARTS):
                inner = directory / f"{NAME}_shp_{part}.zip"
                with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as inner_zip:
                    for kind in ("points", "polygons"):
                        layer = f"{NAME}_shp-{kind}"
                        subprocess.run(
                            [
                                "ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8",
                                "-nlt", "POINT" if kind == "points" else "MULTIPOLYGON",
                                "-nln", layer, str(directory / f"{part}"),
                                f"GeoJSONSeq:{directory / f'{part}-{kind}.geojsons'}",
                            ],
                            check=True,
                        )  # fmt: skip
                        for path in sorted((directory / f"{part}").glob(f"{layer}.*")):
                            inner_zip.write(path, path.name)
                            path.unlink()
                download.write(inner, inner.name)
                inner.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="The ZIP to write.")
    parser.add_argument("--sites", type=int, default=50_000, help="Polygon sites.")
    parser.add_argument("--points", type=int, default=1_000, help="Point-only sites.")
    parser.add_argument("--seed", type=int, default=15)
    arguments = parser.parse_args()
    started = time.monotonic()
    write_download(arguments.out, arguments.sites, arguments.points, arguments.seed)
    size = arguments.out.stat().st_size / 1e6
    print(f"{arguments.out}: {size:.0f} MB in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()

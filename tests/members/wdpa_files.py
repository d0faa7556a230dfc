"""Small WDPA files for the import's tests, written as Protected Planet writes them.

Features are GeoJSON written by hand; `ogr2ogr` (gdal-bin) turns them into shapefiles
and GeoPackages; Python's zipfile nests them as the shapefile download does: a ZIP of
`…_shp_0.zip` to `…_shp_2.zip`, each with a `…-points` and a `…-polygons` shapefile.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

CURRENT_COLUMNS = [
    "SITE_ID",
    "SITE_PID",
    "SITE_TYPE",
    "NAME_ENG",
    "NAME",
    "DESIG",
    "DESIG_ENG",
    "DESIG_TYPE",
    "IUCN_CAT",
    "INT_CRIT",
    "REALM",
    "REP_M_AREA",
    "GIS_M_AREA",
    "REP_AREA",
    "GIS_AREA",
    "NO_TAKE",
    "NO_TK_AREA",
    "STATUS",
    "STATUS_YR",
    "GOV_TYPE",
    "GOVSUBTYPE",
    "OWN_TYPE",
    "OWNSUBTYPE",
    "MANG_AUTH",
    "MANG_PLAN",
    "VERIF",
    "METADATAID",
    "PRNT_ISO3",
    "ISO3",
    "SUPP_INFO",
    "CONS_OBJ",
    "INLND_WTRS",
    "OECM_ASMT",
]


def site(site_id: int, name: str, *, parcel: str = "", **overrides) -> dict:
    """The attributes of a record in the current column names, strings as in a download."""
    values = dict.fromkeys(CURRENT_COLUMNS, "")
    values |= {
        "SITE_ID": str(site_id),
        "SITE_PID": parcel or str(site_id),
        "SITE_TYPE": "pa",
        "NAME_ENG": name,
        "NAME": name,
        "DESIG": "Vườn quốc gia",
        "DESIG_ENG": "National Park",
        "DESIG_TYPE": "National",
        "IUCN_CAT": "II",
        "REALM": "Terrestrial",
        "REP_M_AREA": "0",
        "REP_AREA": "100",
        "GIS_AREA": "101.5",
        "STATUS": "Designated",
        "STATUS_YR": "1962",
        "GOV_TYPE": "Federal or national ministry or agency",
        "MANG_AUTH": "Not Reported",
        "ISO3": "VNM",
        "PRNT_ISO3": "VNM",
    }
    return values | overrides


def square(west: float, south: float, size: float = 0.1) -> dict:
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def point(longitude: float, latitude: float) -> dict:
    return {"type": "Point", "coordinates": [longitude, latitude]}


def feature(attributes: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": attributes, "geometry": geometry}


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def ogr2ogr(*arguments: str) -> None:
    subprocess.run(["ogr2ogr", *arguments], check=True, capture_output=True)


# Every column a string, as the download's DBF holds most of them; the numbers are
# read from their text either way.
STRINGS = ["-mapFieldType", "Integer=String,Integer64=String,Real=String"]


def write_shapefile(directory: Path, name: str, features: list[dict]) -> list[Path]:
    """A UTF-8 shapefile (.shp .shx .dbf .prj .cpg) of the features; its files."""
    # An empty part of a download still has the columns: written from a placeholder
    # record that ogr2ogr then leaves out.
    placeholder = [feature(site(0, "placeholder"), point(0, 0))] if not features else []
    source = write_geojson(directory / f"{name}.source.geojson", features + placeholder)
    ogr2ogr(
        "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", *STRINGS,
        *(["-where", "SITE_ID <> '0'"] if placeholder else []),
        str(directory / f"{name}.shp"), str(source),
    )  # fmt: skip
    return sorted(path for path in directory.glob(f"{name}.*") if path.suffix != ".geojson")


def shapefile_download(
    directory: Path, parts: list[tuple[list[dict], list[dict]]], *, name="WDPA_WDOECM_Dec2025"
) -> Path:
    """Protected Planet's shapefile download: a ZIP of one ZIP per (points, polygons) part."""
    outer = directory / f"{name}_Public_shp.zip"
    with zipfile.ZipFile(outer, "w") as download:
        for number, (points, polygons) in enumerate(parts):
            part = directory / f"part{number}"
            part.mkdir()
            inner_name = f"{name}_Public_shp_{number}.zip"
            with zipfile.ZipFile(part / inner_name, "w") as inner:
                for kind, features in (("points", points), ("polygons", polygons)):
                    for path in write_shapefile(part, f"{name}_Public_shp-{kind}", features):
                        inner.write(path, path.name)
            download.write(part / inner_name, inner_name)
    return outer


def geopackage(directory: Path, features: list[dict], name="wdpa.gpkg") -> Path:
    source = write_geojson(directory / "gpkg.source.geojson", features)
    target = directory / name
    ogr2ogr("-f", "GPKG", *STRINGS, "-nln", "WDPA_poly", str(target), str(source))
    return target

"""manage.py import_wdpa with the files Protected Planet hands out: the shapefile ZIP
(nested ZIPs of points and polygons), a GeoPackage, GeoJSON; and what an import keeps."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from members.management.commands.import_wdpa import ProgressBar
from members.models import ProtectedArea, SiteType, WdpaImport
from tests.factories import OrganizationFactory, ProtectedAreaFactory, UserFactory, country
from tests.members.wdpa_files import (
    feature,
    geopackage,
    point,
    shapefile_download,
    site,
    square,
    write_geojson,
)

pytestmark = pytest.mark.django_db

# A bow tie: a ring that crosses itself, which the WDPA does have; made valid, not refused.
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[104, 22], [104.2, 22.2], [104.2, 22], [104, 22.2], [104, 22]]],
}


def download_parts():
    """Three parts, as Protected Planet splits the download: every kind of site."""
    part_0 = (
        [feature(site(1003, "Mangrove Community Forest", SITE_TYPE="oecm"), point(106.5, 20.2))],
        [
            feature(
                site(1001, "Cuc Phuong", NAME="Vườn quốc gia Cúc Phương", REP_AREA="222"),
                square(105.6, 20.3),
            ),
            # Two parcels of one site, the second in another part.
            feature(
                site(1002, "Con Dao", parcel="1002_A", REP_AREA="10", GIS_AREA="10.1"),
                square(106.6, 8.7),
            ),
        ],
    )
    part_1 = (
        [],
        [
            feature(
                site(1002, "Con Dao", parcel="1002_B", REP_AREA="5", GIS_AREA="4.9"),
                square(106.5, 8.6),
            ),
            feature(
                site(
                    1004, "Tri-border Forest", ISO3="CHN;LAO;VNM", PRNT_ISO3="CHN;LAO;VNM", NAME=""
                ),
                BOW_TIE,
            ),
            feature(site(1005, "Bad Year", STATUS_YR="19x5"), square(107, 21)),
        ],
    )
    part_2 = ([feature(site(1006, "Ba Be", REP_AREA="100"), point(105.62, 22.41))], [])
    return [part_0, part_1, part_2]


def run_import(path, *arguments) -> str:
    out = io.StringIO()
    call_command("import_wdpa", str(path), *arguments, stdout=out)
    return out.getvalue()


def legacy_csv(tmp_path, rename: dict[int, str]):
    """The same sites in the legacy CSV column names; `rename` changes some names."""
    header = ["WDPAID", "WDPA_PID", "PA_DEF", "NAME", "ORIG_NAME", "ISO3", "REP_AREA", "GIS_AREA"]
    header += ["DESIG_ENG", "IUCN_CAT", "REP_M_AREA", "STATUS", "STATUS_YR", "MARINE"]
    same = ["National Park", "II", 0, "Designated", 1962, 0]
    rows = [
        [1001, 1001, 1, "Cuc Phuong", "Vườn quốc gia Cúc Phương", "VNM", 222, 101.5, *same],
        [1002, "1002_A", 1, "Con Dao", "", "VNM", 10, 10.1, *same],
        [1002, "1002_B", 1, "Con Dao", "", "VNM", 5, 4.9, *same],
        [1003, 1003, 0, "Mangrove Community Forest", "", "VNM", 100, 101.5, *same],
        [1004, 1004, 1, "Tri-border Forest", "", "CHN;LAO;VNM", 100, 101.5, *same],
        [1006, 1006, 1, "Ba Be", "", "VNM", 100, 101.5, *same],
    ]
    for row in rows:
        row[3] = rename.get(row[0], row[3])
    path = tmp_path / "WDPA_legacy.csv"
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_the_shapefile_download_imports_every_part_of_every_inner_zip(tmp_path):
    path = shapefile_download(tmp_path, download_parts())

    output = run_import(path)

    assert "7 rows read: created 5, updated 0, unchanged 0, skipped 1" in output
    assert (
        "WDPA_WDOECM_Dec2025_Public_shp_1.zip/WDPA_WDOECM_Dec2025_Public_shp-polygons.shp "
        "feature 2: the status year '19x5' is not a whole number" in output
    )
    areas = {area.wdpa_id: area for area in ProtectedArea.objects.all()}
    assert set(areas) == {1001, 1002, 1003, 1004, 1006}

    cuc_phuong = areas[1001]
    assert cuc_phuong.original_name == "Vườn quốc gia Cúc Phương"  # UTF-8 by the .cpg
    assert cuc_phuong.designation == "National Park"  # DESIG_ENG over DESIG
    assert cuc_phuong.boundary.geom_type == "MultiPolygon"
    assert cuc_phuong.boundary.srid == 4326
    assert (cuc_phuong.latitude, cuc_phuong.longitude) == (None, None)
    assert cuc_phuong.gis_area_km2 == Decimal("101.5")
    assert cuc_phuong.reported_marine_area_km2 == Decimal(0)

    con_dao = areas[1002]  # one area of both parcels, from two inner ZIPs
    assert con_dao.reported_area_km2 == Decimal(15)
    assert con_dao.gis_area_km2 == Decimal("15.0")
    assert con_dao.boundary.num_geom == 2
    assert con_dao.boundary.area == pytest.approx(0.02)

    oecm = areas[1003]  # a point only: its point is the location
    assert oecm.site_type == SiteType.OECM
    assert (oecm.latitude, oecm.longitude) == (Decimal("20.2"), Decimal("106.5"))
    assert oecm.boundary is None

    tri_border = areas[1004]
    assert tri_border.country == country("CHN")
    assert set(tri_border.countries.values_list("iso3", flat=True)) == {"CHN", "LAO", "VNM"}
    assert tri_border.boundary.valid  # the bow tie, made valid
    assert tri_border.boundary.num_geom == 2

    assert areas[1006].latitude == Decimal("22.41")  # from the third inner ZIP


def test_importing_the_download_again_creates_nothing(tmp_path):
    path = shapefile_download(tmp_path, download_parts())
    run_import(path)

    output = run_import(path)

    assert "7 rows read: created 0, updated 0, unchanged 5, skipped 1" in output
    assert ProtectedArea.objects.count() == 5
    latest = WdpaImport.objects.first()
    assert (latest.created, latest.updated, latest.unchanged, latest.skipped) == (0, 0, 5, 1)
    assert latest.changes["added"] == []
    assert latest.changes["changed"] == {}


def test_a_legacy_csv_of_the_same_sites_updates_them_and_the_record_says_what_changed(tmp_path):
    run_import(shapefile_download(tmp_path, download_parts()))
    first = WdpaImport.objects.get()
    assert first.changes["added"] == [1003, 1001, 1002, 1004, 1006]

    output = run_import(legacy_csv(tmp_path, rename={1001: "Cúc Phương National Park"}))

    assert "6 rows read: created 0, updated 1, unchanged 4, skipped 0" in output
    cuc_phuong = ProtectedArea.objects.get(wdpa_id=1001)
    assert cuc_phuong.name == "Cúc Phương National Park"
    assert cuc_phuong.boundary is not None  # a CSV has no geometry: the boundary stays
    assert ProtectedArea.objects.get(wdpa_id=1003).site_type == SiteType.OECM  # PA_DEF 0
    assert ProtectedArea.objects.get(wdpa_id=1002).reported_area_km2 == Decimal(15)
    record = WdpaImport.objects.first()
    assert record.file_name == "WDPA_legacy.csv"
    assert record.changes["changed"] == {
        "1001": {"name": ["Cuc Phuong", "Cúc Phương National Park"]}
    }


def test_what_the_secretariat_wrote_is_never_overwritten(tmp_path):
    authority = OrganizationFactory(name="Cuc Phuong National Park Board")
    board = OrganizationFactory(name="Another Board")
    ProtectedAreaFactory(
        wdpa_id=1001,
        name="Cuc Phuong",
        slug="cuc-phuong-np",
        description="Viet Nam's first national park.",
        management_authority=authority,
        visibility="members",
    )
    parts = download_parts()
    parts[0][1][0]["properties"]["MANG_AUTH"] = "Another Board"

    run_import(shapefile_download(tmp_path, parts))

    area = ProtectedArea.objects.get(wdpa_id=1001)
    assert area.description == "Viet Nam's first national park."
    assert area.slug == "cuc-phuong-np"
    assert area.visibility == "members"
    assert area.management_authority == authority  # not `board`, though its name matches
    assert area.management_authority_name == "Another Board"
    assert board.managed_areas.count() == 0
    assert area.boundary is not None


def test_areas_no_longer_in_the_wdpa_are_flagged_kept_and_cleared_when_they_come_back(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "partial").mkdir()
    full = shapefile_download(tmp_path / "full", download_parts())
    run_import(full)
    elsewhere = ProtectedAreaFactory(wdpa_id=9999, country=country("JPN"))  # not covered
    without_ba_be = download_parts()[:2]

    output = run_import(shapefile_download(tmp_path / "partial", without_ba_be))

    ba_be = ProtectedArea.objects.get(wdpa_id=1006)
    assert ba_be.missing_from_wdpa_since is not None
    elsewhere.refresh_from_db()
    assert elsewhere.missing_from_wdpa_since is None  # Japan is not in the file
    assert "1 no longer in the WDPA (kept, flagged)" in output
    assert WdpaImport.objects.first().changes["missing"] == [1006]

    output = run_import(full)

    ba_be.refresh_from_db()
    assert ba_be.missing_from_wdpa_since is None
    record = WdpaImport.objects.first()
    assert record.returned == 1
    assert record.changes["returned"] == [1006]
    assert "updated 1" in output


def test_a_partial_file_flags_no_area_as_missing(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "partial").mkdir()
    run_import(shapefile_download(tmp_path / "full", download_parts()))
    partial = shapefile_download(tmp_path / "partial", download_parts()[:2])

    out = io.StringIO()
    call_command("import_wdpa", str(partial), "--partial", stdout=out)

    assert ProtectedArea.objects.get(wdpa_id=1006).missing_from_wdpa_since is None
    assert "a partial file: no area flagged as missing from the WDPA" in out.getvalue()
    record = WdpaImport.objects.first()
    assert record.missing == 0
    assert record.changes["partial"] is True


def test_a_geopackage_and_geojson_are_read(tmp_path):
    features = [
        feature(site(2001, "Khao Yai", ISO3="THA"), square(101.4, 14.3)),
        feature(site(2002, "Surin Islands", ISO3="THA", SITE_TYPE="oecm"), point(98.3, 9.4)),
    ]
    run_import(geopackage(tmp_path, features))
    assert ProtectedArea.objects.get(wdpa_id=2001).boundary is not None
    assert ProtectedArea.objects.get(wdpa_id=2002).site_type == SiteType.OECM

    renamed = [feature(site(2001, "Khao Yai National Park", ISO3="THA"), square(101.4, 14.3))]
    output = run_import(write_geojson(tmp_path / "wdpa.geojson", renamed))

    assert "created 0, updated 1, unchanged 0" in output
    assert ProtectedArea.objects.get(wdpa_id=2001).name == "Khao Yai National Park"


def test_a_layer_with_the_wrong_columns_is_refused_before_anything_is_written(tmp_path):
    parts = download_parts()
    wrong = {"ID": "7", "TITLE": "No Such Columns"}
    parts[2] = ([feature(wrong, point(105, 21))], [])

    with pytest.raises(CommandError) as raised:
        run_import(shapefile_download(tmp_path, parts))

    message = str(raised.value)
    assert "WDPA_WDOECM_Dec2025_Public_shp_2.zip/WDPA_WDOECM_Dec2025_Public_shp-points.shp" in (
        message
    )
    assert "lacks the required columns: WDPAID (or SITE_ID), NAME (or NAME_ENG), ISO3" in message
    assert not ProtectedArea.objects.exists()
    assert not WdpaImport.objects.exists()


def test_a_zip_without_shapefiles_and_a_broken_zip_are_refused(tmp_path):
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(CommandError, match="holds no shapefile"):
        run_import(empty)

    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError):
        run_import(broken)
    assert not ProtectedArea.objects.exists()


def test_the_import_record_names_the_user_and_the_admin_lists_it(tmp_path, admin_client):
    user = UserFactory(username="secretariat")
    run_import(shapefile_download(tmp_path, download_parts()), "--user", "secretariat")

    record = WdpaImport.objects.get()
    assert record.imported_by == user
    assert (record.records_read, record.created, record.skipped) == (7, 5, 1)
    assert record.changes["skipped"][0][1] == "the status year '19x5' is not a whole number"
    response = admin_client.get("/admin/members/wdpaimport/")
    assert response.status_code == 200
    assert "WDPA_WDOECM_Dec2025_Public_shp.zip" in response.text
    assert admin_client.get(f"/admin/members/wdpaimport/{record.pk}/change/").status_code == 200
    assert admin_client.get("/admin/members/wdpaimport/add/").status_code == 403


def test_an_unknown_user_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        run_import(shapefile_download(tmp_path, download_parts()), "--user", "nobody")


def test_the_progress_is_a_bar_on_a_terminal_and_lines_elsewhere():
    terminal, log = io.StringIO(), io.StringIO()
    bar = ProgressBar(OutputWrapper(terminal), terminal=True)
    lines = ProgressBar(OutputWrapper(log), terminal=False)
    for progress in (bar, lines):
        progress("Reading", 500, 2000)
        progress("Reading", 2000, 2000)
    bar.finish()

    assert terminal.getvalue() == (
        "\rReading  [#######.......................] 500/2000"
        "\rReading  [##############################] 2000/2000\n"
    )
    assert log.getvalue() == "… Reading: 500 of 2000\n… Reading: 2000 of 2000\n"


def test_a_repeated_record_and_a_record_without_geometry_do_not_confuse_the_parcels(tmp_path):
    first = site(3001, "Phong Nha", parcel="3001_A", REP_AREA="10")
    second = site(3001, "Phong Nha", parcel="3001_B", REP_AREA="5")
    polygons = [
        feature(first, square(106.1, 17.5)),
        feature(first, square(100, 10)),  # the same parcel again: skipped, its square unused
        feature(site(3002, "No Shape Yet"), None),
        feature(second, square(106.3, 17.5)),
    ]

    output = run_import(shapefile_download(tmp_path, [([], polygons)]))

    assert "4 rows read: created 2, updated 0, unchanged 0, skipped 1" in output
    assert "WDPA id 3001 was already imported from" in output
    phong_nha = ProtectedArea.objects.get(wdpa_id=3001)
    assert phong_nha.reported_area_km2 == Decimal(15)
    assert phong_nha.boundary.num_geom == 2
    assert phong_nha.boundary.extent == pytest.approx((106.1, 17.5, 106.4, 17.6))
    no_shape = ProtectedArea.objects.get(wdpa_id=3002)
    assert (no_shape.boundary, no_shape.latitude) == (None, None)

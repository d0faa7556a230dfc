"""manage.py import_wdpa: protected areas from a WDPA CSV export."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from members import wdpa
from members.models import (
    DesignationType,
    GovernanceType,
    IucnCategory,
    ProtectedArea,
    ProtectedAreaStatus,
    Realm,
)
from tests.factories import OrganizationFactory, ProtectedAreaFactory, country

LEGACY_HEADER = [
    "WDPAID",
    "NAME",
    "ORIG_NAME",
    "DESIG",
    "DESIG_TYPE",
    "IUCN_CAT",
    "GOV_TYPE",
    "MANG_AUTH",
    "REP_AREA",
    "STATUS",
    "STATUS_YR",
    "ISO3",
    "MARINE",
]
NEWER_HEADER = [
    "SITE_ID",
    "NAME_ENG",
    "NAME",
    "DESIG",
    "DESIG_TYPE",
    "IUCN_CAT",
    "GOV_TYPE",
    "MANG_AUTH",
    "REP_AREA",
    "STATUS",
    "STATUS_YR",
    "ISO3",
    "REALM",
]


def legacy_row(wdpa_id="100", name="Chitwan National Park", **overrides) -> list[str]:
    values = {
        "WDPAID": wdpa_id,
        "NAME": name,
        "ORIG_NAME": name,
        "DESIG": "National Park",
        "DESIG_TYPE": "National",
        "IUCN_CAT": "II",
        "GOV_TYPE": "Federal or national ministry or agency",
        "MANG_AUTH": "Not Reported",
        "REP_AREA": "952.63",
        "STATUS": "Designated",
        "STATUS_YR": "1973",
        "ISO3": "NPL",
        "MARINE": "0",
    } | overrides
    return [values[column] for column in LEGACY_HEADER]


def write_csv(tmp_path, header, rows, *, name="wdpa.csv", encoding="utf-8"):
    path = tmp_path / name
    with open(path, "w", newline="", encoding=encoding) as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(path) -> str:
    out = io.StringIO()
    call_command("import_wdpa", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_legacy_columns_create_protected_areas_with_all_fields(tmp_path):
    authority = OrganizationFactory(
        name="Department of National Parks and Wildlife Conservation", acronym="DNPWC"
    )
    path = write_csv(
        tmp_path,
        LEGACY_HEADER,
        [
            legacy_row(
                "2291",
                "Chitwan",
                ORIG_NAME="चितवन राष्ट्रिय निकुञ्ज",
                DESIG_TYPE="national",
                IUCN_CAT="ia",
                GOV_TYPE="sub-national ministry or agency",
                MANG_AUTH="DNPWC",
                REP_AREA="952.625",
                STATUS="inscribed",
                STATUS_YR="1984",
            ),
            legacy_row(
                "555",
                "Ha Long Bay",
                ISO3="VNM",
                MARINE="2",
                DESIG_TYPE="Something else",
                IUCN_CAT="",
                GOV_TYPE="Unheard of",
                MANG_AUTH="Ha Long Bay Management Board",
                REP_AREA="",
                STATUS="",
                STATUS_YR="0",
            ),
        ],
    )

    run_import(path)

    chitwan = ProtectedArea.objects.get(wdpa_id=2291)
    assert chitwan.name == "Chitwan"
    assert chitwan.original_name == "चितवन राष्ट्रिय निकुञ्ज"
    assert chitwan.slug == "chitwan"
    assert chitwan.country == country("NPL")
    assert chitwan.designation == "National Park"
    assert chitwan.designation_type == DesignationType.NATIONAL
    assert chitwan.iucn_category == IucnCategory.IA
    assert chitwan.governance_type == GovernanceType.SUBNATIONAL
    assert chitwan.management_authority_name == "DNPWC"
    assert chitwan.management_authority == authority
    assert chitwan.reported_area_km2 == Decimal("952.625")
    assert chitwan.status == ProtectedAreaStatus.INSCRIBED
    assert chitwan.status_year == 1984
    assert chitwan.realm == Realm.TERRESTRIAL
    assert chitwan.latitude is None
    assert chitwan.longitude is None

    ha_long = ProtectedArea.objects.get(wdpa_id=555)
    assert ha_long.country == country("VNM")
    assert ha_long.original_name == ""  # the same as the name
    assert ha_long.realm == Realm.MARINE
    assert ha_long.designation_type == ""
    assert ha_long.iucn_category == IucnCategory.NOT_REPORTED
    assert ha_long.governance_type == GovernanceType.NOT_REPORTED
    assert ha_long.management_authority_name == "Ha Long Bay Management Board"
    assert ha_long.management_authority is None
    assert ha_long.reported_area_km2 is None
    assert ha_long.status == ProtectedAreaStatus.NOT_REPORTED
    assert ha_long.status_year is None


@pytest.mark.django_db
def test_newer_columns_read_name_eng_original_name_and_realm(tmp_path):
    path = write_csv(
        tmp_path,
        NEWER_HEADER,
        [
            [
                "900",
                "Cuc Phuong",
                "Vườn quốc gia Cúc Phương",
                "National Park",
                "National",
                "II",
                "Federal or national ministry or agency",
                "Not Reported",
                "222",
                "Designated",
                "1962",
                "VNM",
                "coastal",
            ],
            ["901", "Mu Ko Surin", "Mu Ko Surin", "", "", "", "", "", "", "", "", "THA", "MARINE"],
        ],
    )

    run_import(path)

    cuc_phuong = ProtectedArea.objects.get(wdpa_id=900)
    assert cuc_phuong.name == "Cuc Phuong"
    assert cuc_phuong.original_name == "Vườn quốc gia Cúc Phương"
    assert cuc_phuong.realm == Realm.COASTAL
    assert cuc_phuong.management_authority_name == ""  # "Not Reported" is no name
    assert cuc_phuong.reported_area_km2 == Decimal(222)
    assert cuc_phuong.status_year == 1962
    surin = ProtectedArea.objects.get(wdpa_id=901)
    assert surin.original_name == ""
    assert surin.realm == Realm.MARINE
    assert surin.country == country("THA")


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(tmp_path):
    first = write_csv(
        tmp_path, LEGACY_HEADER, [legacy_row("100", "Chitwan"), legacy_row("200", "Sagarmatha")]
    )
    run_import(first)
    second = write_csv(
        tmp_path,
        LEGACY_HEADER,
        [legacy_row("100", "Chitwan National Park"), legacy_row("200", "Sagarmatha")],
        name="again.csv",
    )

    output = run_import(second)

    assert ProtectedArea.objects.count() == 2
    chitwan = ProtectedArea.objects.get(wdpa_id=100)
    assert chitwan.name == "Chitwan National Park"
    assert chitwan.slug == "chitwan"  # its address stays put
    assert "created 0, updated 1, unchanged 1, skipped 0" in output


@pytest.mark.django_db
def test_absent_optional_columns_leave_fields_alone(tmp_path):
    ProtectedAreaFactory(
        wdpa_id=100,
        name="Chitwan",
        designation="National Park",
        iucn_category=IucnCategory.II,
        latitude=Decimal("27.5"),
        longitude=Decimal("84.3"),
        description="Rhinos.",
    )
    path = write_csv(tmp_path, ["WDPAID", "NAME", "ISO3"], [["100", "Chitwan NP", "NPL"]])

    run_import(path)

    chitwan = ProtectedArea.objects.get(wdpa_id=100)
    assert chitwan.name == "Chitwan NP"
    assert chitwan.designation == "National Park"
    assert chitwan.iucn_category == IucnCategory.II
    assert chitwan.latitude == Decimal("27.5")
    assert chitwan.longitude == Decimal("84.3")
    assert chitwan.description == "Rhinos."


@pytest.mark.django_db
def test_coordinate_columns_are_imported_when_present(tmp_path):
    ProtectedAreaFactory(wdpa_id=100, latitude=Decimal(1), longitude=Decimal(2))
    path = write_csv(
        tmp_path,
        ["WDPAID", "NAME", "ISO3", "LATITUDE", "LONG"],
        [["100", "Chitwan", "NPL", "27.5", "84.333333"], ["200", "Bardia", "NPL", "", ""]],
    )

    run_import(path)

    chitwan = ProtectedArea.objects.get(wdpa_id=100)
    assert (chitwan.latitude, chitwan.longitude) == (Decimal("27.5"), Decimal("84.333333"))
    bardia = ProtectedArea.objects.get(wdpa_id=200)
    assert (bardia.latitude, bardia.longitude) == (None, None)


@pytest.mark.django_db
def test_malformed_rows_are_reported_with_their_line_and_skipped(tmp_path):
    path = write_csv(
        tmp_path,
        [*LEGACY_HEADER, "LAT", "LON"],
        [
            # Line 2, three physical lines: later line numbers must count them.
            [*legacy_row("1", "Good One", MANG_AUTH="Board\nof\nManagement"), "", ""],
            [*legacy_row("abc", "Bad Id"), "", ""],  # line 5
            [*legacy_row("3", "Bad Country", ISO3="XXX"), "", ""],  # line 6
            [*legacy_row("4", "Negative Area", REP_AREA="-5"), "", ""],  # line 7
            [*legacy_row("5", "Wordy Area", REP_AREA="large"), "", ""],  # line 8
            [*legacy_row("6", "Bad Year", STATUS_YR="19x5"), "", ""],  # line 9
            [*legacy_row("7", ""), "", ""],  # line 10
            [*legacy_row("8", "Off The Map"), "95", "80"],  # line 11
            [*legacy_row("9", "Half Located"), "27", ""],  # line 12
            [*legacy_row("1", "Good One Again"), "", ""],  # line 13
            [*legacy_row("10", "Good Two"), "27.5", "84.3"],  # line 14
            [*legacy_row("11", "Two Faults", ISO3="XXX", STATUS_YR="1500"), "", ""],  # line 15
            ["12", "Too Short"],  # line 16
        ],
    )

    output = run_import(path)

    assert set(ProtectedArea.objects.values_list("wdpa_id", flat=True)) == {1, 10}
    assert ProtectedArea.objects.get(wdpa_id=1).name == "Good One"
    assert "13 rows read: created 2, updated 0, unchanged 0, skipped 11" in output
    assert "line 5: the WDPA id 'abc' is not a whole number" in output
    assert "line 6: unknown ISO3 country code 'XXX'" in output
    assert "line 7: the reported area '-5' is negative" in output
    assert "line 8: the reported area 'large' is not a number" in output
    assert "line 9: the status year '19x5' is not a whole number" in output
    assert "line 10: the name is empty" in output
    assert "line 11: the latitude '95' is not between -90 and 90" in output
    assert "line 12: it gives a latitude but not the other coordinate" in output
    assert "line 13: WDPA id 1 was already imported from line 2" in output
    assert (
        "line 15: the status year '1500' is not between 1800 and 2100; "
        "unknown ISO3 country code 'XXX'" in output
    )
    assert "line 16: it has 2 fields where the header has 15" in output


@pytest.mark.django_db
def test_a_bad_row_leaves_its_existing_protected_area_untouched(tmp_path):
    ProtectedAreaFactory(wdpa_id=100, name="Chitwan", designation="National Park")
    path = write_csv(
        tmp_path,
        LEGACY_HEADER,
        [legacy_row("100", "Renamed", DESIG="Wildlife Reserve", REP_AREA="-1")],
    )

    output = run_import(path)

    chitwan = ProtectedArea.objects.get(wdpa_id=100)
    assert (chitwan.name, chitwan.designation) == ("Chitwan", "National Park")
    assert "line 2: the reported area '-1' is negative" in output


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["WDPAID", "ORIG_NAME", "DESIG"], "NAME, ISO3"),
        (["SITE_ID", "NAME", "ISO3"], "NAME_ENG"),
        (["ID", "NAME", "ISO3"], "WDPAID (or SITE_ID)."),
        (["ID", "DESIG"], "WDPAID (or SITE_ID), NAME (or NAME_ENG), ISO3."),
        (["WDPAID", "NAME", "ISO3", "LAT"], "the longitude column: LON or LONG or LONGITUDE"),
    ],
)
@pytest.mark.django_db
def test_wrong_columns_are_refused_naming_the_missing_ones(tmp_path, header, missing):
    path = write_csv(tmp_path, header, [["100", "Chitwan", "NPL", "27"][: len(header)]])

    with pytest.raises(CommandError, match="lacks the") as raised:
        run_import(path)

    assert missing in str(raised.value)
    assert not ProtectedArea.objects.exists()


@pytest.mark.django_db
def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "missing.csv")

    latin1 = write_csv(
        tmp_path,
        ["WDPAID", "NAME", "ISO3"],
        [["1", "Good", "NPL"], ["2", "Kõh", "NPL"]],
        encoding="latin-1",
    )
    with pytest.raises(CommandError, match="Line 3 is not UTF-8"):
        run_import(latin1)
    assert not ProtectedArea.objects.exists()


@pytest.mark.django_db
def test_bom_and_header_case_and_spacing_are_tolerated(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text(
        " wdpaid ,Name,iso3 ,Marine\r\n100,Chitwan,npl,1\r\n", encoding="utf-8-sig", newline=""
    )

    output = run_import(path)

    chitwan = ProtectedArea.objects.get(wdpa_id=100)
    assert (chitwan.name, chitwan.country, chitwan.realm) == (
        "Chitwan",
        country("NPL"),
        Realm.COASTAL,
    )
    assert "created 1" in output


@pytest.mark.django_db
def test_several_countries_take_the_first_known_one(tmp_path):
    path = write_csv(
        tmp_path,
        ["WDPAID", "NAME", "ISO3"],
        [["1", "Sundarbans", "BGD;IND"], ["2", "Elsewhere", "XXX; IND"]],
    )

    run_import(path)

    assert ProtectedArea.objects.get(wdpa_id=1).country == country("BGD")
    assert ProtectedArea.objects.get(wdpa_id=2).country == country("IND")


@pytest.mark.django_db
def test_slugs_stay_unique(tmp_path):
    ProtectedAreaFactory(name="Chitwan", slug="chitwan")
    path = write_csv(
        tmp_path,
        ["WDPAID", "NAME", "ISO3"],
        [["100", "Chitwan", "NPL"], ["200", "Bardia", "NPL"], ["300", "Bardia", "NPL"]],
    )

    run_import(path)

    slugs = dict(ProtectedArea.objects.filter(wdpa_id__isnull=False).values_list("wdpa_id", "slug"))
    assert slugs == {100: "chitwan-100", 200: "bardia", 300: "bardia-300"}


@pytest.mark.django_db
def test_summary_and_progress_are_printed(tmp_path):
    ProtectedAreaFactory(wdpa_id=1, name="Area 1", designation="")
    ProtectedAreaFactory(wdpa_id=2, name="Area 2", designation="")
    rows = [[str(n), f"Area {n}", "", "NPL"] for n in range(1, 1201)]
    rows[0][2] = "National Park"  # updates area 1; area 2 stays as it was
    rows.append(["x", "Bad", "", "NPL"])
    path = write_csv(tmp_path, ["WDPAID", "NAME", "DESIG", "ISO3"], rows)

    output = run_import(path)

    assert "… Reading: 500" in output
    assert "… Reading: 1000" in output
    assert "… Reading: 1201" in output
    assert "… Writing: 1200 of 1200" in output
    assert "1201 rows read: created 1198, updated 1, unchanged 1, skipped 1" in output
    assert "line 1202: the WDPA id 'x' is not a whole number" in output
    assert ProtectedArea.objects.count() == 1200


@pytest.mark.django_db
def test_the_list_of_skipped_rows_is_capped(tmp_path):
    path = write_csv(tmp_path, ["WDPAID", "NAME", "ISO3"], [["x", "Bad", "NPL"]] * 60)

    output = run_import(path)

    assert "line 51: " in output
    assert "line 52: " not in output
    assert "… and 10 more skipped rows" in output


@pytest.mark.django_db
def test_a_row_the_database_refuses_does_not_stop_the_others(tmp_path, monkeypatch):
    # As if another process had taken the slug between planning and writing.
    ProtectedAreaFactory(name="Chitwan", slug="chitwan")
    monkeypatch.setattr(wdpa, "_unique_slug", lambda name, wdpa_id, taken: slugify(name))
    path = write_csv(
        tmp_path, ["WDPAID", "NAME", "ISO3"], [["100", "Chitwan", "NPL"], ["200", "Bardia", "NPL"]]
    )

    output = run_import(path)

    assert list(ProtectedArea.objects.filter(wdpa_id__isnull=False).values_list("wdpa_id")) == [
        (200,)
    ]
    assert "line 2: the database refused it" in output
    assert "created 1, updated 0, unchanged 0, skipped 1" in output


@pytest.mark.django_db
def test_reimport_updates_country_and_links_the_authority(tmp_path):
    authority = OrganizationFactory(name="Department of National Parks", acronym="DNP")
    ProtectedAreaFactory(wdpa_id=100, name="Khao Yai", country=country("NPL"))
    path = write_csv(
        tmp_path,
        ["WDPAID", "NAME", "ISO3", "MANG_AUTH"],
        [["100", "Khao Yai", "THA", "Department of National Parks"]],
    )

    output = run_import(path)

    khao_yai = ProtectedArea.objects.get(wdpa_id=100)
    assert khao_yai.country == country("THA")
    assert khao_yai.management_authority == authority
    assert "updated 1" in output


@pytest.mark.django_db
def test_an_unbalanced_quote_is_reported_with_the_lines_it_swallowed(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('WDPAID,NAME,ISO3\n1,"Chitwan,NPL\n2,Bardia,NPL\n', encoding="utf-8")

    output = run_import(path)

    assert not ProtectedArea.objects.exists()
    assert "line 2: it has 2 fields where the header has 3 (the record spans lines 2 to 3)" in (
        output
    )


@pytest.mark.django_db
def test_overlong_text_is_refused_rather_than_cut(tmp_path):
    path = write_csv(tmp_path, ["WDPAID", "NAME", "ISO3"], [["1", "x" * 256, "NPL"]])

    output = run_import(path)

    assert not ProtectedArea.objects.exists()
    assert "line 2: the name is longer than 255 characters" in output


@pytest.mark.django_db
def test_an_import_refreshes_the_cached_figures_whoever_runs_it(tmp_path, client):
    """The importer's bulk writes send no signals: the cache learns of them all the same,
    from the importer itself, not only from the command."""
    assert client.get("/").context["protected_area_count"] == 0  # now cached
    path = tmp_path / "wdpa.csv"
    path.write_text("WDPAID,NAME,ISO3\n555,Bardia National Park,NPL\n", encoding="utf-8")
    wdpa.import_file(path)
    assert client.get("/").context["protected_area_count"] == 1


PARCEL_HEADER = ["SITE_ID", "SITE_PID", "NAME_ENG", "ISO3", "REP_AREA"]


def staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s)::text, to_regclass(%s)::text",
            [f"pg_temp.{wdpa.STAGED_RECORDS}", f"pg_temp.{wdpa.STAGED_SITES}"],
        )
        return [name for name in cursor.fetchone() if name]


@pytest.mark.django_db
def test_parcels_far_apart_in_the_file_make_one_area_whatever_the_batches(tmp_path, monkeypatch):
    """The file is staged before anything is written: a site's parcels are joined even
    when others lie between them and the writing goes one site at a time."""
    monkeypatch.setattr(wdpa, "BATCH_SIZE", 1)
    path = write_csv(
        tmp_path,
        PARCEL_HEADER,
        [
            ["100", "100_A", "Kangchenjunga", "NPL", "1000.5"],
            ["200", "", "Bardia", "NPL", "968"],
            ["300", "", "Sagarmatha", "NPL", "1148"],
            ["100", "100_B", "Kangchenjunga", "IND", "850.25"],
        ],
    )

    output = run_import(path)

    assert "4 rows read: created 3, updated 0, unchanged 0, skipped 0" in output
    kangchenjunga = ProtectedArea.objects.get(wdpa_id=100)
    assert kangchenjunga.reported_area_km2 == Decimal("1850.750")
    assert {c.iso3 for c in kangchenjunga.countries.all()} == {"NPL", "IND"}
    # Written in the order the file first names the sites.
    assert list(
        ProtectedArea.objects.filter(wdpa_id__isnull=False)
        .order_by("pk")
        .values_list("wdpa_id", flat=True)
    ) == [100, 200, 300]
    assert staging_tables() == []


@pytest.mark.django_db
def test_a_file_refused_halfway_leaves_no_staging_behind(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"WDPAID,NAME,ISO3\n1,Chitwan,NPL\n2,Bardia \xff,NPL\n")

    with pytest.raises(CommandError, match="Line 3 is not UTF-8"):
        run_import(path)

    assert staging_tables() == []
    assert not ProtectedArea.objects.exists()
    # The connection is usable: the next import goes through.
    run_import(write_csv(tmp_path, ["WDPAID", "NAME", "ISO3"], [["1", "Chitwan", "NPL"]]))
    assert ProtectedArea.objects.get(wdpa_id=1).slug == "chitwan"


@pytest.mark.django_db
def test_same_names_in_different_batches_get_different_slugs(tmp_path, monkeypatch):
    monkeypatch.setattr(wdpa, "BATCH_SIZE", 1)
    ProtectedAreaFactory(name="Royal Chitwan", slug="royal-chitwan")
    ProtectedAreaFactory(name="Royal Chitwan", slug="royal-chitwan-300")
    ProtectedAreaFactory(name="Royal Chitwan", slug="royal-chitwan-300-2")
    path = write_csv(
        tmp_path,
        ["WDPAID", "NAME", "ISO3"],
        [["100", "Chitwan", "NPL"], ["200", "Chitwan", "NPL"], ["300", "Royal Chitwan", "NPL"]],
    )

    run_import(path)

    slugs = dict(ProtectedArea.objects.filter(wdpa_id__isnull=False).values_list("wdpa_id", "slug"))
    # The third site's first two candidates are taken (read at once), and so is the
    # third (asked for when it comes up).
    assert slugs == {100: "chitwan", 200: "chitwan-200", 300: "royal-chitwan-300-3"}


@pytest.mark.django_db
def test_an_import_asks_the_same_queries_for_ten_new_sites_or_forty(tmp_path):
    """New areas' slugs and existing areas are read per batch, not per site."""

    def queries_to_import(first_id: int, sites: int) -> int:
        rows = [[str(first_id + n), "Bardia", "NPL"] for n in range(sites)]
        path = write_csv(tmp_path, ["WDPAID", "NAME", "ISO3"], rows, name=f"{first_id}.csv")
        with CaptureQueriesContext(connection) as queries:
            wdpa.import_file(path)
        return len(queries)

    assert queries_to_import(1000, 10) == queries_to_import(2000, 40)

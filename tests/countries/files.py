"""Country statistics files as Protected Planet publishes them, written by the tests."""

from __future__ import annotations

import csv
from pathlib import Path

# The columns of Protected Planet's file, in its order (it has a few the portal ignores).
HEADER = [
    "iso3",
    "pa_marine_area",
    "pa_land_area",
    "marine_area",
    "land_area",
    "percentage_pa_land_cover",
    "percentage_pa_marine_cover",
    "percentage_nr_land_cover",
    "percentage_nr_marine_cover",
    "nr_version",
    "nr_report_url",
    "oecms_pa_marine_area",
    "oecms_pa_land_area",
    "percentage_oecms_pa_land_cover",
    "percentage_oecms_pa_marine_cover",
]

# Rows of the release of May 2026, as published.
VIET_NAM = {
    "iso3": "VNM",
    "pa_marine_area": "3686.93",
    "pa_land_area": "24686.51",
    "marine_area": "752006.11",
    "land_area": "326147.32",
    "percentage_pa_land_cover": "7.57",
    "percentage_pa_marine_cover": "0.49",
    "percentage_nr_land_cover": "7",
    "percentage_nr_marine_cover": "na",
    "nr_version": "5",
    "nr_report_url": "https://www.cbd.int/doc/world/vn/vn-nr-05-en.pdf",
    "oecms_pa_marine_area": "3686.93",
    "oecms_pa_land_area": "24686.51",
    "percentage_oecms_pa_land_cover": "7.57",
    "percentage_oecms_pa_marine_cover": "0.49",
}
BHUTAN = {
    "iso3": "BTN",
    "pa_marine_area": "0",
    "pa_land_area": "19973.82",
    "marine_area": "0",
    "land_area": "38689.5",
    "percentage_pa_land_cover": "51.63",
    "percentage_pa_marine_cover": "0",
    "percentage_nr_land_cover": "51.44",
    "percentage_nr_marine_cover": "na",
    "nr_version": "6",
    "nr_report_url": "https://chm.cbd.int/database/record/780672FC-714D-DCB8-463B-8C13757C89D1",
    "oecms_pa_marine_area": "0",
    "oecms_pa_land_area": "20292.68",
    "percentage_oecms_pa_land_cover": "52.45",
    "percentage_oecms_pa_marine_cover": "0",
}
JAPAN = {
    "iso3": "JPN",
    "pa_marine_area": "560806.33",
    "pa_land_area": "110633.84",
    "marine_area": "4066374.07",
    "land_area": "372246.02",
    "percentage_pa_land_cover": "29.72",
    "percentage_pa_marine_cover": "13.79",
    "percentage_nr_land_cover": "20.3",
    "percentage_nr_marine_cover": "8.3",
    "nr_version": "6",
    "nr_report_url": "https://chm.cbd.int/en/database/record?documentID=241284",
    "oecms_pa_marine_area": "560806.74",
    "oecms_pa_land_area": "111153.54",
    "percentage_oecms_pa_land_cover": "29.86",
    "percentage_oecms_pa_marine_cover": "13.79",
}
# A territory outside Asia: the portal does not list it.
ARUBA = {
    **VIET_NAM,
    "iso3": "ABW",
    "nr_report_url": "na",
    "percentage_pa_land_cover": "26.89",
}


def statistics_file(folder: Path, rows: list[dict], header: list[str] = HEADER) -> Path:
    path = folder / "country_statistics.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path

"""Demo data of the country profiles: Protected Planet's country statistics of May 2026.

The rows of the member countries, as Protected Planet published them (a copy of the file,
dated 1 May 2026, is in the public repository unepwcmc/ProtectedPlanet at
lib/data/seeds/country_statistics_2026-05-01.csv; docs/demo-data.md). Only its columns
that `import_country_statistics` reads are kept, unchanged; they are read by the same
code as the importer's, and written only where they differ (a second run writes nothing).
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import TextIO

from django.db import transaction

from countries.models import CountryStatistics
from countries.statistics import parse_iso3, parse_values
from demo.members import MIGRATE_FIRST, DemoLoader, finder
from members.models import Country

AS_OF = datetime.date(2026, 5, 1)

COUNTRY_STATISTICS_CSV = """\
iso3,pa_land_area,pa_marine_area,land_area,marine_area,percentage_pa_land_cover,percentage_pa_marine_cover,oecms_pa_land_area,oecms_pa_marine_area,percentage_oecms_pa_land_cover,percentage_oecms_pa_marine_cover,nr_report_url
BGD,5756.94,9694.05,138100.47,112147.69,4.17,8.64,5756.94,9694.05,4.17,8.64,https://www.cbd.int/doc/world/bd/bd-nr-05-en.pdf
BTN,19973.82,0,38689.5,0,51.63,0,20292.68,0,52.45,0,https://chm.cbd.int/database/record/780672FC-714D-DCB8-463B-8C13757C89D1
CHN,1460679.97,46135.94,9355609.18,957349.11,15.61,4.82,1460679.97,46135.94,15.61,4.82,https://chm.cbd.int/database/record/C7B6BC32-C06D-B09C-BFF8-7D265F24DBE6
IND,228591.84,7647.74,2973909.64,2325608.77,7.69,0.33,228591.84,7647.74,7.69,0.33,https://chm.cbd.int/database/record/93FF87C5-5D5D-B150-2A0F-5D3AF67E77C9
JPN,110633.84,560806.33,372246.02,4066374.07,29.72,13.79,111153.54,560806.74,29.86,13.79,https://chm.cbd.int/en/database/record?documentID=241284
KHM,72058.34,719.34,181294.54,48718.84,39.75,1.48,72058.34,719.34,39.75,1.48,https://www.cbd.int/doc/world/kh/kh-nr-05-en.pdf
KOR,17953.62,7887.36,101311.17,346786.66,17.72,2.27,18112.6,7887.63,17.88,2.27,https://chm.cbd.int/database/record/37C38AFC-AF9F-168E-B555-2EBA21CF2DCD
LAO,43362.62,0,230381.54,0,18.82,0,43362.62,0,18.82,0,na
LKA,20375.13,1614.41,65861.46,533491.18,30.94,0.3,20375.13,1614.41,30.94,0.3,https://www.cbd.int/doc/world/lk/lk-nr-05-en.pdf
MDV,7.13,530.77,239.83,923880.57,2.97,0.06,7.13,530.77,2.97,0.06,https://www.cbd.int/doc/world/mv/mv-nr-05-en.pdf
MMR,40283.5,3164.38,667097.77,498153.43,6.04,0.64,40283.5,3164.38,6.04,0.64,https://chm.cbd.int/database/record/F7636AF4-F0E7-CAAE-ED0A-CE0E9F3A7F9C
MNG,310104.76,0,1564875.67,0,19.82,0,310104.76,0,19.82,0,https://www.cbd.int/doc/world/mn/mn-nr-05-en.pdf
MYS,43769.95,25060.72,328670.43,517532.69,13.32,4.84,43769.95,25060.72,13.32,4.84,https://www.cbd.int/doc/world/my/my-nr-05-en.pdf
NPL,34770.15,0,147469.57,0,23.58,0,34770.15,0,23.58,0,https://chm.cbd.int/database/record/A6B3AF62-55F8-F0D0-7106-76D42630A951
PAK,151566.53,2764.56,792823.4,225191.45,19.12,1.23,151566.53,2764.56,19.12,1.23,https://www.cbd.int/doc/world/pk/pk-nr-05-en.pdf
THA,94766.89,15080.76,513989.05,298681.77,18.44,5.05,94766.89,15080.76,18.44,5.05,https://chm.cbd.int/database/record/46D5C83F-588E-181B-D5F7-80C3E0A7552E
VNM,24686.51,3686.93,326147.32,752006.11,7.57,0.49,24686.51,3686.93,7.57,0.49,https://www.cbd.int/doc/world/vn/vn-nr-05-en.pdf
"""


@transaction.atomic
def load_countries_demo(stdout: TextIO | None = None) -> dict[str, dict[str, int]]:
    """Load the member countries' statistics; return how many were created, updated and
    left unchanged."""
    loader = DemoLoader(stdout)
    country = finder(Country.objects.in_bulk(field_name="iso3"), "country", MIGRATE_FIRST)
    for row in csv.DictReader(io.StringIO(COUNTRY_STATISTICS_CSV)):
        loader.sync(
            "country statistics",
            CountryStatistics,
            {"country": country(parse_iso3(row["iso3"]))},
            {**parse_values(row), "as_of": AS_OF},
        )
    return {label: dict(counter) for label, counter in loader.counts.items()}

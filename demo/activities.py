"""Demo data of the activities section: APAP's events timeline, the cooperation with
Viet Nam's NBCA in the first half of 2023, two planned activities and a few funding
proposals (sources: docs/demo-data.md).

`load_activities_demo()` can run any number of times, like the members loader whose
helpers it uses: each record is found by its natural key (slug, title, ISO3 code) and
written only when it is missing or differs from the facts below, so a second run writes
nothing. Where a fact is not known, the field stays blank: an event known only by its
month or its years keeps that precision (`date_precision`), an organizer that the sources
do not name is not made up, and the participating countries are left for staff to
fill in (only their number is known, and it is given in the summary).

Organizers and partners named here are added when missing; links that staff add in the
admin are kept. The funding proposals are illustrative, and say so in their notes.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils.text import slugify

from activities.models import (
    Activity,
    ActivityOrganization,
    FocalActivity,
    FundingProposal,
    OrganizationRole,
    WorkArea,
)
from demo.members import (
    DNP_THAILAND,
    ICIMOD,
    IUCN_ARO,
    KNPS,
    MIGRATE_FIRST,
    MOAF_BHUTAN,
    MOEFCC,
    NBCA,
    VNFOREST,
    DemoLoader,
    finder,
)
from knowledge.models import GbfTarget
from members.models import Country, Organization, Subregion, Visibility

KIND = Activity.Kind
DAY = Activity.DatePrecision.DAY
ORGANIZER = OrganizationRole.ORGANIZER
PARTNER = OrganizationRole.PARTNER

# Natural keys of organizations this loader adds.
WII = "wildlife-institute-of-india"

# Countries outside the reference data of Asia that the timeline needs.
COUNTRIES = [
    # The partnership was launched at the IUCN World Parks Congress in Sydney.
    {"iso3": "AUS", "name": "Australia", "subregion": Subregion.OUTSIDE_ASIA},
]

# Organizations the activities need that are not member agencies or partners of the
# members section.
ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "slug": WII,
        "name": "Wildlife Institute of India",
        "acronym": "WII",
        "kind": Organization.Kind.ACADEMIC,
        "country": "IND",
        "website": "https://wii.gov.in/",
        "description": (
            "An institute for wildlife research and training in Dehradun, India, under the "
            "Ministry of Environment, Forest and Climate Change. With IUCN's Asia Regional "
            "Office and the Ministry it organised the APAP technical and Steering Committee "
            "meetings in Dehradun in April 2023."
        ),
    },
]


def days(start: date, end: date | None = None) -> dict[str, Any]:
    """Exact days; `end` is None for a one-day activity."""
    return {"start_date": start, "end_date": end, "date_precision": DAY}


def month(year: int, number: int) -> dict[str, Any]:
    """Only the month is known: its first and last days."""
    last = calendar.monthrange(year, number)[1]
    return {
        "start_date": date(year, number, 1),
        "end_date": date(year, number, last),
        "date_precision": Activity.DatePrecision.MONTH,
    }


def years(first: int, last: int) -> dict[str, Any]:
    """Only the years are known: from 1 January of the first to 31 December of the last."""
    return {
        "start_date": date(first, 1, 1),
        "end_date": date(last, 12, 31),
        "date_precision": Activity.DatePrecision.YEAR,
    }


def activity_slug(title: str, start: date) -> str:
    """The title and the year: "1st-asia-parks-congress-2013". Dashes inside words
    ("human–wildlife") separate them rather than vanish."""
    return f"{slugify(re.sub(r'[–—/]', ' ', title))}-{start.year}"


# Work areas, by slug; focal activities by their order within the activity's work area
# (see activities/reference.py).
KNOWLEDGE = "knowledge-capacity"
SHARE_BEST_PRACTICES, CAPACITY_DEVELOPMENT, ACCESS_TO_GUIDANCE = 1, 2, 3
TRANSBOUNDARY = "transboundary-cooperation"
DISSEMINATE_GUIDELINES = 3
ADVOCACY = "awareness-advocacy"
POLICY_FORUMS = 2

TBC = "Planned; dates to be confirmed."

# The events timeline of docs/demo-data.md, then two planned activities. "country" is an
# ISO3 code; "organizations" are (slug, role); "gbf_targets" are target numbers (only
# for activities after the GBF's adoption in December 2022).
ACTIVITIES: list[dict[str, Any]] = [
    {
        "title": "1st Asia Parks Congress",
        "kind": KIND.FORUM,
        "work_area": TRANSBOUNDARY,
        **days(date(2013, 11, 13), date(2013, 11, 17)),
        "city": "Sendai",
        "country": "JPN",
        "summary": (
            "The first congress of Asia's protected-area community, under the theme \"Parks "
            'Connect". It produced the Sendai Charter and endorsed the idea of an Asia '
            "Protected Areas Partnership."
        ),
        "body": (
            "Protected-area agencies and practitioners from across Asia met in Sendai, "
            'Japan, for the **1st Asia Parks Congress**, themed *"Parks Connect"*. The '
            "congress adopted the Sendai Charter and endorsed the idea of a partnership of "
            "the region's protected-area agencies: the Asia Protected Areas Partnership, "
            "launched a year later at the IUCN World Parks Congress in Sydney."
        ),
    },
    {
        "title": "APAP Planning Committee meeting",
        "kind": KIND.OTHER,
        "work_area": TRANSBOUNDARY,
        **days(date(2014, 4, 24), date(2014, 4, 25)),
        "city": "Bangkok",
        "country": "THA",
        "summary": (
            "The partnership's Planning Committee met in Bangkok, between the endorsement "
            "of APAP in Sendai and its launch in Sydney."
        ),
        "body": (
            "The partnership's Planning Committee met in Bangkok, Thailand, on 24–25 April "
            "2014: after the 1st Asia Parks Congress had endorsed the idea of APAP, and "
            "before its formal launch at the IUCN World Parks Congress in November 2014."
        ),
    },
    {
        "title": "Launch of APAP at the IUCN World Parks Congress",
        "kind": KIND.FORUM,
        "work_area": ADVOCACY,
        "focal_activities": [POLICY_FORUMS],
        **month(2014, 11),
        "city": "Sydney",
        "country": "AUS",
        "summary": (
            "The Asia Protected Areas Partnership was formally launched at the IUCN World "
            "Parks Congress in Sydney."
        ),
        "body": (
            "A year after the 1st Asia Parks Congress endorsed the idea, the **Asia Protected "
            "Areas Partnership** was formally launched at the IUCN World Parks Congress in "
            "Sydney, Australia, in November 2014. It is chaired by IUCN, through its Asia "
            "Regional Office, with a rotating country co-chair; Japan's Ministry of the "
            "Environment was the first."
        ),
    },
    {
        "title": "1st Technical Workshop on collaborative management",
        "kind": KIND.TECHNICAL_WORKSHOP,
        "work_area": KNOWLEDGE,
        "focal_activities": [SHARE_BEST_PRACTICES],
        **month(2015, 11),
        "city": "Ishigaki Island, Okinawa",
        "country": "JPN",
        "summary": (
            "APAP's first technical workshop, on the collaborative management of protected "
            "areas, with participants from 8 member countries."
        ),
        "body": (
            "The partnership's first technical workshop took place on Ishigaki Island, "
            "Okinawa, Japan, in November 2015. Participants from 8 member countries shared "
            "their experience of **collaborative management**: managing protected areas "
            "together with the people and institutions that depend on them."
        ),
    },
    {
        "title": "Technical Workshop on human–wildlife conflict",
        "kind": KIND.TECHNICAL_WORKSHOP,
        "work_area": KNOWLEDGE,
        "focal_activities": [SHARE_BEST_PRACTICES],
        **month(2017, 10),
        "city": "Thimphu",
        "country": "BTN",
        "summary": (
            "A technical workshop in Thimphu on human–wildlife conflict, with participants "
            "from 11 countries."
        ),
        "body": (
            "Participants from 11 countries met in Thimphu, Bhutan, in October 2017 for a "
            "technical workshop on **human–wildlife conflict** in and around protected "
            "areas."
        ),
    },
    {
        "title": "Technical Workshop on management effectiveness and the IUCN Green List",
        "kind": KIND.TECHNICAL_WORKSHOP,
        "work_area": KNOWLEDGE,
        "focal_activities": [SHARE_BEST_PRACTICES],
        **years(2017, 2018),
        "city": "",
        "country": "KOR",
        "summary": (
            "A technical workshop in the Republic of Korea on assessing how well protected "
            "areas are managed, and on the IUCN Green List."
        ),
        "body": (
            "A technical workshop in the Republic of Korea on **management effectiveness** "
            "and the **IUCN Green List of Protected and Conserved Areas**, the standard for "
            "protected areas that are effectively and fairly managed. Only its years, "
            "2017–18, are recorded here."
        ),
    },
    {
        "title": "Korea National Park Friendship Programme",
        "kind": KIND.EXCHANGE_VISIT,
        "work_area": KNOWLEDGE,
        "focal_activities": [CAPACITY_DEVELOPMENT],
        **days(date(2018, 6, 3), date(2018, 6, 30)),
        "city": "",
        "country": "KOR",
        "organizations": [(KNPS, ORGANIZER)],
        "summary": (
            "A four-week exchange programme of the Korea National Park Service in the "
            "Republic of Korea."
        ),
        "body": (
            "From 3 to 30 June 2018 the **Korea National Park Friendship Programme** "
            "brought protected-area staff to the Republic of Korea for an exchange with the "
            "Korea National Park Service: the kind of staff exchange that members ask for."
        ),
    },
    {
        "title": "4th Steering Committee meeting",
        "kind": KIND.STEERING_COMMITTEE,
        "work_area": TRANSBOUNDARY,
        **days(date(2018, 7, 12), date(2018, 7, 13)),
        "city": "Bangkok",
        "country": "THA",
        "summary": (
            "The partnership's fourth Steering Committee meeting, in Bangkok. Its "
            "questionnaire asked members what they want from APAP."
        ),
        "body": (
            "The fourth meeting of APAP's Steering Committee took place in Bangkok, "
            "Thailand, on 12–13 July 2018. A questionnaire to members showed what they want "
            "from the partnership: practical, on-the-ground topics such as **sustainable "
            "tourism**, more **technical workshops**, **staff exchanges** and "
            "**best-practice guidelines translated** into their languages."
        ),
    },
    {
        "title": "APAP side event at the 7th IUCN Asia Regional Conservation Forum",
        "kind": KIND.FORUM,
        "work_area": ADVOCACY,
        "focal_activities": [POLICY_FORUMS],
        **days(date(2019, 11, 6), date(2019, 11, 8)),
        "city": "Islamabad",
        "country": "PAK",
        "summary": (
            "APAP held a side event at the 7th IUCN Asia Regional Conservation Forum in Islamabad."
        ),
        "body": (
            "At the **7th IUCN Asia Regional Conservation Forum**, in Islamabad, Pakistan, "
            "on 6–8 November 2019, APAP held a side event to bring the work of Asia's "
            "protected-area agencies before the region's conservation community."
        ),
    },
    {
        "title": "Webinar on other effective area-based conservation measures (OECMs)",
        "kind": KIND.WEBINAR,
        "work_area": KNOWLEDGE,
        "focal_activities": [ACCESS_TO_GUIDANCE],
        **days(date(2020, 4, 23)),
        "is_online": True,
        "summary": (
            "An online webinar on other effective area-based conservation measures "
            "(OECMs): conservation that happens outside protected areas."
        ),
        "body": (
            "**Other effective area-based conservation measures (OECMs)** are areas outside "
            "protected areas that are governed and managed in ways that conserve "
            "biodiversity in the long term. This online webinar was about them; APAP's "
            "briefing note and FAQ on OECMs cover the subject too."
        ),
    },
    {
        "title": "Webinar on COVID-19 and protected areas",
        "kind": KIND.WEBINAR,
        "work_area": KNOWLEDGE,
        "focal_activities": [ACCESS_TO_GUIDANCE],
        **days(date(2020, 7, 23)),
        "is_online": True,
        "summary": "An online webinar on how COVID-19 affected protected areas.",
        "body": (
            "An online webinar on **COVID-19 and protected areas**: how the pandemic "
            "affected protected areas and the agencies that manage them. See also APAP's "
            "COVID-19 survey report (2020)."
        ),
    },
    {
        "title": "6th Technical Workshop on OECMs",
        "kind": KIND.TECHNICAL_WORKSHOP,
        "work_area": KNOWLEDGE,
        "focal_activities": [SHARE_BEST_PRACTICES],
        **days(date(2020, 8, 13)),
        "is_online": True,
        "summary": (
            "APAP's sixth technical workshop, held online, on other effective area-based "
            "conservation measures (OECMs)."
        ),
        "body": (
            "The partnership's sixth technical workshop was held online on 13 August 2020. "
            "It returned to **other effective area-based conservation measures (OECMs)**, "
            "the subject of the webinar of April 2020."
        ),
    },
    {
        "title": "APAP planning workshop",
        "kind": KIND.WORKSHOP,
        "work_area": TRANSBOUNDARY,
        **month(2023, 1),
        "city": "Bangkok",
        "country": "THA",
        "summary": "A workshop in Bangkok to plan the partnership's work.",
        "body": (
            "A planning workshop of the partnership in Bangkok, Thailand, in January 2023. "
            "Only its month is recorded here."
        ),
    },
    {
        "title": 'Technical and Steering Committee meetings: "Moving Towards Implementation '
        'of Target 3"',
        "kind": KIND.STEERING_COMMITTEE,
        "work_area": KNOWLEDGE,
        **days(date(2023, 4, 27), date(2023, 4, 29)),
        "city": "Dehradun",
        "country": "IND",
        "participants_count": 35,
        "organizations": [
            (IUCN_ARO, ORGANIZER),
            (MOEFCC, ORGANIZER),
            (WII, ORGANIZER),
            (NBCA, PARTNER),
        ],
        "gbf_targets": [3],
        "summary": (
            "A technical meeting and a Steering Committee meeting in Dehradun on moving "
            "towards the implementation of GBF Target 3, with 35 participants from 13 "
            "countries."
        ),
        "body": (
            "From 27 to 29 April 2023, 35 participants from 13 countries met in Dehradun, "
            "India, for a technical meeting and a Steering Committee meeting, **Moving "
            "Towards Implementation of Target 3** of the Kunming-Montreal Global "
            "Biodiversity Framework: conserving 30% of land, waters and seas. The meetings "
            "were organised by IUCN's Asia Regional Office, India's Ministry of Environment, "
            "Forest and Climate Change and the Wildlife Institute of India. The APAP "
            "Secretariat took part together with Viet Nam's Nature and Biodiversity "
            "Conservation Agency (NBCA) to discuss APAP's contributions to the GBF. The "
            "meetings are also known as the 7th Partnership Forum."
        ),
    },
    # Planned activities, so that the "upcoming" lists are not empty: nothing about them
    # is a fact yet, and their summaries say so.
    {
        "title": "Members' webinar on sustainable tourism in protected areas",
        "kind": KIND.WEBINAR,
        "work_area": KNOWLEDGE,
        "focal_activities": [SHARE_BEST_PRACTICES],
        **month(2027, 3),
        "is_online": True,
        "status": Activity.Status.PLANNED,
        "visibility": Visibility.MEMBERS,
        "summary": (
            f"{TBC} A webinar for member agencies on sustainable tourism in protected "
            "areas, a topic members asked for in the 2018 Steering Committee questionnaire."
        ),
        "body": (
            "Sustainable tourism came first among the practical topics that members asked "
            "for at the 4th Steering Committee meeting in 2018. This members-only webinar "
            "is planned for 2027; its month is provisional and its programme is still being "
            "prepared."
        ),
    },
    {
        "title": "Webinar on the WCPA transboundary conservation guidelines",
        "kind": KIND.WEBINAR,
        "work_area": TRANSBOUNDARY,
        "focal_activities": [DISSEMINATE_GUIDELINES],
        **month(2027, 6),
        "is_online": True,
        "status": Activity.Status.PLANNED,
        "summary": (
            f"{TBC} An online introduction to the WCPA Best Practice Guidelines on "
            "transboundary conservation and their translations into Asian languages."
        ),
        "body": (
            'An online introduction to *"Transboundary Conservation: A systematic and '
            'integrated approach"* (WCPA Best Practice Protected Area Guidelines No. 23, '
            "2015), which APAP has translated into Asian languages. The webinar is planned "
            "for 2027; its month is provisional."
        ),
    },
]

DEMO_PROPOSAL_NOTE = "Demo data: illustrative, not a real proposal."

# Funding proposals. The sources give no funding facts (see docs/demo-data.md): these
# are illustrative, have no donor and no dates, and their notes say so. Keyed by title.
FUNDING_PROPOSALS: list[dict[str, Any]] = [
    {
        "title": "Sundarbans transboundary knowledge exchange",
        "lead_organization": IUCN_ARO,
        "partner_organizations": [MOEFCC],
        "countries": ["BGD", "IND"],
        "currency": "USD",
        "amount_requested": Decimal("250000.00"),
        "status": FundingProposal.Status.DRAFTING,
        "summary": (
            "Exchange visits and joint training for the managers of the protected areas on "
            "both sides of the Sundarbans, the mangrove forest shared by Bangladesh and India."
        ),
    },
    {
        "title": "Translating the WCPA transboundary conservation guidelines into more Asian "
        "languages",
        "lead_organization": IUCN_ARO,
        "currency": "USD",
        "status": FundingProposal.Status.IDEA,
        "summary": (
            'Translate *"Transboundary Conservation: A systematic and integrated approach"* '
            "(WCPA Best Practice Guidelines No. 23) into further Asian languages, and "
            "present each translation to the agencies that will use it."
        ),
    },
    {
        "title": "Staff exchanges on sustainable tourism in protected areas",
        "lead_organization": IUCN_ARO,
        "partner_organizations": [KNPS, DNP_THAILAND, VNFOREST],
        "countries": ["KOR", "THA", "VNM"],
        "currency": "EUR",
        "amount_requested": Decimal("120000.00"),
        "amount_awarded": Decimal("95000.00"),
        "status": FundingProposal.Status.APPROVED,
        "related_activities": [
            "Members' webinar on sustainable tourism in protected areas",
        ],
        "summary": (
            "Short staff exchanges between protected-area agencies on sustainable tourism: "
            "two of the practical topics members asked for in 2018."
        ),
    },
    {
        "title": "Human–wildlife conflict learning network for the Himalaya",
        "lead_organization": IUCN_ARO,
        "partner_organizations": [MOAF_BHUTAN, ICIMOD],
        "countries": ["BTN", "NPL", "IND"],
        "currency": "USD",
        "amount_requested": Decimal("300000.00"),
        "status": FundingProposal.Status.REJECTED,
        "summary": (
            "A network of protected-area staff in the Himalaya to share what works against "
            "human–wildlife conflict, following up the 2017 technical workshop in Thimphu."
        ),
    },
]


@transaction.atomic
def load_activities_demo(stdout: TextIO | None = None) -> dict[str, dict[str, int]]:
    """Load the activities section's demo data; return, per kind of record, how many
    were created, updated and left unchanged. Lines about each change go to `stdout`.

    Needs the members demo (its organizations) and the reference data of the migrations
    (countries, work areas, focal activities, GBF targets)."""
    loader = DemoLoader(stdout)

    for data in COUNTRIES:
        data = dict(data)
        loader.sync("countries", Country, {"iso3": data.pop("iso3")}, data)
    country = finder(Country.objects.in_bulk(field_name="iso3"), "country", MIGRATE_FIRST)

    for data in ORGANIZATIONS:
        data = dict(data)
        loader.sync(
            "organizations",
            Organization,
            {"slug": data.pop("slug")},
            {
                "local_name": "",
                "acronym": "",
                "website": "",
                **data,
                "country": country(data["country"]),
            },
        )
    organization = finder(
        Organization.objects.in_bulk(field_name="slug"),
        "organization",
        "load the members demo first",
    )
    focal_activity = finder(
        {
            (focal.work_area.slug, focal.order): focal
            for focal in FocalActivity.objects.select_related("work_area")
        },
        "focal activity",
        MIGRATE_FIRST,
    )
    work_area = finder(WorkArea.objects.in_bulk(field_name="slug"), "work area", MIGRATE_FIRST)
    gbf_target = finder(GbfTarget.objects.in_bulk(field_name="number"), "GBF target", MIGRATE_FIRST)

    activities = {}
    for data in ACTIVITIES:
        data = dict(data)
        area_slug = data.pop("work_area")
        focal = [focal_activity((area_slug, order)) for order in data.pop("focal_activities", [])]
        gbf_targets = [gbf_target(number) for number in data.pop("gbf_targets", [])]
        links = data.pop("organizations", [])
        activity = loader.sync(
            "activities",
            Activity,
            {"slug": activity_slug(data["title"], data["start_date"])},
            {
                "is_online": False,
                "city": "",
                "participants_count": None,
                "status": Activity.Status.COMPLETED,
                "visibility": Visibility.PUBLIC,
                **data,
                "work_area": work_area(area_slug),
                "country": country(data.get("country")),
            },
            related={"focal_activities": focal, "gbf_targets": gbf_targets},
        )
        activities[activity.title] = activity
        for slug, role in links:
            loader.sync(
                "organizers and partners",
                ActivityOrganization,
                {"activity": activity, "organization": organization(slug), "role": role},
                {},
            )

    for data in FUNDING_PROPOSALS:
        data = dict(data)
        related = {
            "partner_organizations": [
                organization(slug) for slug in data.pop("partner_organizations", [])
            ],
            "countries": [country(iso3) for iso3 in data.pop("countries", [])],
            "related_activities": [
                activities[title] for title in data.pop("related_activities", [])
            ],
        }
        loader.sync(
            "funding proposals",
            FundingProposal,
            {"title": data.pop("title")},
            {
                "amount_requested": None,
                "amount_awarded": None,
                "donor": None,
                "notes": DEMO_PROPOSAL_NOTE,
                **data,
                "lead_organization": organization(data["lead_organization"]),
            },
            related=related,
        )

    return {label: dict(counter) for label, counter in loader.counts.items()}

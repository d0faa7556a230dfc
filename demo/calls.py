"""Demo data of the calls: three calls of the secretariat to members, two open, one past.

The calls are illustrative (the sources name no call of the partnership): they ask for
what APAP does — nominations to its Steering Committee, best practices to share at a
regional congress, interest in a transboundary exchange — in its own words.

Their dates are set when a call is first loaded, from that day (the open ones close a few
weeks later, at 17:00 in Bangkok, where the secretariat sits); a second run finds each
call by its slug and leaves its dates alone, so it writes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from activities.models import WorkArea
from calls.models import Call
from demo.activities import KNOWLEDGE, TRANSBOUNDARY
from demo.members import MIGRATE_FIRST, DemoLoader, finder
from members.models import Country

SECRETARIAT_ZONE = "Asia/Bangkok"

CALLS: list[dict[str, Any]] = [
    {
        "slug": "steering-committee-nominations",
        "kind": Call.Kind.NOMINATION,
        "title": "Nominations to the APAP Steering Committee",
        "summary": (
            "Each Country Member nominates the person who will represent its agency on the "
            "partnership's Steering Committee."
        ),
        "body": (
            "The Steering Committee guides the partnership's work plan between its "
            "meetings. Each **Country Member** nominates one representative and one "
            "alternate from its protected-area agency.\n\n"
            "Please give in your response:\n\n"
            "1. the name, position and email address of the representative and of the "
            "alternate;\n"
            "2. a letter of nomination signed by the head of the agency (attach it as a "
            "PDF).\n\n"
            "The secretariat will confirm each nomination by email."
        ),
        "eligibility": Call.Eligibility.ALL_MEMBERS,
        "work_area": None,
        "countries": [],
        # Opened a week before the load, closing three weeks after it.
        "opens_days": -7,
        "deadline_days": 21,
    },
    {
        "slug": "best-practices-asia-parks-congress",
        "kind": Call.Kind.SUBMISSION,
        "title": "Best practices for the next Asia Parks Congress",
        "summary": (
            "Members submit the protected-area solutions they would present at the next "
            "Asia Parks Congress."
        ),
        "body": (
            "The first Asia Parks Congress (Sendai, 2013) gave the idea of the partnership. "
            "For the next congress, the secretariat gathers the solutions that worked in "
            "members' protected areas.\n\n"
            "Describe in your response the solution, the protected area, the challenge it "
            "answered and what others can learn from it, in one or two pages; attach "
            "photographs or reports if you have them. Solutions may also be shared in the "
            "[knowledge library](/knowledge/best-practices/submit/)."
        ),
        "eligibility": Call.Eligibility.ALL_MEMBERS,
        "work_area": KNOWLEDGE,
        "countries": [],
        "opens_days": -2,
        "deadline_days": 42,
    },
    {
        "slug": "sundarbans-transboundary-exchange",
        "kind": Call.Kind.EXPRESSION_OF_INTEREST,
        "title": "Expression of interest: a transboundary exchange in the Sundarbans",
        "summary": (
            "The agencies of Bangladesh and India were invited to say whether their staff "
            "would take part in an exchange visit across the Sundarbans."
        ),
        "body": (
            "APAP organises experience-sharing opportunities for members to learn through "
            "transboundary cooperation. This call asked the member agencies of the two "
            "countries that share the Sundarbans whether they would send staff on an "
            "exchange visit, and which topics they would put first."
        ),
        "eligibility": Call.Eligibility.COUNTRIES,
        "work_area": TRANSBOUNDARY,
        "countries": ["BGD", "IND"],
        # Closed a month before the load.
        "opens_days": -75,
        "deadline_days": -30,
    },
]


def at_five_in_bangkok(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=ZoneInfo(SECRETARIAT_ZONE))


@transaction.atomic
def load_calls_demo(stdout: TextIO | None = None) -> dict[str, dict[str, int]]:
    """Load the calls' demo data; return how many were created, updated and unchanged."""
    loader = DemoLoader(stdout)
    country = finder(Country.objects.in_bulk(field_name="iso3"), "country", MIGRATE_FIRST)
    work_area = finder(WorkArea.objects.in_bulk(field_name="slug"), "work area", MIGRATE_FIRST)
    today = timezone.localdate()

    for data in CALLS:
        data = dict(data)
        opens_days, deadline_days = data.pop("opens_days"), data.pop("deadline_days")
        countries = [country(iso3) for iso3 in data.pop("countries")]

        def set_dates(call: Call, opens_days=opens_days, deadline_days=deadline_days) -> None:
            call.opens_at = at_five_in_bangkok(today + datetime.timedelta(days=opens_days))
            call.deadline = at_five_in_bangkok(today + datetime.timedelta(days=deadline_days))

        loader.sync(
            "calls",
            Call,
            {"slug": data.pop("slug")},
            {
                **data,
                "work_area": work_area(data["work_area"]),
                "time_zone": SECRETARIAT_ZONE,
                "status": Call.Status.PUBLISHED,
            },
            on_create=set_dates,
            related={"countries": countries},
        )
    return {label: dict(counter) for label, counter in loader.counts.items()}

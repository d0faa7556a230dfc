"""Records of every kind the API serves, public and members-only, and tokens to read them.

Minh (a member, tests/conftest.py) holds a personal token; a second token of his has
been revoked. Each kind has a public record and, where the kind has a visibility, a
members-only one, named so that a test can tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.test import Client

from api.models import api_token_create
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    CountryStatisticsFactory,
    FocalPointFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    TransboundaryAreaFactory,
    country,
)


@dataclass(frozen=True)
class Endpoint:
    """One endpoint: its path under /api/v1/, and the keys of its public and members-only
    records (None: the kind has no members-only records)."""

    path: str
    public: str
    members_only: str | None


@pytest.fixture
def records(db):
    """One public and one members-only record of each kind (and what they need)."""
    CountryStatisticsFactory()
    organization = MemberOrganizationFactory(name="Viet Nam Nature Agency", country=country("VNM"))
    FocalPointFactory(membership=organization.membership, email="lan@agency.example")
    square = MultiPolygon(Polygon(((105, 20), (106, 20), (106, 21), (105, 21), (105, 20))))
    public_area = ProtectedAreaFactory(
        name="Cuc Phuong National Park", country=country("VNM"), boundary=square
    )
    hidden_area = ProtectedAreaFactory(name="Hidden Sanctuary", visibility="members")
    TransboundaryAreaFactory(name="Heart of Borneo", protected_areas=[public_area, hidden_area])
    ActivityFactory(title="Public workshop")
    ActivityFactory(title="Members workshop", visibility="members")
    practice = BestPracticeFactory(title="Public practice", protected_area=public_area)
    BuildingBlockFactory(best_practice=practice, title="Joint patrols")
    BestPracticeFactory(title="Members practice", visibility="members")
    BestPracticeFactory(title="Draft practice", status="draft")
    ResourceFactory(title="Public guideline")
    ResourceFactory(title="Members guideline", visibility="members")
    StoryFactory(title="Public story")
    StoryFactory(title="Members story", visibility="members")
    StoryFactory(title="Draft story", published_at=None)
    return organization


ENDPOINTS = [
    Endpoint("countries", "vnm", None),
    Endpoint("organizations", "viet-nam-nature-agency", None),
    Endpoint("protected-areas", "cuc-phuong-national-park", "hidden-sanctuary"),
    Endpoint("transboundary-areas", "heart-of-borneo", None),
    Endpoint("activities", "public-workshop", "members-workshop"),
    Endpoint("best-practices", "public-practice", "members-practice"),
    Endpoint("resources", "public-guideline", "members-guideline"),
    Endpoint("stories", "public-story", "members-story"),
    Endpoint("work-areas", "knowledge-capacity", None),
    Endpoint("gbf-targets", "3", None),
]


@pytest.fixture
def token(member):
    """Minh's personal token (the token itself, as he copied it once)."""
    return api_token_create(member, "Laptop")[1]


@pytest.fixture
def revoked_token(member):
    record, token = api_token_create(member, "Old laptop")
    record.revoke()
    return token


@pytest.fixture
def api():
    return Client()


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

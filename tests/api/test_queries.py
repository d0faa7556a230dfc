"""Query counts: constant per list and per record, with few rows and with many.

Intended to prevent an n+1 issue: each row's country, work area, translation, languages
and protected area come in the page's one query (joins, subqueries), and each relation a
record lists in one prefetch query. Every request also runs in a transaction
(ATOMIC_REQUESTS: a savepoint and its release under the test's transaction), and a
request with a token reads the token (its "last used" is written at most every 5 minutes).
"""

import datetime

import pytest

from tests.api.conftest import bearer
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    FocalPointFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    TransboundaryAreaFactory,
    country,
    theme,
    translation,
)

pytestmark = pytest.mark.django_db

TRANSACTION = 2  # SAVEPOINT, RELEASE SAVEPOINT


def more_rows(count: int) -> None:
    """`count` more records of every kind, each with relations and a translation."""
    for n in range(count):
        organization = MemberOrganizationFactory(country=country("VNM"))
        FocalPointFactory(membership=organization.membership)
        area = ProtectedAreaFactory(management_authority=organization, visibility="members")
        area.countries.add(country("LAO"))
        TransboundaryAreaFactory(protected_areas=[area])
        activity = ActivityFactory(start_date=datetime.date(2022, 1, 1 + n))
        translation(activity)
        practice = BestPracticeFactory(protected_area=area)
        practice.themes.add(theme("sustainable-tourism"))
        BuildingBlockFactory(best_practice=practice)
        translation(practice)
        ResourceFactory().themes.add(theme("sustainable-tourism"))
        translation(StoryFactory())


# The page's rows (one query: joins for the country, the work area, the translation; the
# languages of each record as a subquery) and, per list, its prefetches.
LISTS = {
    "countries": 1,
    "organizations": 1,
    "protected-areas": 1,
    "transboundary-areas": 2,  # + the protected areas the reader may see, with their country
    "activities": 1,
    "best-practices": 1,
    "resources": 1,
    "stories": 1,
    "work-areas": 2,  # + the focal activities, translated
    "gbf-targets": 1,
}


@pytest.mark.parametrize("count", [1, 8], ids=["few", "many"])
@pytest.mark.parametrize("path", list(LISTS))
@pytest.mark.parametrize("with_token", [False, True], ids=["anonymous", "token"])
def test_each_list_reads_a_constant_number_of_queries(
    api, records, token, django_assert_num_queries, path, count, with_token
):
    more_rows(count)
    headers = bearer(token) if with_token else {}
    api.get(f"/api/v1/{path}/", **headers)  # the token's "last used" written
    with django_assert_num_queries(TRANSACTION + LISTS[path] + with_token):
        response = api.get(f"/api/v1/{path}/?geometry=1", **headers)
    assert response.status_code == 200


# The record (one query) and what it lists, each relation in one prefetch query.
RECORDS = {
    "countries/vnm": 1,  # with its statistics (a join)
    # + its focal points, the protected areas it manages (those the reader may see)
    "organizations/viet-nam-nature-agency": 3,
    # + transboundary areas, evaluations, countries
    "protected-areas/cuc-phuong-national-park": 4,
    "transboundary-areas/heart-of-borneo": 2,  # + its protected areas
    # + focal activities, participating countries, GBF targets, documents, organizations
    "activities/public-workshop": 6,
    # + blocks, countries, themes, ecosystems, challenges, GBF targets
    "best-practices/public-practice": 7,
    "resources/public-guideline": 3,  # + themes, GBF targets
    "stories/public-story": 1,
    "work-areas/knowledge-capacity": 2,  # + its focal activities
    "gbf-targets/3": 1,
}


@pytest.mark.parametrize("count", [1, 8], ids=["few", "many"])
@pytest.mark.parametrize("path", list(RECORDS))
def test_each_record_reads_a_constant_number_of_queries(
    api, records, django_assert_num_queries, path, count
):
    more_rows(count)
    with django_assert_num_queries(TRANSACTION + RECORDS[path]):
        response = api.get(f"/api/v1/{path}/")
    assert response.status_code == 200

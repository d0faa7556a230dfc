"""Who reads what: every endpoint walked by Anna (anonymous), by Minh with his token, and
with Minh's revoked token, as tests/portal/test_access.py walks the pages.

Anonymous callers never get a members-only record, in a list or as a record (404); Minh's
token adds them; a revoked (or unknown) token is refused with 401. Nobody gets a draft.
"""

import pytest

from tests.api.conftest import ENDPOINTS, Endpoint, bearer

pytestmark = pytest.mark.django_db


def keys_listed(response, endpoint: Endpoint) -> set[str]:
    key = {"countries": "iso3", "gbf-targets": "number"}.get(endpoint.path, "slug")
    return {str(row[key]).lower() for row in response.json()["results"]}


def walk(api, endpoint: Endpoint, **headers):
    """The endpoint's list (as large a page as allowed) and its two records."""
    listed = api.get(f"/api/v1/{endpoint.path}/?page_size=200", **headers)
    public = api.get(f"/api/v1/{endpoint.path}/{endpoint.public}/", **headers)
    hidden = (
        api.get(f"/api/v1/{endpoint.path}/{endpoint.members_only}/", **headers)
        if endpoint.members_only
        else None
    )
    return listed, public, hidden


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_anonymous_callers_never_get_a_members_only_record(api, records, endpoint):
    listed, public, hidden = walk(api, endpoint)
    assert listed.status_code == 200
    assert endpoint.public in keys_listed(listed, endpoint)
    assert public.status_code == 200
    if endpoint.members_only:
        assert endpoint.members_only not in keys_listed(listed, endpoint)
        assert hidden.status_code == 404
    # Not even named inside another record (a transboundary area's protected areas).
    for response in (listed, public):
        assert "Hidden Sanctuary" not in response.content.decode()
        assert "Members " not in response.content.decode()
    assert all(row.get("visibility", "public") == "public" for row in listed.json()["results"])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_a_members_token_adds_members_only_records(api, records, token, endpoint):
    listed, public, hidden = walk(api, endpoint, **bearer(token))
    assert listed.status_code == 200
    assert public.status_code == 200
    if endpoint.members_only:
        assert endpoint.members_only in keys_listed(listed, endpoint)
        assert hidden.status_code == 200
        assert hidden.json()["visibility"] == "members"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_a_revoked_token_is_refused(api, records, revoked_token, endpoint):
    listed, public, hidden = walk(api, endpoint, **bearer(revoked_token))
    for response in (listed, public, hidden):
        if response is not None:
            assert response.status_code == 401
            assert response.json()["error"] == "authentication_failed"
            assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused(api, records):
    response = api.get("/api/v1/stories/", **bearer("apap_not-a-token"))
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["best-practices/draft-practice/", "stories/draft-story/"])
def test_no_one_gets_a_draft(api, records, member, token, path):
    # Minh's organization wrote the draft: the page lets him open it, the API does not.
    from knowledge.models import BestPractice

    BestPractice.objects.filter(slug="draft-practice").update(organization=member.organization)
    assert api.get(f"/api/v1/{path}", **bearer(token)).status_code == 404
    collection = path.split("/")[0]
    listed = api.get(f"/api/v1/{collection}/?page_size=200", **bearer(token)).json()
    assert path.split("/")[1] not in {row["slug"] for row in listed["results"]}


def test_a_transboundary_area_names_only_the_areas_the_reader_may_see(api, records, token):
    def areas(**headers):
        body = api.get("/api/v1/transboundary-areas/heart-of-borneo/", **headers).json()
        return {area["slug"] for area in body["protected_areas"]}

    assert areas() == {"cuc-phuong-national-park"}
    assert areas(**bearer(token)) == {"cuc-phuong-national-park", "hidden-sanctuary"}


def test_focal_points_emails_only_for_members(api, records, token):
    path = "/api/v1/organizations/viet-nam-nature-agency/"
    anonymous = api.get(path).json()["membership"]["focal_points"]
    member = api.get(path, **bearer(token)).json()["membership"]["focal_points"]
    assert [point["email"] for point in anonymous] == [None]
    assert [point["email"] for point in member] == ["lan@agency.example"]


def test_a_public_practice_does_not_name_a_members_only_area(api, records, token):
    from knowledge.models import BestPractice
    from members.models import ProtectedArea

    BestPractice.objects.filter(slug="public-practice").update(
        protected_area=ProtectedArea.objects.get(slug="hidden-sanctuary")
    )
    path = "/api/v1/best-practices/public-practice/"
    assert api.get(path).json()["protected_area"] is None
    assert api.get(path, **bearer(token)).json()["protected_area"]["slug"] == "hidden-sanctuary"
    listed = api.get("/api/v1/best-practices/").json()["results"]
    assert [row["protected_area"] for row in listed] == [None]


def test_the_page_cache_never_hands_a_members_answer_to_anyone_else(api, records, token, settings):
    settings.PAGE_CACHE_SECONDS = 60  # the anonymous page cache on, as in production
    path = "/api/v1/stories/members-story/"
    assert api.get(path, **bearer(token)).status_code == 200
    assert api.get(path).status_code == 404
    listed = api.get("/api/v1/stories/", **bearer(token))
    assert "private" in listed["Cache-Control"]
    assert "Authorization" in listed["Vary"]
    assert "members-story" not in api.get("/api/v1/stories/").content.decode()


@pytest.mark.parametrize("path", ["best-practices/draft-practice/", "stories/draft-story/"])
def test_a_staff_token_gets_no_draft_either(api, records, editor, path):
    # Staff open drafts on the pages (to check them); the API is for what is out.
    from api.models import api_token_create

    token = api_token_create(editor, "Editor's laptop")[1]
    assert api.get(f"/api/v1/{path}", **bearer(token)).status_code == 404
    members_only = api.get("/api/v1/stories/members-story/", **bearer(token))
    assert members_only.status_code == 200

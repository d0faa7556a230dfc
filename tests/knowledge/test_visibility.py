"""Who sees what in the library, on every surface of its pages.

Anna (anonymous), Minh (a member of the organization that wrote the items), Oyuna (a
member of another organization) and Emma (a secretariat editor) look at the same library:

- a published, public item is visible to all of them;
- a published, members-only item to members and staff only (Anna is asked to sign in
  when she follows its link, and never finds it in lists, search, facets or counts);
- a draft or submitted item only to Minh's organization and staff, on its page only,
  with a banner saying it is not published;
- an archived item is in no list.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client

from tests.factories import (
    BestPracticeFactory,
    ResourceFactory,
    StoryFactory,
    UserFactory,
    theme,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

PERSONAS = {
    "anonymous": "client",
    "member": "member_client",
    "other member": "other_member_client",
    "editor": "editor_client",
}
# The theme each best practice is tagged with, to read the facet counts.
THEMES = {
    "Public patrols": ("sustainable-tourism", "Sustainable tourism"),
    "Members patrols": ("human-wildlife-conflict", "Human-wildlife conflict"),
    "Draft patrols": ("ecological-restoration", "Ecological restoration"),
    "Submitted patrols": ("climate-change-adaptation", "Climate change adaptation"),
    "Archived patrols": ("sustainable-financing", "Sustainable financing"),
}
SEEN_BY_ALL = ["Public patrols"]
SEEN_BY_MEMBERS = ["Members patrols", "Public patrols"]
# Lists show what is published, to each persona what they may see.
LISTED = {
    "anonymous": SEEN_BY_ALL,
    "member": SEEN_BY_MEMBERS,
    "other member": SEEN_BY_MEMBERS,
    "editor": SEEN_BY_MEMBERS,
}


@pytest.fixture
def practices(member_org):
    created = {}
    for title, status, visibility in [
        ("Public patrols", "published", "public"),
        ("Members patrols", "published", "members"),
        ("Draft patrols", "draft", "public"),
        ("Submitted patrols", "submitted", "public"),
        ("Archived patrols", "archived", "public"),
    ]:
        practice = BestPracticeFactory(
            title=title,
            summary=f"{title} reduced snaring.",
            organization=member_org,
            status=status,
            visibility=visibility,
            published_at=None if status in ("draft", "submitted") else "2024-05-01T00:00Z",
        )
        practice.themes.add(theme(THEMES[title][0]))
        created[title] = practice
    return created


def persona_client(request, persona: str) -> Client:
    return request.getfixturevalue(PERSONAS[persona])


def titles(response) -> list[str]:
    assert response.status_code == 200
    return sorted(item.title for item in response.context["object_list"])


def theme_options(response) -> list[str]:
    select = re.search(r'<select name="theme"[^>]*>(.*?)</select>', response.text, re.S)
    return re.findall(r'<option value="[^"]+"[^>]*>([^<]*)</option>', select.group(1))


# Best practices


@pytest.mark.parametrize("persona", PERSONAS)
def test_best_practice_list_shows_published_items_the_persona_may_see(request, practices, persona):
    response = persona_client(request, persona).get("/knowledge/best-practices/")

    assert titles(response) == LISTED[persona]
    assert response.context["paginator"].count == len(LISTED[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_best_practice_search_finds_only_what_the_list_shows(request, practices, persona):
    client = persona_client(request, persona)

    assert titles(client.get("/knowledge/best-practices/", {"q": "patrols"})) == LISTED[persona]
    # Nor do approximate matches of a misspelling reach further than the list.
    misspelt = client.get("/knowledge/best-practices/", {"q": "patrosl"})
    assert misspelt.context["search"].approximate
    assert titles(misspelt) == LISTED[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_facet_counts_count_only_what_the_list_shows(request, practices, persona):
    response = persona_client(request, persona).get("/knowledge/best-practices/")

    expected = [f"{THEMES[title][1]} (1)" for title in LISTED[persona]]
    assert sorted(theme_options(response)) == sorted(expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_landing_page_counts_only_what_the_list_shows(request, practices, persona):
    response = persona_client(request, persona).get("/knowledge/")

    assert response.context["practice_count"] == len(LISTED[persona])
    assert sorted(p.title for p in response.context["latest_practices"]) == LISTED[persona]


@pytest.mark.parametrize(
    ("persona", "title", "expected"),
    [
        ("anonymous", "Public patrols", 200),
        ("member", "Public patrols", 200),
        ("other member", "Public patrols", 200),
        ("editor", "Public patrols", 200),
        ("anonymous", "Members patrols", "sign in"),
        ("member", "Members patrols", 200),
        ("other member", "Members patrols", 200),
        ("editor", "Members patrols", 200),
        ("anonymous", "Draft patrols", 404),
        ("member", "Draft patrols", "banner"),
        ("other member", "Draft patrols", 404),
        ("editor", "Draft patrols", "banner"),
        ("anonymous", "Submitted patrols", 404),
        ("member", "Submitted patrols", "banner"),
        ("other member", "Submitted patrols", 404),
        ("editor", "Submitted patrols", "banner"),
        ("anonymous", "Archived patrols", 404),
        ("member", "Archived patrols", "banner"),
        ("other member", "Archived patrols", 404),
        ("editor", "Archived patrols", "banner"),
    ],
)
def test_best_practice_page_answers_each_persona(request, practices, persona, title, expected):
    url = practices[title].get_absolute_url()

    response = persona_client(request, persona).get(url)

    if expected == "sign in":
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    elif expected == 404:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert title in response.text
        has_banner = "status-banner" in response.text
        assert has_banner == (expected == "banner")


def test_banner_says_who_can_see_an_unpublished_practice(member_client, practices):
    html = member_client.get(practices["Submitted patrols"].get_absolute_url()).text

    assert "Submitted for review." in html
    assert (
        "only the members of Department of Protected Forest Management and the secretariat" in html
    )


def test_a_signed_in_visitor_without_an_organization_gets_no_members_only_item(practices):
    client = Client()
    client.force_login(UserFactory(username="visitor"))

    assert client.get(practices["Members patrols"].get_absolute_url()).status_code == 404
    assert titles(client.get("/knowledge/best-practices/")) == SEEN_BY_ALL


def test_the_sign_in_link_leads_back_to_the_practice(client, member, practices):
    url = practices["Members patrols"].get_absolute_url()
    login = client.get(url, follow=True)
    assert login.request["PATH_INFO"] == "/accounts/login/"

    response = client.post(
        f"/accounts/login/?next={quote(url)}",
        {"username": "minh", "password": "a long passphrase for tests", "next": url},
    )

    assert response.status_code == 302
    assert response["Location"] == url


# Resources


@pytest.fixture
def resources():
    ResourceFactory(title="Public guidelines", kind="guideline")
    ResourceFactory(title="Members study", kind="study", visibility="members")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", ["Public guidelines"]),
        ("member", ["Members study", "Public guidelines"]),
        ("other member", ["Members study", "Public guidelines"]),
        ("editor", ["Members study", "Public guidelines"]),
    ],
)
def test_resources_show_what_the_persona_may_see(request, resources, persona, expected):
    client = persona_client(request, persona)

    listed = client.get("/knowledge/resources/")
    assert titles(listed) == expected
    kinds = re.search(r'<select name="kind"[^>]*>(.*?)</select>', listed.text, re.S).group(1)
    assert ("Study (1)" in kinds) == ("Members study" in expected)
    assert titles(client.get("/knowledge/resources/", {"q": "study OR guidelines"})) == expected
    assert client.get("/knowledge/").context["resource_count"] == len(expected)


def test_members_only_resource_asks_anonymous_visitors_to_sign_in(client, member_client):
    resource = ResourceFactory(title="Members study", visibility="members")
    url = resource.get_absolute_url()

    assert client.get(url)["Location"] == f"/accounts/login/?next={quote(url)}"
    assert member_client.get(url).status_code == 200
    assert client.get("/knowledge/resources/no-such-resource/").status_code == 404


# Stories


@pytest.fixture
def stories():
    StoryFactory(title="Public news", kind="news")
    StoryFactory(title="Members feature", kind="feature", visibility="members")
    StoryFactory(title="Draft statement", kind="statement", published_at=None)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", ["Public news"]),
        ("member", ["Members feature", "Public news"]),
        ("other member", ["Members feature", "Public news"]),
        # Staff also see stories they have not published yet, to check them.
        ("editor", ["Draft statement", "Members feature", "Public news"]),
    ],
)
def test_stories_show_what_the_persona_may_see(request, stories, persona, expected):
    client = persona_client(request, persona)

    listed = client.get("/stories/")
    assert titles(listed) == expected
    kinds = re.search(r'<select name="kind"[^>]*>(.*?)</select>', listed.text, re.S).group(1)
    assert ("Feature (1)" in kinds) == ("Members feature" in expected)
    assert titles(client.get("/stories/", {"q": "news or feature or statement"})) == expected
    published = [title for title in expected if title != "Draft statement"]
    assert client.get("/knowledge/").context["story_count"] == len(published)


def test_story_pages_answer_each_persona(client, member_client, editor_client):
    members = StoryFactory(title="Members feature", visibility="members")
    draft = StoryFactory(title="Draft statement", published_at=None)

    assert client.get(members.get_absolute_url()).status_code == 302
    assert member_client.get(members.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert member_client.get(draft.get_absolute_url()).status_code == 404
    assert "not published yet" in editor_client.get(draft.get_absolute_url()).text


# Search behaves like a search


def search_titles(client, text: str) -> list[str]:
    response = client.get("/knowledge/best-practices/", {"q": text})
    assert response.status_code == 200
    return [item.title for item in response.context["object_list"]]


def test_search_ignores_accents(client):
    BestPracticeFactory(title="Primate rescue in Cúc Phương National Park")
    BestPracticeFactory(title="Mangroves of Xuân Thủy")

    assert search_titles(client, "cuc phuong") == ["Primate rescue in Cúc Phương National Park"]
    assert search_titles(client, "Cúc Phương") == ["Primate rescue in Cúc Phương National Park"]


def test_search_forgives_a_misspelling_in_the_title(client):
    BestPracticeFactory(title="Transboundary cooperation for snow leopards")
    BestPracticeFactory(title="Village homestays")

    assert search_titles(client, "tranboundary") == ["Transboundary cooperation for snow leopards"]


def test_a_title_match_ranks_above_a_body_only_match(client):
    BestPracticeFactory(
        title="Ranger training",
        summary="Rangers learnt first aid.",
        context="Trained together with the wetland staff of the next reserve.",
        published_at="2025-01-01T00:00Z",
    )
    BestPracticeFactory(
        title="Wetland restoration",
        summary="Dykes removed.",
        published_at="2020-01-01T00:00Z",
    )

    assert search_titles(client, "wetland") == ["Wetland restoration", "Ranger training"]


def test_search_understands_phrases_exclusions_and_or(client):
    BestPracticeFactory(title="Community patrols", summary="Joint patrols with the villages.")
    BestPracticeFactory(title="Drone patrols", summary="Drones watch the river.")
    BestPracticeFactory(title="Village homestays", summary="Homestays with the villages.")

    assert search_titles(client, '"joint patrols"') == ["Community patrols"]
    assert sorted(search_titles(client, "patrols -drones")) == ["Community patrols"]
    assert sorted(search_titles(client, "drones or homestays")) == [
        "Drone patrols",
        "Village homestays",
    ]
    # Phrases and exclusions never fall back to approximate matches.
    assert search_titles(client, '"patrols community"') == []

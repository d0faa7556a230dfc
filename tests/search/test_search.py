"""The site-wide search, /search/?q=: every kind of content, ranked, as the visitor may see it.

Anna is an anonymous visitor, Minh a member, Emma a secretariat editor (conftest.py).
"""

import datetime
import re

import factory
import pytest
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    CallFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    country,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    return [result.title for result in response.context["results"]]


@pytest.fixture
def one_of_each_kind():
    """One item of every kind, each mentioning mangroves."""
    return {
        "Best practice": BestPracticeFactory(
            title="Mangrove replanting with fishing villages",
            summary="Villagers replanted mangroves along the estuary.",
        ),
        "Resource": ResourceFactory(
            title="Guidelines for mangrove management",
            summary="How to manage mangroves in protected areas.",
        ),
        "Story": StoryFactory(
            title="The mangroves came back",
            lead="Ten years after the storm, the mangroves are back.",
        ),
        "Activity": ActivityFactory(
            title="Mangrove monitoring training",
            summary="Rangers learnt to monitor mangroves from drones.",
        ),
        "Call": CallFactory(
            title="Nominations for the mangrove restoration award",
            summary="Members nominate a site where mangroves grew back.",
        ),
        "Protected area": ProtectedAreaFactory(
            name="Xuan Thuy Mangrove National Park",
            description="Mangroves and mudflats of the Red River delta.",
        ),
    }


def test_finds_every_kind_with_its_label_link_and_highlighted_snippet(client, one_of_each_kind):
    response = search(client, "mangroves")

    results = response.context["results"]
    assert sorted(result.kind.label for result in results) == sorted(one_of_each_kind)
    html = response.text
    for label, item in one_of_each_kind.items():
        title = getattr(item, "title", None) or item.name
        assert f'<a href="{item.get_absolute_url()}">{title}</a>' in html, label
    for result in results:
        assert "<mark>" in result.snippet, result.title
    assert html.count('<p class="eyebrow">Best practice</p>') == 1
    assert html.count('<p class="eyebrow">Protected area</p>') == 1
    assert "6 results for “mangroves”" in html


def test_the_links_lead_to_the_detail_pages(client, one_of_each_kind):
    for result in search(client, "mangroves").context["results"]:
        assert client.get(result.url).status_code == 200, result.url


def test_cuc_phuong_without_accents_finds_the_park_and_its_best_practice(client):
    park = ProtectedAreaFactory(
        name="Cúc Phương National Park",
        original_name="Vườn quốc gia Cúc Phương",
        country=country("VNM"),
    )
    BestPracticeFactory(
        title="Rescuing primates at Cúc Phương",
        summary="The Endangered Primate Rescue Center at Cúc Phương returns langurs to the wild.",
        protected_area=park,
    )
    BestPracticeFactory(title="Community patrols in Nepal")

    response = search(client, "cuc phuong")

    assert sorted(titles(response)) == [
        "Cúc Phương National Park",
        "Rescuing primates at Cúc Phương",
    ]
    assert "<mark>Cúc</mark> <mark>Phương</mark>" in response.text
    assert titles(search(client, "vuon quoc gia")) == ["Cúc Phương National Park"]


def test_a_misspelling_finds_close_titles_and_says_so(client):
    ActivityFactory(
        title="Transboundary cooperation workshop",
        summary="Neighbouring countries met at the border.",
    )
    ActivityFactory(title="Webinar on OECMs")

    response = search(client, "tranboundary")

    assert titles(response) == ["Transboundary cooperation workshop"]
    assert response.context["search"].approximate is True
    assert "No exact matches: showing approximate matches for “tranboundary”." in response.text
    # Spelt right, it is an exact match: no such note.
    exact = search(client, "transboundary")
    assert titles(exact) == ["Transboundary cooperation workshop"]
    assert "No exact matches" not in exact.text


def test_the_fallback_is_decided_for_the_whole_query(client):
    """An exact match in one kind means no near misses from the others."""
    ActivityFactory(title="Transboundary cooperation workshop")
    StoryFactory(title="Tranboundary typo in a title", lead="Nothing else to say.")

    response = search(client, "tranboundary")

    assert titles(response) == ["Tranboundary typo in a title"]
    assert response.context["search"].approximate is False


def test_websearch_syntax_is_never_loosened_by_the_fallback(client):
    ActivityFactory(title="Transboundary cooperation workshop")

    response = search(client, '"tranboundary cooperation"')

    assert titles(response) == []
    assert "No exact matches" not in response.text


def test_a_title_match_ranks_above_a_body_only_match(client):
    StoryFactory(
        title="News from the region",
        lead="Rangers met.",
        body="Among many topics they discussed seagrass once.",
    )
    ActivityFactory(title="Seagrass survey training", summary="A training.")
    BestPracticeFactory(
        title="Fishers protect the bay",
        summary="Fishers agreed on no-take zones.",
        context="The bay has seagrass.",
    )

    assert titles(search(client, "seagrass"))[0] == "Seagrass survey training"


def test_websearch_syntax_phrases_exclusions_and_or(client):
    ActivityFactory(title="Community patrols reduced poaching", summary="")
    ActivityFactory(title="Patrols planned by the community", summary="")
    ActivityFactory(title="Mangrove restoration", summary="")
    ActivityFactory(title="Mangrove and shrimp farming", summary="")
    ActivityFactory(title="Seagrass meadows", summary="")

    assert titles(search(client, '"community patrols"')) == ["Community patrols reduced poaching"]
    assert sorted(titles(search(client, "community patrols"))) == [
        "Community patrols reduced poaching",
        "Patrols planned by the community",
    ]
    assert titles(search(client, "mangrove -shrimp")) == ["Mangrove restoration"]
    assert sorted(titles(search(client, "mangrove or seagrass"))) == [
        "Mangrove and shrimp farming",
        "Mangrove restoration",
        "Seagrass meadows",
    ]


@pytest.fixture
def members_only_items():
    return [
        BestPracticeFactory(title="Members-only kelp practice", visibility="members"),
        ResourceFactory(title="Members-only kelp guideline", visibility="members"),
        StoryFactory(title="Members-only kelp story", visibility="members"),
        ActivityFactory(title="Members-only kelp meeting", visibility="members"),
        ProtectedAreaFactory(name="Members-only kelp reserve", visibility="members"),
    ]


def test_members_only_items_are_hidden_from_anna_and_shown_to_minh(
    client, member_client, members_only_items
):
    BestPracticeFactory(title="Public kelp practice")

    assert titles(search(client, "kelp")) == ["Public kelp practice"]
    assert "Members-only" not in search(client, "kelp").text
    assert len(titles(search(member_client, "kelp"))) == 6
    # Nor do they leak through the misspelling fallback or the counts.
    assert titles(search(client, "kelpp")) == ["Public kelp practice"]
    assert search(client, "kelp").context["total"] == 1


def test_drafts_are_never_search_results(client, member_client, editor_client, member_org):
    BestPracticeFactory(title="Draft kelp practice", status="draft", organization=member_org)
    BestPracticeFactory(title="Submitted kelp practice", status="submitted")
    StoryFactory(title="Unpublished kelp story", published_at=None)
    StoryFactory(
        title="Scheduled kelp story",
        published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
    )
    CallFactory(title="Draft kelp call", status="draft")

    for visitor in (client, member_client, editor_client):
        assert titles(search(visitor, "kelp")) == []
        assert titles(search(visitor, "kelpp")) == []


def test_snippets_escape_the_source_text_and_only_mark_is_html(client):
    BestPracticeFactory(
        title="Rangers and villagers",
        summary='<script>alert("x")</script> Rangers & villagers <img src=x onerror=alert(1)>',
    )

    exact = search(client, "rangers")
    assert "<script>" not in exact.text
    assert "<img" not in exact.text
    assert "<mark>Rangers</mark> &amp; villagers" in exact.text

    # The fallback shows the beginning of the text as it is: escaped.
    close = search(client, "rangerss")
    assert close.context["search"].approximate is True
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Rangers &amp; villagers" in close.text
    assert "<script>" not in close.text
    assert "<img" not in close.text


def test_titles_are_escaped(client):
    ActivityFactory(title="Kelp <b>bold</b> workshop")

    html = search(client, "kelp").text
    assert "Kelp &lt;b&gt;bold&lt;/b&gt; workshop" in html
    assert "<b>bold</b>" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "mangrove " * 700},  # about 5,000 characters
        {"q": "x" * 5000},
        {"q": "mangrove\x00 roots"},
        {"q": "\x00"},
        {"q": "<script>alert(1)</script>"},
        {"q": "'; DROP TABLE knowledge_bestpractice; --"},
        {"q": "mangrove' OR 1=1 --"},
        {"q": '"'},
        {"q": "-"},
        {"q": "or"},
        {"q": "!!! & | :* <-> ((("},
        {"q": "%_\\"},
        {"q": "🌿 мангры マングローブ"},
        {"q": "mangrove", "page": "-1"},
        {"q": "mangrove", "page": "abc"},
        {"q": "mangrove", "page": "99999"},
        {"q": "mangrove", "page": "9" * 5000},
        {"q": "mangrove", "page": "1.5"},
        {"q": "mangrove", "kind": "<script>"},
        {"q": "mangrove", "kind": "user"},
    ],
)
def test_hostile_input_never_breaks_the_page(client, one_of_each_kind, params):
    response = client.get("/search/", params)

    assert response.status_code in (200, 404)
    assert "<script>alert" not in response.text


def test_bad_page_numbers_answer_404_and_a_long_query_is_cut(client, one_of_each_kind):
    for page in ("-1", "0", "abc", "2", "99999"):
        assert client.get("/search/", {"q": "mangroves", "page": page}).status_code == 404
    response = search(client, "mangroves " + "x" * 5000)
    assert len(response.context["query"]) == 200
    assert search(client, "mangr\x00oves").context["query"] == "mangroves"


def test_results_come_twenty_a_page_and_the_pages_keep_the_query(client):
    ActivityFactory.create_batch(25, summary="Kelp forests.")

    first = search(client, "kelp")
    assert len(first.context["results"]) == 20
    assert '<a rel="next" href="?q=kelp&amp;page=2">' in first.text
    second = search(client, "kelp", page=2)
    assert len(second.context["results"]) == 5
    assert '<ol class="search-results" start="21">' in second.text
    first_titles, second_titles = set(titles(first)), set(titles(second))
    assert not first_titles & second_titles


def test_pages_of_mixed_kinds_hold_every_result_once(client):
    ActivityFactory.create_batch(15, summary="Kelp forests.")
    StoryFactory.create_batch(15, lead="Kelp forests.")
    ProtectedAreaFactory.create_batch(15, description="Kelp forests.")

    pages = [search(client, "kelp", page=number).context["results"] for number in (1, 2, 3)]

    assert [len(page) for page in pages] == [20, 20, 5]
    seen = [(result.kind.key, result.title) for page in pages for result in page]
    assert len(set(seen)) == 45


def test_results_can_be_narrowed_to_one_kind_with_counts_per_kind(client, one_of_each_kind):
    ActivityFactory(title="Second mangrove activity", summary="Mangroves.")

    everything = search(client, "mangroves")
    assert {kind.key: count for kind, count in everything.context["kind_counts"]} == {
        "bestpractice": 1,
        "resource": 1,
        "story": 1,
        "activity": 2,
        "call": 1,
        "protectedarea": 1,
        "organization": 0,
    }
    assert '<a href="?q=mangroves&amp;kind=activity">Activities</a>' in everything.text

    activities = search(client, "mangroves", kind="activity")
    assert sorted(titles(activities)) == [
        "Mangrove monitoring training",
        "Second mangrove activity",
    ]
    assert "2 results for “mangroves” among Activities" in activities.text
    # The other kinds are still counted, to switch to them.
    assert activities.context["total"] == 7
    assert 'href="?q=mangroves&amp;kind=activity" aria-current="page"' in activities.text


def test_a_kind_without_matches_points_to_the_others(client, one_of_each_kind):
    ActivityFactory(title="Kelp workshop")

    response = search(client, "kelp", kind="story")

    assert titles(response) == []
    assert "Nothing among Stories matches “kelp”." in response.text
    assert '<a href="?q=kelp">See the 1 result in other sections</a>' in response.text


def test_the_empty_search_page_explains_what_can_be_searched(client):
    response = client.get("/search/")

    assert response.status_code == 200
    html = response.text
    assert "What you can search" in html
    assert 'href="/search/?q=transboundary"' in html
    assert 'href="/search/?q=C%C3%BAc%20Ph%C6%B0%C6%A1ng"' in html
    assert 'href="/search/?q=%22human-wildlife%20conflict%22"' in html
    assert "results for" not in html
    # Blank queries are empty queries.
    assert "What you can search" in search(client, "   ").text


def test_no_results_suggests_what_to_do(client):
    response = search(client, "zzyzx")

    assert "Nothing matches “zzyzx”." in response.text
    assert "Check the spelling" in response.text
    assert "Use fewer words" in response.text
    assert f'href="{reverse("members:protectedarea_list")}"' in response.text
    assert 'href="/accounts/login/?next=' in response.text


def test_the_search_page_follows_the_layout_rules(client, one_of_each_kind):
    for params in ({}, {"q": "mangroves"}, {"q": "zzyzx"}, {"q": "tranboundary"}):
        html = client.get("/search/", params).text
        assert len(re.findall(r"<h1[ >]", html)) == 1, params
        assert " style=" not in html
        for script in re.findall(r"<script[^>]*>", html):
            assert "src=" in script
        # The search field has a label.
        assert '<label for="search-q">' in html
        assert 'id="search-q" name="q"' in html


def test_the_vietnamese_search_page_lives_under_vi(client, one_of_each_kind):
    response = client.get("/vi/search/", {"q": "mangroves"})

    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert 'action="/vi/search/"' in response.text


def test_every_page_has_the_search_form_in_its_header(client):
    html = client.get("/").text
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'role="search"' in header
    assert 'method="get" action="/search/"' in header
    assert '<label for="site-search" class="visually-hidden">' in header
    assert 'type="search" id="site-search" name="q"' in header


def _create_rows_of_every_kind(count: int) -> None:
    def title(kind):
        return factory.Sequence(lambda n: f"Kelp {kind} {n}")

    BestPracticeFactory.create_batch(count, title=title("practice"), summary="Kelp forests.")
    ResourceFactory.create_batch(count, title=title("guide"), summary="Kelp forests: a guide.")
    StoryFactory.create_batch(count, title=title("story"), lead="Kelp forests recover.")
    ActivityFactory.create_batch(count, title=title("training"), summary="On kelp forests.")
    ProtectedAreaFactory.create_batch(count, name=title("reserve"), description="Kelp forests.")
    CallFactory.create_batch(count, title=title("call"), summary="Nominate a kelp forest.")


@pytest.mark.parametrize("rows_per_kind", [5, 100])
def test_the_search_page_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, rows_per_kind, still_clock
):
    """Intended to prevent an n+1 issue: each kind and each result must not cost a query."""
    _create_rows_of_every_kind(rows_per_kind)

    # 1. SAVEPOINT (ATOMIC_REQUESTS)
    # 2. the ranking of every kind (one UNION ALL), which the counts are read from
    # 3. the page of results: its rows and snippets (one UNION ALL)
    # 4. RELEASE SAVEPOINT
    with django_assert_num_queries(4):
        first = client.get("/search/", {"q": "kelp"})
    assert len(first.context["results"]) == 20

    # The misspelling fallback: the full-text ranking (empty), then the trigram ranking
    # and the page.
    with django_assert_num_queries(5):
        response = client.get("/search/", {"q": "kelpp"})
    assert response.context["search"].approximate is True
    assert len(response.context["results"]) == 20

    # The ranking is cached until the content changes: another page, narrowed to one
    # kind, reads only its rows.
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "kelp", "kind": "story", "page": 2})

    # A page read before is cached too (rows and snippets): the same search by the next
    # visitor reads nothing but the savepoint, and shows the same results.
    with django_assert_num_queries(2):
        again = client.get("/search/", {"q": "kelp"})
    assert again.context["results"] == first.context["results"]


@pytest.mark.parametrize("rows_per_kind", [5, 100])
def test_a_member_search_runs_a_constant_number_of_queries(
    member_client, django_assert_num_queries, rows_per_kind
):
    _create_rows_of_every_kind(rows_per_kind)

    # 1. the session  2. the user  3. SAVEPOINT  4. ranking  5. page  6. RELEASE SAVEPOINT
    with django_assert_num_queries(6):
        member_client.get("/search/", {"q": "kelp"})


def test_the_empty_search_page_runs_no_search_query(client, django_assert_num_queries):
    # SAVEPOINT and RELEASE only.
    with django_assert_num_queries(2):
        client.get("/search/")


# Very common words: the newest matches are ranked, and the page says so


def test_a_word_found_everywhere_is_ranked_among_its_newest_matches(client, monkeypatch):
    monkeypatch.setattr("apap_portal.fulltext.search.MAX_RANKED", 3)
    practices = [BestPracticeFactory(title=f"Kelp forest care {n}") for n in range(5)]
    newest = {practice.title for practice in practices[-3:]}

    response = client.get("/knowledge/best-practices/", {"q": "kelp"})

    assert response.context["paginator"].count == 3
    assert {practice.title for practice in response.context["object_list"]} == newest
    assert "is found in more than 3 items" in response.text

    site_wide = client.get("/search/", {"q": "kelp"})
    assert site_wide.context["search"].capped is True
    assert {result.title for result in site_wide.context["results"]} == newest
    assert '<span class="search-kinds__count">3+</span>' in site_wide.text
    assert "is found in more than 3 items" in site_wide.text


def test_every_searched_list_says_when_its_search_was_capped(client, monkeypatch):
    monkeypatch.setattr("apap_portal.fulltext.search.MAX_RANKED", 3)
    ActivityFactory.create_batch(4, title=factory.Sequence(lambda n: f"Kelp workshop {n}"))
    ProtectedAreaFactory.create_batch(4, name=factory.Sequence(lambda n: f"Kelp Reserve {n}"))

    for path in ("/activities/", "/protected-areas/"):
        response = client.get(path, {"q": "kelp"})
        assert response.context["paginator"].count == 3
        assert "is found in more than 3 items" in response.text, path


def test_a_search_with_fewer_matches_than_the_cap_says_nothing_of_it(client):
    BestPracticeFactory(title="Kelp forest care")
    assert "is found in more than" not in client.get("/search/", {"q": "kelp"}).text
    response = client.get("/knowledge/best-practices/", {"q": "kelp"})
    assert response.context["search"].capped is False


def test_a_call_is_found_once_published_and_leaves_when_drafted_again(client):
    """Calls are public once published (calls.models.CallQuerySet.visible_to): the cached
    ranking follows the calls' table like every other kind's."""
    call = CallFactory(title="Expressions of interest: dugong surveys", status="draft")
    assert titles(search(client, "dugong")) == []

    call.status = "published"
    call.save()
    response = search(client, "dugong")
    assert titles(response) == [call.title]
    assert '<p class="eyebrow">Call</p>' in response.text
    assert f'<a href="/calls/{call.slug}/">' in response.text

    call.status = "draft"
    call.save()
    assert titles(search(client, "dugong")) == []


def test_a_cached_search_sees_a_new_or_changed_item_at_once(client):
    first = BestPracticeFactory(title="Dugong grazing survey")
    assert [r.title for r in client.get("/search/", {"q": "dugong"}).context["results"]] == [
        first.title
    ]
    listed = client.get("/knowledge/best-practices/", {"q": "dugong"})
    assert [practice.title for practice in listed.context["object_list"]] == [first.title]

    second = BestPracticeFactory(title="Dugong watch by fishers")
    first.title = "Seagrass grazing survey"
    first.summary = "Seagrass meadows mapped."
    first.save()

    assert [r.title for r in client.get("/search/", {"q": "dugong"}).context["results"]] == [
        second.title
    ]
    listed = client.get("/knowledge/best-practices/", {"q": "dugong"})
    assert [practice.title for practice in listed.context["object_list"]] == [second.title]


def test_a_cached_page_of_results_shows_an_edited_snippet_at_once(client):
    """The pages of a search are cached with their snippets: an edit shows at once."""
    practice = BestPracticeFactory(title="Dugong grazing survey", summary="Seagrass mapped.")
    for path in ("/search/", "/knowledge/best-practices/"):
        assert "Seagrass mapped." in client.get(path, {"q": "dugong"}).text, path

    practice.summary = "Seagrass meadows counted from the air."
    practice.save()

    for path in ("/search/", "/knowledge/best-practices/"):
        text = client.get(path, {"q": "dugong"}).text
        assert "Seagrass meadows counted from the air." in text, path
        assert "Seagrass mapped." not in text, path


def test_organizations_are_found_by_name_acronym_and_description(client):
    """Members and partners are results too, with a snippet from their description."""
    icimod = OrganizationFactory(
        name="International Centre for Integrated Mountain Development",
        acronym="ICIMOD",
        description="A regional knowledge centre based in Kathmandu. It joined in 2018.",
    )

    for q in ("ICIMOD", "integrated mountain", "kathmandu"):
        results = search(client, q).context["results"]
        assert [(r.kind.key, r.title) for r in results] == [("organization", icimod.name)], q
    found = search(client, "kathmandu")
    assert found.context["results"][0].url == icimod.get_absolute_url()
    assert "based in <mark>Kathmandu</mark>." in found.text
    assert '<p class="eyebrow">Organization</p>' in found.text
    # A misspelt name still finds it.
    assert titles(search(client, "Integrated Mountian")) == [icimod.name]

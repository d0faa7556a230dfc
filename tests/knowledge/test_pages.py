"""The library's pages: the landing page, best practices, resources and stories."""

import datetime
import re

import pytest

from knowledge.models import Challenge, Ecosystem, GbfTarget
from knowledge.views import BestPracticeListView
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    country,
    theme,
    work_area,
)
from tests.portal.test_structured_data import DATA_BLOCK

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

# Query counts include the savepoint and its release that wrap each request in
# tests (ATOMIC_REQUESTS); production sees BEGIN and COMMIT there instead.

BEST_PRACTICES = "/knowledge/best-practices/"
RESOURCES = "/knowledge/resources/"
STORIES = "/stories/"


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [item.title for item in response.context["object_list"]]


def options(response, name: str) -> list[str]:
    """The labels of a filter's options, as the visitor reads them (without "All …")."""
    html = response.text
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    labels = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    return [label for value, label in labels if value]


# The landing page


def test_landing_page_counts_the_library_and_leads_into_it(client):
    BestPracticeFactory.create_batch(2)
    BestPracticeFactory(title="Still a draft", status="draft")
    ResourceFactory.create_batch(2, kind="guideline")
    ResourceFactory(kind="study")
    StoryFactory()

    response = client.get("/knowledge/")

    assert response.status_code == 200
    assert response.context["practice_count"] == 2
    assert response.context["resource_count"] == 3
    assert response.context["story_count"] == 1
    assert [kind["label"] for kind in response.context["resource_kinds"]] == [
        "Guideline",
        "Study",
    ]
    assert 'href="/knowledge/resources/?kind=study"' in response.text
    assert "Community patrols that reduced poaching" in response.text
    assert "Still a draft" not in response.text
    assert 'action="/knowledge/best-practices/"' in response.text


@pytest.mark.parametrize("rows", [5, 120])
def test_landing_page_query_count_does_not_grow(
    client, django_assert_num_queries, rows, still_clock
):
    """Intended to prevent an n+1 issue on the library's landing page."""
    organization = OrganizationFactory()
    BestPracticeFactory.create_batch(rows, organization=organization)
    ResourceFactory.create_batch(rows)
    StoryFactory.create_batch(rows)
    # 1. savepoint  2. resources by kind  3. best-practice count  4. story count
    # 5. release  then, as the template renders:
    # 6. the latest best practices with protected area and organization
    with django_assert_num_queries(6):
        assert client.get("/knowledge/").status_code == 200
    # The counts are cached until the library changes: 2-4 are skipped.
    with django_assert_num_queries(3):
        assert client.get("/knowledge/").status_code == 200
    ResourceFactory()
    assert client.get("/knowledge/").context["resource_count"] == rows + 1


# The best-practice list


def test_list_filters_by_taxonomies_and_gbf_target(client):
    tourism = BestPracticeFactory(title="Homestays around the park")
    tourism.themes.add(theme("sustainable-tourism"))
    tourism.ecosystems.add(Ecosystem.objects.get(slug="karst-and-caves"))
    patrols = BestPracticeFactory(title="Joint patrols")
    patrols.challenges.add(Challenge.objects.get(slug="poaching-and-illegal-wildlife-trade"))
    patrols.gbf_targets.add(GbfTarget.objects.get(number=4))

    assert titles(client.get(BEST_PRACTICES, {"theme": "sustainable-tourism"})) == [
        "Homestays around the park"
    ]
    assert titles(client.get(BEST_PRACTICES, {"ecosystem": "karst-and-caves"})) == [
        "Homestays around the park"
    ]
    assert titles(
        client.get(BEST_PRACTICES, {"challenge": "poaching-and-illegal-wildlife-trade"})
    ) == ["Joint patrols"]
    assert titles(client.get(BEST_PRACTICES, {"gbf_target": 4})) == ["Joint patrols"]


def test_country_filter_matches_tagged_countries_or_the_protected_area_once(client):
    tagged_and_located = BestPracticeFactory(
        title="Cúc Phương primate rescue",
        protected_area=ProtectedAreaFactory(country=country("VNM")),
    )
    tagged_and_located.countries.add(country("VNM"), country("LAO"))
    BestPracticeFactory(
        title="Ba Bể lake clean-up",
        protected_area=ProtectedAreaFactory(country=country("VNM")),
    )
    tagged = BestPracticeFactory(title="Mekong exchange")
    tagged.countries.add(country("VNM"))
    BestPracticeFactory(title="Chitwan homestays", protected_area=ProtectedAreaFactory())

    response = client.get(BEST_PRACTICES, {"country": "VNM"})

    assert sorted(titles(response)) == [
        "Ba Bể lake clean-up",
        "Cúc Phương primate rescue",
        "Mekong exchange",
    ]
    assert response.context["paginator"].count == 3
    assert titles(client.get(BEST_PRACTICES, {"country": "LAO"})) == ["Cúc Phương primate rescue"]


def test_list_filters_by_iucn_category_and_language(client):
    BestPracticeFactory(
        title="Ranger training in a national park",
        protected_area=ProtectedAreaFactory(iucn_category="II"),
    )
    BestPracticeFactory(
        title="Quản lý rừng cộng đồng",
        language="vi",
        protected_area=ProtectedAreaFactory(iucn_category="VI"),
    )

    assert titles(client.get(BEST_PRACTICES, {"iucn_category": "II"})) == [
        "Ranger training in a national park"
    ]
    assert titles(client.get(BEST_PRACTICES, {"language": "vi"})) == ["Quản lý rừng cộng đồng"]


def test_facets_count_the_filtered_results_and_hide_empty_options(client):
    for number in range(3):
        practice = BestPracticeFactory(title=f"Ecotourism {number}")
        practice.themes.add(theme("sustainable-tourism"))
        if number == 0:
            practice.themes.add(theme("human-wildlife-conflict"))
    patrols = BestPracticeFactory(
        title="Patrols", protected_area=ProtectedAreaFactory(country=country("NPL"))
    )
    patrols.themes.add(theme("law-enforcement-and-patrolling"))

    everything = client.get(BEST_PRACTICES)
    assert options(everything, "theme") == [
        "Human-wildlife conflict (1)",
        "Sustainable tourism (3)",
        "Law enforcement and patrolling (1)",
    ]
    assert options(everything, "country") == ["Nepal (1)"]
    assert options(everything, "language") == ["English (4)"]

    tourism = client.get(BEST_PRACTICES, {"theme": "sustainable-tourism"})
    assert options(tourism, "theme") == ["Human-wildlife conflict (1)", "Sustainable tourism (3)"]
    assert options(tourism, "country") == []
    assert options(tourism, "language") == ["English (3)"]

    # The option asked for stays, even when nothing matches any more.
    nothing = client.get(BEST_PRACTICES, {"theme": "sustainable-tourism", "country": "NPL"})
    assert options(nothing, "country") == ["Nepal (0)"]
    assert '<option value="NPL" selected>' in nothing.text


def test_country_facet_counts_a_practice_once_whether_tagged_or_located(client):
    located_and_tagged = BestPracticeFactory(
        protected_area=ProtectedAreaFactory(country=country("VNM"))
    )
    located_and_tagged.countries.add(country("VNM"), country("LAO"))
    BestPracticeFactory(protected_area=ProtectedAreaFactory(country=country("VNM")))
    BestPracticeFactory().countries.add(country("VNM"))

    assert options(client.get(BEST_PRACTICES), "country") == ["Lao PDR (1)", "Viet Nam (3)"]


def test_the_filter_form_follows_a_renamed_theme_at_once(client):
    BestPracticeFactory().themes.add(theme("sustainable-tourism"))
    assert options(client.get(BEST_PRACTICES), "theme") == ["Sustainable tourism (1)"]
    tourism = theme("sustainable-tourism")
    tourism.name = "Nature-based tourism"
    tourism.save()
    assert options(client.get(BEST_PRACTICES), "theme") == ["Nature-based tourism (1)"]
    assert options(client.get("/vi" + BEST_PRACTICES), "theme") == ["Nature-based tourism (1)"]


def test_facet_counts_are_cached_until_the_library_changes(client, django_assert_num_queries):
    practice = BestPracticeFactory(title="Homestays")
    practice.themes.add(theme("sustainable-tourism"))
    assert options(client.get(BEST_PRACTICES), "theme") == ["Sustainable tourism (1)"]

    # Tagging another practice (a many-to-many change) and publishing a new one both
    # show at once, though the counts were cached.
    BestPracticeFactory(title="Guides").themes.add(theme("sustainable-tourism"))
    assert options(client.get(BEST_PRACTICES), "theme") == ["Sustainable tourism (2)"]
    practice.themes.remove(theme("sustainable-tourism"))
    assert options(client.get(BEST_PRACTICES), "theme") == ["Sustainable tourism (1)"]
    assert client.get(BEST_PRACTICES).context["paginator"].count == 2


def test_cached_counts_never_mix_audiences(client, member_client):
    """Members' counts include members-only practices; the public's, cached apart, do not."""
    BestPracticeFactory().themes.add(theme("sustainable-tourism"))
    BestPracticeFactory(visibility="members").themes.add(theme("sustainable-tourism"))

    assert options(member_client.get(BEST_PRACTICES), "theme") == ["Sustainable tourism (2)"]
    public = client.get(BEST_PRACTICES)
    assert options(public, "theme") == ["Sustainable tourism (1)"]
    assert public.context["paginator"].count == 1
    assert member_client.get(BEST_PRACTICES).context["paginator"].count == 2


def test_pages_found_by_key_are_the_slices_of_the_list(client, monkeypatch):
    """Pages are found by their keys first; they must hold the list's rows in its order."""
    monkeypatch.setattr(BestPracticeListView, "paginate_by", 3)
    published = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for number in range(7):
        BestPracticeFactory(
            title=f"Practice {number}", published_at=published + datetime.timedelta(days=number)
        )
    newest_first = [f"Practice {number}" for number in reversed(range(7))]

    pages = [titles(client.get(BEST_PRACTICES, {"page": page})) for page in (1, 2, 3)]

    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:7]]
    assert client.get(BEST_PRACTICES, {"page": 4}).status_code == 404


def test_facets_follow_the_search(client):
    tourism = BestPracticeFactory(title="Homestays in the buffer zone")
    tourism.themes.add(theme("sustainable-tourism"))
    patrols = BestPracticeFactory(title="Smart patrols")
    patrols.themes.add(theme("law-enforcement-and-patrolling"))

    response = client.get(BEST_PRACTICES, {"q": "homestays"})

    assert options(response, "theme") == ["Sustainable tourism (1)"]


def test_search_ranks_and_highlights_the_matches(client):
    BestPracticeFactory(
        title="Community patrols",
        summary="Villagers joined the rangers; mangrove cutting stopped.",
    )
    BestPracticeFactory(title="Mangrove replanting", summary="Mangrove belts were replanted.")
    BestPracticeFactory(title="Tiger counts", summary="Camera traps counted tigers.")

    response = client.get(BEST_PRACTICES, {"q": "mangrove"})

    assert titles(response) == ["Mangrove replanting", "Community patrols"]
    assert "<mark>mangrove</mark> cutting stopped" in response.text
    assert "Results for “mangrove”" in response.text
    assert "approximate" not in response.text


def test_misspelt_search_says_the_matches_are_approximate(client):
    BestPracticeFactory(title="Transboundary cooperation in the Sundarbans")

    response = client.get(BEST_PRACTICES, {"q": "tranboundary"})

    assert titles(response) == ["Transboundary cooperation in the Sundarbans"]
    assert "showing approximate matches for “tranboundary”" in response.text


def test_search_keeps_the_markup_of_a_summary_inert(client):
    BestPracticeFactory(title="Wetland birds", summary="Wetland <script>alert(1)</script> birds")

    html = client.get(BEST_PRACTICES, {"q": "wetland"}).text

    assert "<mark>Wetland</mark>" in html
    assert "<script>alert(1)" not in html


def test_a_summary_cannot_break_out_of_the_page_description(client):
    resource = ResourceFactory(summary='Guidance" http-equiv="refresh" content="0;url=https://evil')

    html = client.get(resource.get_absolute_url()).text

    description = re.search(r'<meta name="description" content="[^"]*">', html).group(0)
    assert "Guidance&quot; http-equiv=&quot;refresh&quot;" in description


def test_a_runaway_or_binary_query_is_cleaned_not_refused(client):
    BestPracticeFactory(title="Mangrove replanting")

    long_query = client.get(BEST_PRACTICES, {"q": "mangrove " * 600})
    nul_query = client.get(BEST_PRACTICES, {"q": "mangrove\x00"})

    assert titles(long_query) == ["Mangrove replanting"]
    assert len(long_query.context["search"].text) <= 200
    assert titles(nul_query) == ["Mangrove replanting"]
    assert nul_query.context["search"].text == "mangrove"


def test_bad_filters_explain_instead_of_failing(client):
    BestPracticeFactory(title="Mangrove replanting")

    response = client.get(
        BEST_PRACTICES,
        {
            "theme": "no-such-theme",
            "gbf_target": "twenty",
            "country": "<script>",
            "iucn_category": "VIII",
            "language": "xx",
            "ecosystem": "karst\x00",
            "page": "1",
        },
    )

    assert response.status_code == 200
    assert response.text.count("Select a valid choice") == 5
    assert "Null characters are not allowed" in response.text
    assert "<script>" not in response.text
    # The filters that could not be understood are set aside, not applied.
    assert titles(response) == ["Mangrove replanting"]


def test_pagination_keeps_the_filters(client):
    organization = OrganizationFactory()
    for number in range(30):
        practice = BestPracticeFactory(title=f"Homestay {number:02}", organization=organization)
        practice.themes.add(theme("sustainable-tourism"))

    response = client.get(BEST_PRACTICES, {"theme": "sustainable-tourism", "q": "homestay"})

    assert 'href="?theme=sustainable-tourism&amp;q=homestay&amp;page=2"' in response.text
    second = client.get(
        BEST_PRACTICES, {"theme": "sustainable-tourism", "q": "homestay", "page": 2}
    )
    assert len(titles(second)) == 6


def _tagged_practices(rows: int) -> None:
    organization = OrganizationFactory()
    area = ProtectedAreaFactory(country=country("VNM"), iucn_category="II")
    tourism, target = theme("sustainable-tourism"), GbfTarget.objects.get(number=3)
    for practice in BestPracticeFactory.create_batch(
        rows, organization=organization, protected_area=area
    ):
        practice.themes.add(tourism)
        practice.gbf_targets.add(target)
        practice.countries.add(country("LAO"))


@pytest.mark.parametrize("rows", [5, 120])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the best-practice list and its facets."""
    _tagged_practices(rows)
    # 1. savepoint  2. the total and every facet's counts, in one query  3. release
    # then, as the template renders:
    # 4-6. the themes, GBF targets and countries that hold results (no ecosystem or
    #      challenge does: an option list known to be empty costs no query)
    # 7. the page (its keys, then its rows), with protected areas and organizations
    with django_assert_num_queries(7):
        assert client.get(BEST_PRACTICES).status_code == 200
    # The counts and the rendered filter form are cached until the content changes: the
    # next visitor skips queries 2 and 4-6.
    with django_assert_num_queries(3):
        assert client.get(BEST_PRACTICES).status_code == 200


@pytest.mark.parametrize("rows", [5, 120])
def test_filtered_search_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on a search within a facet."""
    _tagged_practices(rows)
    search = {"theme": "sustainable-tourism", "q": "patrols"}
    # 1. savepoint  2. the theme asked for  3. the search's ranking (its candidates,
    # scored)  4. the total and the facets' counts  5. release
    # then, as the template renders:
    # 6-8. the themes, GBF targets and countries holding results
    # 9. the page, in the ranking's order, with snippets
    with django_assert_num_queries(9):
        response = client.get(BEST_PRACTICES, search)
    assert response.context["paginator"].count == rows
    # The ranking, the counts, the filter form and the page's rows with their snippets
    # are cached until the content changes: only 1, 2 and 5 remain.
    with django_assert_num_queries(3):
        again = client.get(BEST_PRACTICES, search)
    assert again.context["paginator"].count == rows
    assert [practice.pk for practice in again.context["object_list"]] == [
        practice.pk for practice in response.context["object_list"]
    ]
    assert again.text.count("<mark>") == response.text.count("<mark>") > 0


# A best practice


def test_detail_tells_the_whole_practice(client):
    area = ProtectedAreaFactory(name="Cúc Phương National Park", country=country("VNM"))
    organization = OrganizationFactory(name="Cúc Phương National Park Management Board")
    practice = BestPracticeFactory(
        title="Primate rescue and release",
        summary="Rescued langurs returned to the forest.",
        context="A *karst* forest.",
        challenge_description="Hunting for the **wildlife trade**.",
        impacts="Langur groups grew.",
        lessons_learned="Start with the villages.",
        protected_area=area,
        organization=organization,
        contributors="Nguyễn Văn A, Tran Thi B",
        cover_image="best-practices/2024/langur.jpg",
        cover_image_alt="A Delacour's langur on a limestone cliff",
        language="en",
    )
    practice.countries.add(country("VNM"))
    practice.themes.add(theme("sustainable-tourism"))
    practice.gbf_targets.add(GbfTarget.objects.get(number=4))
    BuildingBlockFactory(
        best_practice=practice,
        order=2,
        title="Release in family groups",
        enabling_factors="Trained *keepers*.",
        lessons_learned="Monitor for a year.",
    )
    BuildingBlockFactory(best_practice=practice, order=1, title="Rescue centre")

    html = client.get(practice.get_absolute_url()).text

    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert html.index("Rescue centre") < html.index("Release in family groups")
    for text in (
        "Rescued langurs returned to the forest.",
        "<em>karst</em>",
        "<strong>wildlife trade</strong>",
        "<em>keepers</em>",
        "Monitor for a year.",
        "Langur groups grew.",
        "Start with the villages.",
        "Nguyễn Văn A, Tran Thi B",
        'alt="A Delacour&#x27;s langur on a limestone cliff"',
        'src="/media/best-practices/2024/langur.jpg"',
        f'href="{area.get_absolute_url()}"',
        f'href="{organization.get_absolute_url()}"',
        'href="/knowledge/best-practices/?theme=sustainable-tourism"',
        'href="/knowledge/best-practices/?gbf_target=4"',
        'href="/knowledge/best-practices/?country=VNM"',
        '<time datetime="2024-05-01">1 May 2024</time>',
        '<div class="prose" lang="en">',
    ):
        assert text in html, text


def test_detail_is_marked_with_the_language_of_the_practice(client):
    practice = BestPracticeFactory(title="Đồng quản lý rừng", language="vi")

    html = client.get(practice.get_absolute_url()).text

    assert '<div class="prose" lang="vi">' in html
    assert '<h1 lang="vi">' in html
    assert '<html lang="en">' in html


def test_detail_renders_markdown_safely(client):
    practice = BestPracticeFactory(
        context="**Bold**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))",
        impacts='<img src=x onerror="alert(3)"> fewer snares',
    )
    BuildingBlockFactory(best_practice=practice, description="<iframe src=//evil></iframe> ok")

    html = client.get(practice.get_absolute_url()).text

    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "<iframe" not in html


def test_detail_hides_a_protected_area_the_visitor_may_not_see(client, member_client):
    area = ProtectedAreaFactory(name="Restricted research station", visibility="members")
    practice = BestPracticeFactory(protected_area=area)

    assert "Restricted research station" not in client.get(practice.get_absolute_url()).text
    assert "Restricted research station" in member_client.get(practice.get_absolute_url()).text


def test_unknown_best_practice_is_not_found(client):
    assert client.get("/knowledge/best-practices/no-such-practice/").status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_detail_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on a practice's building blocks and tags."""
    practice = BestPracticeFactory(protected_area=ProtectedAreaFactory())
    BuildingBlockFactory.create_batch(rows, best_practice=practice)
    practice.themes.add(*theme("sustainable-tourism").__class__.objects.all()[:rows])
    practice.gbf_targets.add(*GbfTarget.objects.all()[:rows])
    practice.countries.add(country("VNM"), country("LAO"))
    # 1. savepoint  2. the practice with protected area, country, organization, submitter
    # 3. building blocks  4. countries  5. themes  6. ecosystems  7. challenges
    # 8. GBF targets  9. whether the visitor may see the protected area  10. release
    with django_assert_num_queries(10):
        assert client.get(practice.get_absolute_url()).status_code == 200


# Resources


def test_resource_list_filters_by_kind_language_year_theme_and_target(client):
    guideline = ResourceFactory(title="Transboundary Conservation", kind="guideline", year=2015)
    guideline.themes.add(theme("transboundary-conservation"))
    study = ResourceFactory(title="Lợi ích của khu bảo tồn", kind="study", year=2019, language="vi")
    study.gbf_targets.add(GbfTarget.objects.get(number=3))

    assert titles(client.get(RESOURCES, {"kind": "study"})) == ["Lợi ích của khu bảo tồn"]
    assert titles(client.get(RESOURCES, {"language": "vi"})) == ["Lợi ích của khu bảo tồn"]
    assert titles(client.get(RESOURCES, {"year": 2015})) == ["Transboundary Conservation"]
    assert titles(client.get(RESOURCES, {"theme": "transboundary-conservation"})) == [
        "Transboundary Conservation"
    ]
    assert titles(client.get(RESOURCES, {"gbf_target": 3})) == ["Lợi ích của khu bảo tồn"]

    everything = client.get(RESOURCES)
    assert options(everything, "year") == ["2019 (1)", "2015 (1)"]
    assert options(everything, "kind") == ["Guideline (1)", "Study (1)"]
    assert options(everything, "language") == ["English (1)", "Vietnamese (1)"]


def test_resource_list_searches_and_explains_bad_filters(client):
    ResourceFactory(title="Protected Area Governance", summary="Who decides, and how.")
    ResourceFactory(title="Sustainable Tourism", summary="Visitors and **revenue**.")

    found = client.get(RESOURCES, {"q": "revenue"})
    bad = client.get(RESOURCES, {"year": "last", "kind": "novel", "gbf_target": "x"})

    assert titles(found) == ["Sustainable Tourism"]
    assert "<mark>revenue</mark>" in found.text
    assert bad.status_code == 200
    assert bad.text.count("Select a valid choice") == 3


def test_resource_detail_offers_the_file_the_link_and_the_other_languages(client):
    original = ResourceFactory(
        title="Transboundary Conservation: a systematic and integrated approach",
        file="resources/2015/transboundary.pdf",
        url="https://portals.iucn.org/library/node/45175",
        summary="Best Practice Guidelines **No. 23**.",
    )
    vietnamese = ResourceFactory(
        title="Bảo tồn xuyên biên giới", language="vi", translation_of=original
    )
    thai = ResourceFactory(
        title="การอนุรักษ์ข้ามพรมแดน", slug="transboundary-th", language="th", translation_of=original
    )
    ResourceFactory(
        title="Members-only draft translation",
        language="zh",
        translation_of=original,
        visibility="members",
    )

    html = client.get(original.get_absolute_url()).text
    assert 'href="/media/resources/2015/transboundary.pdf"' in html
    assert 'href="https://portals.iucn.org/library/node/45175"' in html
    assert "<strong>No. 23</strong>" in html
    assert f'href="{vietnamese.get_absolute_url()}" hreflang="vi" lang="vi"' in html
    assert thai.title in html
    assert "Members-only draft translation" not in html

    translation = client.get(vietnamese.get_absolute_url()).text
    assert "This is the Vietnamese translation of:" in translation
    assert f'href="{original.get_absolute_url()}"' in translation
    assert thai.title in translation
    assert '<div class="prose" lang="vi">' in translation


@pytest.mark.parametrize("rows", [5, 120])
def test_resource_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the resource list and its facets."""
    original = ResourceFactory()
    for resource in ResourceFactory.create_batch(rows, translation_of=original):
        resource.themes.add(theme("sustainable-tourism"))
    # 1. savepoint  2. the total and the counts by kind, language, year, theme and GBF
    # target  3. release; then, as the template renders: 4. the themes holding results
    # (no GBF target does: no query)  5. the page, with the originals
    with django_assert_num_queries(5):
        assert client.get(RESOURCES).status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_resource_detail_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on a resource's tags and translations."""
    resource = ResourceFactory(work_area=work_area())
    ResourceFactory.create_batch(rows, translation_of=resource, language="vi")
    resource.themes.add(theme("sustainable-tourism"))
    resource.gbf_targets.add(*GbfTarget.objects.all()[:rows])
    # 1. savepoint  2. the resource with its original and work area  3. themes
    # 4. GBF targets  5. the other editions the visitor may see  6. release
    with django_assert_num_queries(6):
        assert client.get(resource.get_absolute_url()).status_code == 200


# Stories


def test_story_list_filters_by_kind_work_area_and_year(client):
    StoryFactory(
        title="APAP at CBD COP15",
        kind="statement",
        work_area=work_area("awareness-advocacy"),
        published_at=datetime.datetime(2022, 12, 10, tzinfo=datetime.UTC),
    )
    StoryFactory(title="Rangers meet in Dehradun", work_area=work_area("knowledge-capacity"))

    assert titles(client.get(STORIES, {"kind": "statement"})) == ["APAP at CBD COP15"]
    assert titles(client.get(STORIES, {"work_area": "knowledge-capacity"})) == [
        "Rangers meet in Dehradun"
    ]
    assert titles(client.get(STORIES, {"year": 2022})) == ["APAP at CBD COP15"]
    everything = client.get(STORIES)
    assert options(everything, "year") == ["2024 (1)", "2022 (1)"]
    assert options(everything, "kind") == ["News (1)", "Advocacy statement (1)"]


def test_story_search_highlights_the_lead(client):
    StoryFactory(title="Forum in Korea", lead="Members met in Suncheon to talk about wetlands.")
    StoryFactory(title="Tigers", lead="Tiger numbers rose in Nepal.")

    response = client.get(STORIES, {"q": "wetlands"})

    assert titles(response) == ["Forum in Korea"]
    assert "<mark>wetlands</mark>" in response.text


def test_stories_not_yet_published_are_not_listed(client):
    StoryFactory(title="Draft", published_at=None)
    StoryFactory(
        title="Tomorrow's news",
        published_at=datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1),
    )
    assert titles(client.get(STORIES)) == []


def test_story_detail_shows_the_story_and_links_a_visible_activity(client, member_client):
    activity = ActivityFactory(title="Members' exchange visit", visibility="members")
    story = StoryFactory(
        title="Rangers learn from each other",
        body="## Day one\n\nThey **walked** the trails.",
        image="stories/2024/rangers.jpg",
        image_alt="Rangers on a forest trail",
        work_area=work_area("knowledge-capacity"),
        related_activity=activity,
    )

    html = client.get(story.get_absolute_url()).text
    assert "<strong>walked</strong>" in html
    assert 'alt="Rangers on a forest trail"' in html
    assert 'href="/work-areas/knowledge-capacity/"' in html
    assert activity.get_absolute_url() not in html
    assert activity.get_absolute_url() in member_client.get(story.get_absolute_url()).text


def test_staff_preview_a_draft_story_with_a_banner(client, editor_client):
    story = StoryFactory(title="Coming soon", published_at=None)

    assert client.get(story.get_absolute_url()).status_code == 404
    html = editor_client.get(story.get_absolute_url()).text
    assert "This story is not published yet" in html


@pytest.mark.parametrize("rows", [5, 120])
def test_story_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the story list and its facets."""
    StoryFactory.create_batch(rows, work_area=work_area("awareness-advocacy"))
    # 1. savepoint  2. the total and the counts by kind, work area and year  3. release
    # then, as the template renders:
    # 4. the work areas holding stories  5. the page, with work areas
    with django_assert_num_queries(5):
        assert client.get(STORIES).status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_story_detail_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on a story's page."""
    activity = ActivityFactory()
    StoryFactory.create_batch(rows, related_activity=activity)
    story = StoryFactory(related_activity=activity, work_area=work_area())
    # 1. savepoint  2. the story with work area, activity and whether it is published
    # 3. whether the visitor may see the activity  4. release
    with django_assert_num_queries(4):
        assert client.get(story.get_absolute_url()).status_code == 200


# Every page of the library


def test_library_pages_have_one_heading_and_no_inline_code(client):
    practice = BestPracticeFactory()
    resource = ResourceFactory()
    story = StoryFactory()
    for url in (
        "/knowledge/",
        BEST_PRACTICES,
        f"{BEST_PRACTICES}?q=patrols",
        practice.get_absolute_url(),
        RESOURCES,
        resource.get_absolute_url(),
        STORIES,
        story.get_absolute_url(),
    ):
        response = client.get(url)
        html = response.text
        assert response.status_code == 200, url
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        assert " style=" not in html, url
        # The one inline element is the schema.org data block, not run.
        assert re.search(r"<script[^>]*>\s*[^<\s]", DATA_BLOCK.sub("", html)) is None, url
        for field in re.findall(r'<(?:select|input)[^>]*\sid="([^"]+)"', html):
            assert f'<label for="{field}"' in html, (url, field)


def test_library_pages_are_translated(client):
    StoryFactory()
    html = client.get("/vi/stories/").text
    assert '<html lang="vi">' in html
    assert client.get("/vi/knowledge/").status_code == 200

"""The pages the benchmark measures, and how each finds its URL in the database at hand.

The same page is measured in the scale database and in the small one, so URLs that name
a record (a slug, a filter value, a page number) are chosen by a query at run time, with
rules that pick a record present in both: the first visible synthetic record by slug
(rows are generated deterministically, so its slug is the same in both), the most used
theme and country, page 500 or the last page when there are fewer. Pages in Vietnamese
are named `vi-…` (`--page vi-` measures them alone).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, ActivityOrganization
from apap_portal.translations.models import TranslationStatus
from bench.scale_data import (
    SEARCH_TERMS,
    SLUG_PREFIX,
    VIETNAMESE,
    VIETNAMESE_SEARCH_TERM,
    VIETNAMESE_SEARCH_TERM_UNMARKED,
)
from knowledge.models import BestPractice
from members.map_tiles import BOUNDARY_ZOOM, MAX_BOUNDARY_AREAS, Tile
from members.models import Organization, ProtectedArea

ANONYMOUS = AnonymousUser()
DEEP_PAGE = 500

# p95 targets in milliseconds, by kind (None: reported, no target).
P95_TARGET_MS = {
    "detail": 25,
    "list": 50,
    "search": 60,
    "deep": 60,
    "map": 50,
    "other": None,
    "pdf": None,  # warm, a PDF is sent from the cache: reported, judged uncached
}
# Targets of the first request after an edit (p95 of the uncached requests), and of the
# size of an answer, by kind (issue 15, point 8: a map answer at any zoom).
# A PDF profile is laid out in ≤ 2 s uncached (issue 18, point 6).
UNCACHED_P95_TARGET_MS = {"map": 300, "pdf": 2000}
MAX_BYTES = {"map": 150_000}
# Uncached requests of a page (each after emptying the cache): a few, but enough for a
# p95 where there is a target for it.
COLD_REQUESTS = 3
COLD_REQUESTS_BY_KIND = {"map": 20, "pdf": 5}
# The zooms of the map's densest tiles measured: clusters far out (3) and nearer (6), and
# the first zoom that draws boundaries (where the densest tiles still give clusters);
# then the densest tiles that draw boundaries, by their zoom and the most map points they
# may hold (far under MAX_BOUNDARY_AREAS: large areas from around cross them too).
MAP_ZOOMS = (3, 6, BOUNDARY_ZOOM)
MAP_BOUNDARY_TILES = ((BOUNDARY_ZOOM, MAX_BOUNDARY_AREAS // 2), (BOUNDARY_ZOOM + 3, 20))
# Requests per second under gunicorn, as a share of /healthz's, by kind.
RPS_RATIO_TARGET = {"detail": 0.50, "list": 0.40}
MAX_QUERIES = 10


@dataclass(frozen=True)
class Page:
    name: str  # stable across databases: the key results are matched by
    kind: str  # "detail" | "list" | "search" | "deep" | "map" | "pdf" | "other"
    url: Callable[[], str]  # the URL in the current database

    @property
    def p95_target_ms(self) -> int | None:
        return P95_TARGET_MS[self.kind]

    @property
    def rps_ratio_target(self) -> float | None:
        return RPS_RATIO_TARGET.get(self.kind)

    @property
    def uncached_p95_target_ms(self) -> int | None:
        return UNCACHED_P95_TARGET_MS.get(self.kind)

    @property
    def max_bytes(self) -> int | None:
        return MAX_BYTES.get(self.kind)

    @property
    def cold_requests(self) -> int:
        return COLD_REQUESTS_BY_KIND.get(self.kind, COLD_REQUESTS)


def fixed(url: str) -> Callable[[], str]:
    return lambda: url


def with_query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}"


def first_by_slug(queryset):
    """The first synthetic row (by slug) of a queryset, else the first row at all."""
    synthetic = queryset.filter(slug__startswith=SLUG_PREFIX).order_by("slug").first()
    found = synthetic or queryset.order_by("slug").first()
    if found is None:
        raise LookupError(f"No {queryset.model._meta.verbose_name} to measure.")
    return found


def visible_practices():
    return BestPractice.objects.visible_to(ANONYMOUS).published()


def activity_detail() -> str:
    """A public activity with organizers (its page shows the most)."""
    has_roles = Exists(ActivityOrganization.objects.filter(activity_id=OuterRef("pk")))
    activities = Activity.objects.visible_to(ANONYMOUS).filter(has_roles)
    return first_by_slug(activities).get_absolute_url()


def practices_told_of_a_public_area():
    return visible_practices().filter(
        protected_area__in=ProtectedArea.objects.visible_to(ANONYMOUS)
    )


def best_practice_detail() -> str:
    """A public, published best practice told of a public protected area."""
    return first_by_slug(practices_told_of_a_public_area()).get_absolute_url()


def protected_area_detail() -> str:
    return first_by_slug(ProtectedArea.objects.visible_to(ANONYMOUS)).get_absolute_url()


def country_profile() -> str:
    """The profile of the country with the most public protected areas (the most to count)."""
    row = (
        ProtectedArea.objects.visible_to(ANONYMOUS)
        .values("country__iso3")
        .annotate(total=Count("pk"))
        .order_by("-total", "country__iso3")
        .first()
    )
    if row is None:
        raise LookupError("No protected area to count on a country profile.")
    return f"/countries/{row['country__iso3'].lower()}/"


def most_used_theme() -> str:
    """The slug of the theme most visible best practices are tagged with."""
    through = BestPractice.themes.through
    row = (
        through.objects.filter(bestpractice__in=visible_practices())
        .values("theme__slug")
        .annotate(total=Count("pk"))
        .order_by("-total", "theme__slug")
        .first()
    )
    if row is None:
        raise LookupError("No tagged best practice to filter.")
    return row["theme__slug"]


def most_used_country(theme: str) -> str:
    """The ISO3 code of the country most visible best practices with `theme` are tagged with."""
    through = BestPractice.countries.through
    row = (
        through.objects.filter(bestpractice__in=visible_practices().filter(themes__slug=theme))
        .values("country__iso3")
        .annotate(total=Count("pk"))
        .order_by("-total", "country__iso3")
        .first()
    )
    if row is None:
        raise LookupError("No best practice with a country to filter.")
    return row["country__iso3"]


def filtered_practices() -> str:
    theme = most_used_theme()
    return with_query("/knowledge/best-practices/", theme=theme, country=most_used_country(theme))


def searched_practices() -> str:
    return with_query(
        "/knowledge/best-practices/", q=SEARCH_TERMS["common"], theme=most_used_theme()
    )


def deep_page(path: str, queryset_factory: Callable[[], object]) -> Callable[[], str]:
    """Page 500 of a list, or its last page when it has fewer."""

    def url() -> str:
        pages = max(1, math.ceil(queryset_factory().count() / settings.PAGINATE_BY))
        return with_query(path, page=min(DEEP_PAGE, pages))

    return url


def densest_map_tile(zoom: int, at_most: int | None = None) -> Callable[[], str]:
    """The map's tile at `zoom` that holds the most public areas (at most `at_most`).

    The densest tile is the heaviest answer of its zoom; where it holds more boundaries
    than a tile draws, it gives clusters, so the boundaries are measured on the densest
    tile that still draws them (`at_most` well under MAX_BOUNDARY_AREAS).
    """

    def url() -> str:
        per_tile = Counter()
        for row in ProtectedArea.objects.public().for_map().order_by():
            tile = Tile.containing(longitude=row[3], latitude=row[2], zoom=zoom)
            per_tile[tile.x, tile.y] += 1
        candidates = [
            (-count, xy) for xy, count in per_tile.items() if at_most is None or count <= at_most
        ]
        if not candidates:
            raise LookupError("No protected area on the map.")
        _count, (x, y) = min(candidates)
        return reverse("members:protectedarea_map_tile", args=[zoom, x, y])

    return url


def search(term: str, **params) -> Callable[[], str]:
    return fixed(with_query("/search/", q=term, **params))


# Pages in Vietnamese (issue 17): lists where translated and untranslated rows are mixed
# (bench/scale_data.py translates 30 % of the rows), a best practice read in its
# translation and one shown in English with the note, and the search with and without
# the marks of VIETNAMESE_SEARCH_TERM. Chosen by the data alone, so that they run whatever
# the pages and the search do with translations.


def in_vietnamese(path: str) -> str:
    """The path of a page in Vietnamese (the language's prefix)."""
    return f"/{VIETNAMESE}{path}"


def vietnamese_translation(model, *, up_to_date: bool = False):
    """The condition of a record of `model` having a Vietnamese translation (published and
    following the original's current text, with `up_to_date`)."""
    translations = model._meta.get_field("translations").related_model
    found = translations._base_manager.filter(original=OuterRef("pk"), language=VIETNAMESE)
    if up_to_date:
        found = found.filter(
            status=TranslationStatus.PUBLISHED, source_digest=OuterRef("translation_source")
        )
    return Exists(found)


def translated_practice_detail() -> str:
    """A best practice like best_practice_detail()'s, read in its Vietnamese translation."""
    practices = practices_told_of_a_public_area().filter(
        vietnamese_translation(BestPractice, up_to_date=True)
    )
    with translation.override(VIETNAMESE):
        return first_by_slug(practices).get_absolute_url()


def untranslated_practice_detail() -> str:
    """A best practice in English with no Vietnamese translation: shown with the note."""
    practices = practices_told_of_a_public_area().exclude(language=VIETNAMESE)
    practices = practices.filter(~vietnamese_translation(BestPractice))
    with translation.override(VIETNAMESE):
        return first_by_slug(practices).get_absolute_url()


# Printable PDF profiles (issue 18, point 5): the records of the detail pages above, and a
# member organization, as PDFs (`…/pdf/`).


def pdf_of(detail: Callable[[], str]) -> Callable[[], str]:
    """The PDF profile of the record whose detail page `detail` names."""
    return lambda: f"{detail()}pdf/"


def member_detail() -> str:
    return first_by_slug(Organization.objects.members()).get_absolute_url()


# The read-only JSON API (issue 18, points 1 and 6): its lists held to a list's target,
# its records to a detail's, in English and in Vietnamese (?lang=vi).
API = "/api/v1"


def api_record(endpoint: str, detail: Callable[[], str], **params) -> Callable[[], str]:
    """The API's record of the one whose page `detail` names (the page's last segment)."""

    def url() -> str:
        key = detail().rstrip("/").rsplit("/", 1)[1]
        path = f"{API}/{endpoint}/{key}/"
        return with_query(path, **params) if params else path

    return url


def api_filtered_practices() -> str:
    theme = most_used_theme()
    return with_query(f"{API}/best-practices/", theme=theme, country=most_used_country(theme))


PAGES = [
    Page("home", "other", fixed("/")),
    Page("members", "list", fixed("/members/")),
    Page("protected-areas", "list", fixed("/protected-areas/")),
    Page("protected-areas-geojson", "other", fixed("/protected-areas/map.geojson")),
    *(Page(f"map-tile-z{zoom}", "map", densest_map_tile(zoom)) for zoom in MAP_ZOOMS),
    *(
        Page(f"map-boundaries-z{zoom}", "map", densest_map_tile(zoom, at_most))
        for zoom, at_most in MAP_BOUNDARY_TILES
    ),
    Page("protected-area-detail", "detail", protected_area_detail),
    # A profile counts every area of its country: held to a list's target (50 ms).
    Page("countries", "list", fixed("/countries/")),
    Page("country-profile", "list", country_profile),
    Page("activities", "list", fixed("/activities/")),
    Page("activity-detail", "detail", activity_detail),
    Page("activities-calendar", "other", fixed("/activities/calendar.ics")),
    Page("best-practices", "list", fixed("/knowledge/best-practices/")),
    Page("best-practices-filtered", "list", filtered_practices),
    Page("best-practice-detail", "detail", best_practice_detail),
    Page("search-rare", "search", search(SEARCH_TERMS["rare"])),
    Page("search-medium", "search", search(SEARCH_TERMS["medium"])),
    Page("search-common", "search", search(SEARCH_TERMS["common"])),
    Page("search-rare-kind", "search", search(SEARCH_TERMS["rare"], kind="bestpractice")),
    Page("search-common-kind", "search", search(SEARCH_TERMS["common"], kind="bestpractice")),
    Page("best-practices-search-theme", "search", searched_practices),
    Page(
        "best-practices-deep",
        "deep",
        deep_page("/knowledge/best-practices/", visible_practices),
    ),
    Page(
        "activities-deep",
        "deep",
        deep_page("/activities/", lambda: Activity.objects.visible_to(ANONYMOUS)),
    ),
    Page("vi-best-practices", "list", fixed(in_vietnamese("/knowledge/best-practices/"))),
    Page("vi-activities", "list", fixed(in_vietnamese("/activities/"))),
    Page("vi-stories", "list", fixed(in_vietnamese("/stories/"))),
    Page("vi-best-practice-translated", "detail", translated_practice_detail),
    Page("vi-best-practice-untranslated", "detail", untranslated_practice_detail),
    Page(
        "vi-search-marked",
        "search",
        fixed(with_query(in_vietnamese("/search/"), q=VIETNAMESE_SEARCH_TERM)),
    ),
    Page(
        "vi-search-unmarked",
        "search",
        fixed(with_query(in_vietnamese("/search/"), q=VIETNAMESE_SEARCH_TERM_UNMARKED)),
    ),
    *(
        Page(f"api-{endpoint}", "list", fixed(f"{API}/{endpoint}/"))
        for endpoint in (
            "best-practices",
            "activities",
            "protected-areas",
            "organizations",
            "countries",
            "resources",
            "stories",
        )
    ),
    Page("api-best-practices-filtered", "list", api_filtered_practices),
    Page("api-vi-best-practices", "list", fixed(with_query(f"{API}/best-practices/", lang="vi"))),
    Page("api-best-practice", "detail", api_record("best-practices", best_practice_detail)),
    Page(
        "api-vi-best-practice-translated",
        "detail",
        api_record("best-practices", translated_practice_detail, lang="vi"),
    ),
    Page("api-activity", "detail", api_record("activities", activity_detail)),
    Page("api-protected-area", "detail", api_record("protected-areas", protected_area_detail)),
    Page(
        "api-protected-area-geometry",
        "detail",
        api_record("protected-areas", protected_area_detail, geometry=1),
    ),
    Page("pdf-best-practice", "pdf", pdf_of(best_practice_detail)),
    Page("pdf-protected-area", "pdf", pdf_of(protected_area_detail)),
    Page("pdf-country", "pdf", pdf_of(country_profile)),
    Page("pdf-member", "pdf", pdf_of(member_detail)),
    Page("pdf-vi-best-practice-translated", "pdf", pdf_of(translated_practice_detail)),
]

HEALTHZ = Page("healthz", "other", fixed("/healthz"))

"""/sitemap.xml: every public page, in English and Vietnamese, from Django's sitemaps framework.

Each section uses its model's public queryset, the same rule the pages use; members-only
items and drafts never appear.

Django's i18n sitemaps list every item of a section in every language to paginate it:
every row of the section is read for each of its pages, and twice for the index (to
count its pages, and to find its latest change) — seconds at scale (100,000 best
practices). Here a section is paginated lazily (`LanguageVersions`): the index counts
each section and asks for its latest change, a query each, and a page reads its own rows
and columns. The rendered sitemaps are cached until what they list changes (`cached_view`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Min, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Activity, WorkArea
from apap_portal.caching import DEFAULT_TIMEOUT, cached
from apap_portal.seo import site_url
from knowledge.models import BestPractice, Resource, Story
from members.models import Country, Organization, ProtectedArea


class LanguageVersions:
    """The (item, language) pairs of an i18n sitemap, in Django's order, read a slice at a time.

    Django's `Sitemap` builds this list whole to paginate it. Its length here is one
    COUNT, and a slice reads only the items it holds (LIMIT/OFFSET): a page of 5,000 URLs
    is 2,500 items in two languages.
    """

    def __init__(self, items: QuerySet | list, languages: list[str]) -> None:
        self.items = items
        self.languages = languages

    @cached_property
    def item_count(self) -> int:
        return self.items.count() if isinstance(self.items, QuerySet) else len(self.items)

    def __len__(self) -> int:
        return self.item_count * len(self.languages)

    def __getitem__(self, pairs: slice) -> list[tuple]:
        """The pairs of a slice with positive bounds: what `Paginator.page` asks for."""
        per_item = len(self.languages)
        first_item = pairs.start // per_item
        last_item = -(-pairs.stop // per_item)  # the item of the last pair, included
        versions = [
            (item, language)
            for item in self.items[first_item:last_item]
            for language in self.languages
        ]
        skipped = first_item * per_item
        return versions[pairs.start - skipped : pairs.stop - skipped]


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000

    def __init__(self) -> None:
        self.built_urls: dict[tuple, str] = {}

    @property
    def paginator(self) -> Paginator:
        # Every item in every language, as Django's `Sitemap.get_languages_for_item` says.
        languages = self.languages or [code for code, _name in settings.LANGUAGES]
        return Paginator(LanguageVersions(self.items(), languages), self.limit)

    def location(self, item) -> str:
        """The item's URL in the active language.

        Django asks for each URL several times (the entry, then each language as an
        alternate, then the default): it is built once per item and language.
        """
        key = (item, translation.get_language())
        if key not in self.built_urls:
            self.built_urls[key] = self.url_of(item)
        return self.built_urls[key]

    def url_of(self, item) -> str:
        return item.get_absolute_url()


class StaticPagesSitemap(LocalizedSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "about",
            "privacy",
            "accessibility",
            "members:organization_list",
            "members:protectedarea_list",
            "members:transboundary_list",
            "activities:activity_list",
            "knowledge:index",
            "knowledge:bestpractice_list",
            "knowledge:resource_list",
            "knowledge:story_list",
            "countries:list",
        ]

    def url_of(self, item) -> str:
        return reverse(item)


class ModelSitemap(LocalizedSitemap):
    """A section of records: their slug (for the URL) and their last change, nothing more."""

    def items(self) -> QuerySet:
        return self.records().only("slug", "updated_at").order_by("pk")

    def records(self) -> QuerySet:
        raise NotImplementedError

    def lastmod(self, item) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        """The section's last change, for the index: asked of the database, not of every row."""
        return self.records().order_by("-updated_at").values_list("updated_at", flat=True).first()


class WorkAreaSitemap(LocalizedSitemap):
    def items(self):
        return WorkArea.objects.all()


class OrganizationSitemap(ModelSitemap):
    def records(self):
        return Organization.objects.members()


class ProtectedAreaSitemap(ModelSitemap):
    def records(self):
        return ProtectedArea.objects.public()


class CountrySitemap(LocalizedSitemap):
    """The profiles of the countries of Asia (every country has one, its figures public)."""

    def items(self) -> QuerySet:
        return Country.objects.of_asia().only("iso3").order_by("pk")


class ActivitySitemap(ModelSitemap):
    def records(self):
        return Activity.objects.public()


class BestPracticeSitemap(ModelSitemap):
    def records(self):
        return BestPractice.objects.public()


class ResourceSitemap(ModelSitemap):
    def records(self):
        return Resource.objects.public()


class StorySitemap(ModelSitemap):
    def records(self):
        return Story.objects.public()


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "work-areas": WorkAreaSitemap,
    "members": OrganizationSitemap,
    "protected-areas": ProtectedAreaSitemap,
    "countries": CountrySitemap,
    "activities": ActivitySitemap,
    "best-practices": BestPracticeSitemap,
    "resources": ResourceSitemap,
    "stories": StorySitemap,
}


# Caching


@dataclass(frozen=True)
class RenderedSitemap:
    status: int
    content: bytes
    headers: dict[str, str]


def cached_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`view` (a sitemap view), its XML cached until what it lists changes.

    A sitemap lists public items only, whoever asks: one copy serves every visitor. Its
    key holds what it depends on besides the content: the site as the request reached it
    (the URLs are absolute) and the page asked for. A page number that is not a plain
    number is Django's to refuse (404), never cached.
    """

    @wraps(view)
    def cached_sitemap_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        page = request.GET.get("p", "1")
        if not re.fullmatch(r"[0-9]{1,6}", page):
            return view(request, *args, **kwargs)

        def render() -> RenderedSitemap:
            response = view(request, *args, **kwargs)
            response.render()
            return RenderedSitemap(response.status_code, response.content, dict(response.headers))

        key = ("sitemap", site_url(request), request.path, page)
        sitemap = cached(key, render, timeout=lambda: seconds_until_next_story(DEFAULT_TIMEOUT))
        return HttpResponse(sitemap.content, status=sitemap.status, headers=sitemap.headers)

    return cached_sitemap_view


def seconds_until_next_story(default: int) -> int:
    """How long the sitemaps stay right, at most `default` seconds.

    A scheduled story comes out when its time comes, with no write to tell the cache:
    the cached sitemaps (the index counts the stories) must expire then. Stories come out
    at the start of the minute of their publication time (`StoryQuerySet.published`).
    """
    scheduled = Story.objects.filter(published_at__isnull=False).exclude(
        pk__in=Story.objects.published()
    )
    next_out = scheduled.aggregate(next_out=Min("published_at"))["next_out"]
    if next_out is None:
        return default
    wait = next_out.replace(second=0, microsecond=0) - timezone.now()
    return max(1, min(default, int(wait.total_seconds())))


index = cached_view(sitemap_views.index)
section = cached_view(sitemap_views.sitemap)

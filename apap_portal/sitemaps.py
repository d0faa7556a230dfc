"""/sitemap.xml: every public page, in each language it can be read in, from Django's sitemaps.

Each section uses its model's public queryset, the same rule the pages use; members-only
items and drafts never appear. A page of the site (the home page, a list) is listed in
every site language; a record only in the languages it can be read in: its original's
and those of its published translations (`get_languages_for_item`,
`apap_portal.translations.reading.languages_of`), and names only those as alternates.

Django's i18n sitemaps list every item of a section in every language to paginate it:
every row of the section is read for each of its pages, and twice for the index (to
count its pages, and to find its latest change) — seconds at scale (100,000 best
practices). Here a section is paginated lazily (`LanguageVersions`): the index counts
each section and asks for its latest change, a query each, and a page reads its own rows
and columns, each row with the languages of its translations. A page holds the slots of
its items in every language, so a page may list fewer URLs than the limit: the pages are
found by one count, whatever the translations. The rendered sitemaps are cached until
what they list changes (`cached_view`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps

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
from apap_portal.translations.models import Translatable
from apap_portal.translations.reading import languages_of
from calls.models import Call
from knowledge.models import BestPractice, Resource, Story
from members.models import Country, Organization, ProtectedArea


class LanguageVersions:
    """The (item, language) pairs of an i18n sitemap, in Django's order, read a slice at a time.

    Django's `Sitemap` builds this list whole to paginate it. Its length here is one
    COUNT, and a slice reads only the items it holds (LIMIT/OFFSET): a page of 5,000 URLs
    is 2,500 items in two languages. Every item holds a slot in each of `languages`; a
    slice keeps the pairs of the languages the item exists in (`exists_in`), so that
    the count does not depend on them.
    """

    def __init__(
        self,
        items: QuerySet | list,
        languages: list[str],
        exists_in: Callable[[object], list[str] | set[str]] | None = None,
    ) -> None:
        self.items = items
        self.languages = languages
        self.exists_in = exists_in

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
        versions = versions[pairs.start - skipped : pairs.stop - skipped]
        if self.exists_in is None:
            return versions
        return [(item, language) for item, language in versions if language in self.exists_in(item)]


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000

    def __init__(self) -> None:
        self.built_urls: dict[tuple, str] = {}

    @property
    def paginator(self) -> Paginator:
        # A slot for every item in every language; each item's URLs in the languages
        # `get_languages_for_item` says.
        languages = self._languages()
        versions = LanguageVersions(self.items(), languages, self.get_languages_for_item)
        return Paginator(versions, self.limit)

    def get_languages_for_item(self, item) -> list[str]:
        """The languages the item can be read in: every one for a page of the site; for a
        record, its original's and its published translations' (read with the items)."""
        languages = self._languages()
        if not isinstance(item, Translatable):
            return languages
        exists = languages_of(item)
        return [language for language in languages if language in exists]

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
            "opendata:index",
            "calls:call_list",
        ]

    def url_of(self, item) -> str:
        return reverse(item)


class ModelSitemap(LocalizedSitemap):
    """A section of records: their slug (for the URL) and their last change, nothing more."""

    def items(self) -> QuerySet:
        records = self.records()
        model = records.model
        if not issubclass(model, Translatable):
            return records.only("slug", "updated_at").order_by("pk")
        # The record's language and its translations' languages, in the same query.
        fields = ["slug", "updated_at"]
        if any(field.name == "language" for field in model._meta.concrete_fields):
            fields.append("language")
        return records.only(*fields).with_languages().order_by("pk")

    def records(self) -> QuerySet:
        raise NotImplementedError

    def lastmod(self, item) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        """The section's last change, for the index: asked of the database, not of every row."""
        return self.records().order_by("-updated_at").values_list("updated_at", flat=True).first()


class WorkAreaSitemap(LocalizedSitemap):
    def items(self):
        return WorkArea.objects.with_languages()


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


class CallSitemap(ModelSitemap):
    def records(self):
        return Call.objects.public()


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
    "calls": CallSitemap,
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

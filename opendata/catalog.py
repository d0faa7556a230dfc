"""The portal's datasets and the forms each can be had in: one list, two readers.

`/data/` shows it to people; `/data/catalog.jsonld` describes it to programs as a DCAT
catalogue (W3C's Data Catalog Vocabulary, in JSON-LD), which data portals and search
engines harvest. Each `Dataset` names its distributions by URL name, so a distribution is
listed only by the code that serves it, and a test requests every one of them.

A dataset's update date is the newest change among the rows anyone may see (the
members-only rows of a dataset do not date it), cached until its tables change.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from apap_portal.caching import cached
from countries.models import CountryStatistics
from knowledge.models import BestPractice, Resource, Story
from members.models import Organization, ProtectedArea, TransboundaryArea


@dataclass(frozen=True)
class Distribution:
    """One form of a dataset: a file to download, or a service to query."""

    format: str  # as people name it: "CSV"
    media_type: str  # IANA: "text/csv"
    url_name: str
    query: str = ""  # added to the URL: "?format=csv"
    download: bool = True  # a file (dcat:downloadURL), else an access point (dcat:accessURL)

    @property
    def path(self) -> str:
        return reverse(self.url_name) + self.query

    @property
    def key(self) -> str:
        """Its name in an address: "csv", "json-api"."""
        return slugify(self.format)


@dataclass(frozen=True)
class Dataset:
    key: str  # its identifier, stable: "best-practices"
    title: Promise
    description: Promise
    landing_url_name: str  # the page that shows it
    distributions: tuple[Distribution, ...]
    updated: Callable[[], QuerySet] | None = None  # its public rows, dated by `updated_field`
    updated_field: str = "updated_at"
    keywords: tuple[Promise, ...] = ()
    wdpa: bool = False  # derived from the WDPA: its terms, not the portal's licence

    @property
    def licence(self) -> str:
        return settings.WDPA_TERMS_URL if self.wdpa else settings.OPEN_DATA_LICENCE_URL

    @property
    def licence_name(self) -> str:
        return "" if self.wdpa else settings.OPEN_DATA_LICENCE_NAME

    @property
    def landing_path(self) -> str:
        return reverse(self.landing_url_name)


def _listed(model) -> Callable[[], QuerySet]:
    """What anyone may see of a model (its `listed_for` an anonymous visitor)."""
    return partial(model.objects.listed_for, AnonymousUser())


def _csv(list_url_name: str) -> Distribution:
    """A list's rows as CSV: the list's own URL with `?format=csv` (apap_portal.downloads)."""
    return Distribution("CSV", "text/csv", list_url_name, "?format=csv")


def _api(basename: str) -> Distribution:
    """The dataset through the API: its list endpoint, paged and filtered (the `api` app)."""
    return Distribution("JSON (API)", "application/json", f"api:{basename}-list", download=False)


RSS = "application/rss+xml"
ATOM = "application/atom+xml"
GEOJSON = "application/geo+json"

DATASETS = (
    Dataset(
        "members",
        _("Members and partners"),
        _(
            "The government agencies that are members of the partnership, with their "
            "country, category and the year they joined, and its partners."
        ),
        "members:organization_list",
        (_csv("members:organization_list"), _api("organization")),
        updated=_listed(Organization),
        keywords=(_("protected area agencies"), _("Asia")),
    ),
    Dataset(
        "protected-areas",
        _("Protected areas"),
        _(
            "Asia's protected areas and OECMs as the World Database on Protected Areas "
            "describes them (WDPA ID, IUCN category, governance, realm, area), with the "
            "partnership's own records of them."
        ),
        "members:protectedarea_list",
        (
            _csv("members:protectedarea_list"),
            Distribution("GeoJSON", GEOJSON, "members:protectedarea_list", "?format=geojson"),
            _api("protectedarea"),
        ),
        updated=_listed(ProtectedArea),
        keywords=(_("protected areas"), _("OECMs"), _("WDPA")),
        wdpa=True,
    ),
    Dataset(
        "transboundary-areas",
        _("Transboundary protected areas"),
        _("Protected areas in two or more countries managed in cooperation."),
        "members:transboundary_list",
        (_api("transboundaryarea"),),
        updated=TransboundaryArea.objects.all,
        keywords=(_("transboundary cooperation"),),
    ),
    Dataset(
        "countries",
        _("Countries and GBF Target 3"),
        _(
            "The countries of Asia with the share of their land and sea under protected "
            "areas and OECMs: their progress toward GBF Target 3 (30 % by 2030)."
        ),
        "countries:list",
        (_csv("countries:list"), _api("country")),
        updated=CountryStatistics.objects.all,
        updated_field="imported_at",
        keywords=(_("30x30"), _("GBF Target 3")),
        wdpa=True,
    ),
    Dataset(
        "activities",
        _("Activities"),
        _(
            "Trainings, workshops, forums, exchange visits and the partnership's other "
            "activities since 2010, with their dates, places, organizers and work area."
        ),
        "activities:activity_list",
        (
            _csv("activities:activity_list"),
            Distribution("iCalendar", "text/calendar", "activities:calendar"),
            _api("activity"),
        ),
        updated=_listed(Activity),
        keywords=(_("capacity building"), _("events")),
    ),
    Dataset(
        "best-practices",
        _("Best practices"),
        _(
            "Solutions that worked in Asia's protected areas, in building blocks others "
            "can adapt, tagged by theme, ecosystem, challenge and GBF target."
        ),
        "knowledge:bestpractice_list",
        (
            _csv("knowledge:bestpractice_list"),
            Distribution("RSS", RSS, "feed_best_practices"),
            Distribution("Atom", ATOM, "feed_best_practices_atom"),
            _api("bestpractice"),
        ),
        updated=_listed(BestPractice),
        keywords=(_("best practices"), _("protected area management")),
    ),
    Dataset(
        "resources",
        _("Resources"),
        _("Guidelines, studies, policy briefs, toolkits and training material."),
        "knowledge:resource_list",
        (_csv("knowledge:resource_list"), _api("resource")),
        updated=_listed(Resource),
        keywords=(_("guidelines"), _("publications")),
    ),
    Dataset(
        "stories",
        _("Stories"),
        _("News, features and advocacy statements of the partnership."),
        "knowledge:story_list",
        (
            _csv("knowledge:story_list"),
            Distribution("RSS", RSS, "feed_stories"),
            Distribution("Atom", ATOM, "feed_stories_atom"),
            _api("story"),
        ),
        updated=_listed(Story),
        keywords=(_("news"),),
    ),
    Dataset(
        "work-areas",
        _("Work areas and focal activities"),
        _("The partnership's three areas of work and the focal activities of each."),
        "about",
        (_api("workarea"),),
        updated=None,
        keywords=(_("work areas"),),
    ),
    Dataset(
        "gbf-targets",
        _("Contribution to the GBF targets"),
        _(
            "How many activities, best practices and resources of the partnership serve "
            "each of the 23 targets of the Kunming-Montreal Global Biodiversity Framework."
        ),
        "in_numbers:index",
        (Distribution("CSV", "text/csv", "in_numbers:index", "?format=csv"), _api("gbftarget")),
        updated=None,
        keywords=(_("Kunming-Montreal Global Biodiversity Framework"),),
    ),
)


def last_updates() -> dict[str, datetime.datetime | None]:
    """Each dataset's newest public change, by key: one aggregate a dataset, cached."""

    def compute() -> dict[str, datetime.datetime | None]:
        dates = {}
        for dataset in DATASETS:
            if dataset.updated is None:
                dates[dataset.key] = None
                continue
            newest = dataset.updated().aggregate(newest=Max(dataset.updated_field))
            dates[dataset.key] = newest["newest"]
        return dates

    return cached(("open-data-updates",), compute)

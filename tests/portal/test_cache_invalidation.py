"""No cached surface goes stale: for every model of the content apps, a save, a delete and
a many-to-many change leave each cached page, feed, map and figure as a fresh rendering
would show it.

The models come from the app registry, not from a list: a model added to a content app is
tested the day it lands (and fails until `CHANGES` knows how to change it). For each one,
a small portal where every record is shown somewhere is rendered once (which fills the
page cache and every cached value beneath it), the record is changed, and each surface is
asked again twice: as the cache serves it, then rendered from nothing with the cache
emptied. The two must be the same. A surface whose tables the change did not touch must
still be served from the cache (an edited activity keeps the library cached).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import models
from django.db.models import ProtectedError
from django.test import Client

from activities.models import (
    Activity,
    ActivityDocument,
    ActivityOrganization,
    FocalActivity,
    FundingProposal,
    WorkArea,
)
from apap_portal.caching.tables import generations, known_tables
from apap_portal.translations.models import Translatable
from countries.models import CountryStatistics
from knowledge.models import (
    BestPractice,
    BestPracticeTranslation,
    BuildingBlock,
    BuildingBlockTranslation,
    Challenge,
    Ecosystem,
    GbfTarget,
    HomeHero,
    Resource,
    Story,
    Theme,
)
from members.models import (
    AccountRequest,
    Country,
    FocalPoint,
    ManagementEffectivenessEvaluation,
    Membership,
    Organization,
    ProfileChange,
    ProposedFocalPoint,
    ProtectedArea,
    TransboundaryArea,
    User,
    WdpaImport,
)
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    CountryStatisticsFactory,
    FocalPointFactory,
    FundingProposalFactory,
    ManagementEffectivenessEvaluationFactory,
    MemberOrganizationFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    TransboundaryAreaFactory,
    UserFactory,
    country,
    theme,
    translation,
    work_area,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

CONTENT_APPS = ("members", "activities", "knowledge", "countries")


def content_models() -> list[type[models.Model]]:
    """Every model of the content apps but the link tables of many-to-many relations."""
    return [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.auto_created
    ]


@dataclass
class Portal:
    """One of each record, linked so that every one is shown on some public page."""

    records: dict[type[models.Model], models.Model]

    def __getitem__(self, model):
        return self.records[model]


@pytest.fixture
def portal() -> Portal:
    vietnam = country("VNM")
    agency = MemberOrganizationFactory(name="Nature and Biodiversity Conservation Agency")
    focal_point = FocalPointFactory(membership=agency.membership, name="Nguyen Van A")
    member = UserFactory(username="minh", organization=agency)
    area = ProtectedAreaFactory(name="Cuc Phuong National Park", country=vietnam)
    neighbour = ProtectedAreaFactory(name="Hin Nam No National Park", country=country("LAO"))
    transboundary = TransboundaryAreaFactory(
        name="Phong Nha and Hin Nam No", protected_areas=[area, neighbour]
    )
    area.management_authority = agency
    area.green_list_status = "green-listed"
    area.green_listed_on = datetime.date(2024, 11, 1)
    area.save()
    evaluation = ManagementEffectivenessEvaluationFactory(protected_area=area)
    target = GbfTarget.objects.get(number=3)
    area_of_work = work_area("transboundary-cooperation")
    focal_activity = area_of_work.focal_activities.first()
    activity = ActivityFactory(
        title="Transboundary patrol workshop",
        work_area=area_of_work,
        start_date=datetime.date(2026, 6, 1),
        status="confirmed",
    )
    activity.focal_activities.add(focal_activity)
    activity.participating_countries.add(vietnam)
    activity.gbf_targets.add(target)
    role = ActivityOrganizationFactory(activity=activity, organization=agency)
    document = ActivityDocument.objects.create(
        activity=activity, title="Workshop report", url="https://example.org/report.pdf"
    )
    proposal = FundingProposalFactory(lead_organization=agency)
    proposal.related_activities.add(activity)
    practice = BestPracticeFactory(
        title="Joint patrols across the border", protected_area=area, organization=agency
    )
    practice.countries.add(vietnam)
    practice.themes.add(theme("sustainable-tourism"))
    practice.ecosystems.add(Ecosystem.objects.first())
    practice.challenges.add(Challenge.objects.first())
    practice.gbf_targets.add(target)
    block = BuildingBlockFactory(best_practice=practice, title="Patrol routes agreed")
    resource = ResourceFactory(title="Transboundary patrol guidelines", work_area=area_of_work)
    resource.themes.add(theme("sustainable-tourism"))
    resource.gbf_targets.add(target)
    story = StoryFactory(
        title="Patrols meet at the border", work_area=area_of_work, related_activity=activity
    )
    imported = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    wdpa_import = WdpaImport.objects.create(
        file_name="WDPA_Jan2026_Public_shp.zip", started_at=imported, finished_at=imported
    )
    statistics = CountryStatisticsFactory(country=vietnam)
    hero = HomeHero.objects.create(
        title="Valley",
        image="home/2026/valley.jpg",
        image_alt="A forested valley at sunrise",
        image_width=2400,
        image_height=1000,
    )
    request = AccountRequest.objects.create(
        name="Lan", email="lan@agency.example", organization=agency, role="Ranger"
    )
    profile_change = ProfileChange.objects.create(
        organization=agency, description="A proposed description.", submitted_by=member
    )
    proposed_focal_point = ProposedFocalPoint.objects.create(
        profile_change=profile_change, name="Tran Thi B", email="b@agency.example"
    )
    records = {
        Country: vietnam,
        AccountRequest: request,
        ProfileChange: profile_change,
        ProposedFocalPoint: proposed_focal_point,
        Organization: agency,
        Membership: agency.membership,
        FocalPoint: focal_point,
        User: member,
        ProtectedArea: area,
        ManagementEffectivenessEvaluation: evaluation,
        TransboundaryArea: transboundary,
        WorkArea: area_of_work,
        FocalActivity: focal_activity,
        Activity: activity,
        ActivityOrganization: role,
        ActivityDocument: document,
        FundingProposal: proposal,
        GbfTarget: target,
        Theme: theme("sustainable-tourism"),
        Ecosystem: Ecosystem.objects.first(),
        Challenge: Challenge.objects.first(),
        BestPractice: practice,
        BuildingBlock: block,
        Resource: resource,
        Story: story,
        WdpaImport: wdpa_import,
        CountryStatistics: statistics,
        HomeHero: hero,
    }
    # Every translatable record has a published Vietnamese translation, shown on /vi/.
    for model, record in list(records.items()):
        if issubclass(model, Translatable) and model is not BuildingBlock:
            made = translation(record)
            records[type(made)] = made
    records[BuildingBlockTranslation] = BuildingBlockTranslation.objects.create(
        practice_translation=records[BestPracticeTranslation],
        original=block,
        title="Thống nhất tuyến tuần tra",
        description="Hai bên thống nhất tuyến tuần tra.",
    )
    return Portal(records)


def surfaces(portal: Portal) -> list[str]:
    """Every cached surface: pages (the page cache) and the values cached beneath them."""
    sitemaps = ["members", "protected-areas", "countries", "activities", "best-practices"]
    sitemaps += ["stories"]
    return [
        "/",
        "/about/",
        "/members/",
        portal[Organization].get_absolute_url(),
        "/protected-areas/",
        "/protected-areas/?transboundary=yes",
        "/protected-areas/?country=THA",  # found by any of its countries
        portal[ProtectedArea].get_absolute_url(),
        "/protected-areas/map.geojson",
        "/protected-areas/map.geojson?transboundary=yes",
        "/protected-areas/?evaluated=yes&green_list=listed",
        "/protected-areas/map.geojson?evaluated=yes&green_list=listed",
        "/transboundary/",
        portal[WorkArea].get_absolute_url(),
        "/activities/",
        "/activities/?q=patrol",
        portal[Activity].get_absolute_url(),
        "/activities/calendar.ics",
        "/knowledge/",
        "/knowledge/best-practices/",
        "/knowledge/best-practices/?q=patrol",
        portal[BestPractice].get_absolute_url(),
        "/knowledge/resources/",
        portal[Resource].get_absolute_url(),
        "/stories/",
        portal[Story].get_absolute_url(),
        "/in-numbers/",
        "/in-numbers/?format=csv",
        "/countries/",
        "/countries/?sort=land",
        portal[Country].get_absolute_url(),
        "/search/?q=patrol",
        "/feeds/stories/",
        "/feeds/best-practices/",
        "/sitemap.xml",
        *(f"/sitemap-{section}.xml" for section in sitemaps),
        # The same surfaces in Vietnamese, where translations are shown.
        "/vi/",
        "/vi/about/",
        portal[WorkArea].get_absolute_url().replace("/", "/vi/", 1),
        "/vi/activities/",
        portal[Activity].get_absolute_url().replace("/", "/vi/", 1),
        "/vi/knowledge/best-practices/",
        portal[BestPractice].get_absolute_url().replace("/", "/vi/", 1),
        "/vi/knowledge/resources/",
        "/vi/stories/",
        portal[Story].get_absolute_url().replace("/", "/vi/", 1),
        portal[Organization].get_absolute_url().replace("/", "/vi/", 1),
        portal[ProtectedArea].get_absolute_url().replace("/", "/vi/", 1),
        "/vi/in-numbers/",
        "/vi/search/?q=patrol",
    ]


# How to change a record so that its pages would show the change: the first text field
# that is shown, set to something new. `None` marks a model no public page shows.
SHOWN_FIELD = {
    "members.Country": "name",
    "members.User": "first_name",
    "members.Organization": "name",
    "members.Membership": "category",
    "members.FocalPoint": "name",
    "members.ProtectedArea": "name",
    "members.ManagementEffectivenessEvaluation": "method",
    "members.TransboundaryArea": "name",
    "members.WdpaImport": "file_name",  # the admin alone shows it
    # Members' requests and proposals: the admin and their authors alone see them.
    "members.AccountRequest": "name",
    "members.ProfileChange": "description",
    "members.ProposedFocalPoint": "name",
    "activities.WorkArea": "name",
    "activities.FocalActivity": "description",
    "activities.Activity": "title",
    "activities.ActivityOrganization": "role",
    "activities.ActivityDocument": "title",
    "activities.FundingProposal": "title",
    "knowledge.GbfTarget": "short_title",
    "knowledge.Theme": "name",
    "knowledge.Ecosystem": "name",
    "knowledge.Challenge": "name",
    "knowledge.BestPractice": "title",
    "knowledge.BuildingBlock": "title",
    "knowledge.Resource": "title",
    "knowledge.Story": "title",
    "knowledge.HomeHero": "image_alt",
    "countries.CountryStatistics": "national_report_url",
    # Translations: shown on the /vi/ surfaces.
    "members.OrganizationTranslation": "description",
    "members.ProtectedAreaTranslation": "description",
    "activities.WorkAreaTranslation": "name",
    "activities.FocalActivityTranslation": "description",
    "activities.ActivityTranslation": "title",
    "knowledge.GbfTargetTranslation": "short_title",
    "knowledge.ThemeTranslation": "name",
    "knowledge.EcosystemTranslation": "name",
    "knowledge.ChallengeTranslation": "name",
    "knowledge.BestPracticeTranslation": "title",
    "knowledge.BuildingBlockTranslation": "title",
    "knowledge.ResourceTranslation": "title",
    "knowledge.StoryTranslation": "title",
}

NEW_VALUES = {"category": "associate", "role": "host", "method": "imet"}


def save(record: models.Model) -> None:
    field = SHOWN_FIELD[record._meta.label]
    setattr(record, field, NEW_VALUES.get(field, f"Changed {field} of {record.pk}"))
    record.save()


def delete(record: models.Model) -> None:
    """Delete the record, or, where others protect it (a country, a work area), a new one."""
    try:
        record.delete()
    except ProtectedError:
        record.pk = None
        record._state.adding = True
        for field in record._meta.fields:
            if field.unique and isinstance(field, models.CharField):
                value = getattr(record, field.attname)
                setattr(record, field.attname, f"X{value}"[: field.max_length])
        if hasattr(record, "number"):
            record.number = 99
        record.save()
        record.delete()


def related_object(field: models.ManyToManyField, portal: Portal) -> models.Model:
    """Something new to link through a many-to-many field."""
    target = field.related_model
    extra = {
        Country: lambda: country("THA"),
        Group: lambda: Group.objects.first(),
        Permission: lambda: Permission.objects.first(),
        FocalActivity: lambda: FocalActivity.objects.exclude(activities__isnull=False).first(),
        GbfTarget: lambda: GbfTarget.objects.get(number=22),
        Theme: lambda: Theme.objects.exclude(slug="sustainable-tourism").first(),
        Ecosystem: lambda: Ecosystem.objects.last(),
        Challenge: lambda: Challenge.objects.last(),
        ProtectedArea: lambda: ProtectedAreaFactory(name="Xe Pian National Park"),
        Organization: lambda: OrganizationFactory(name="Wildlife Institute"),
        Activity: lambda: ActivityFactory(title="Another patrol workshop"),
    }
    return extra[target]()


@dataclass(frozen=True)
class Change:
    name: str
    apply: Callable[[Portal], None]


def changes_of(model: type[models.Model]) -> list[Change]:
    """A save, a delete, and a link added and cleared through each many-to-many field."""
    found = [
        Change("save", lambda portal: save(portal[model])),
    ]
    for field in model._meta.local_many_to_many:

        def link(portal, field=field):
            relation = getattr(portal[model], field.name)
            new = related_object(field, portal)
            if field.remote_field.through._meta.auto_created:
                relation.add(new)
            else:
                relation.add(new, through_defaults={"role": "partner"})

        def unlink(portal, field=field):
            getattr(portal[model], field.name).clear()

        found += [Change(f"{field.name} added", link), Change(f"{field.name} cleared", unlink)]
    return [*found, Change("delete", lambda portal: delete(portal[model]))]


def test_every_content_model_knows_how_to_change():
    """A new model of a content app must say which of its fields its pages show."""
    assert {model._meta.label for model in content_models()} == set(SHOWN_FIELD)


# An empty feed says it was built now: the one part of a surface that is not its content.
BUILT_NOW = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>")


def responses(client: Client, urls: list[str]) -> dict[str, tuple[int, bytes]]:
    return {
        url: (response.status_code, BUILT_NOW.sub(b"", response.content))
        for url, response in zip(urls, map(client.get, urls), strict=True)
    }


@pytest.mark.parametrize("model", content_models(), ids=lambda model: model._meta.label)
def test_no_cached_surface_is_stale_after_a_change(model, portal, settings):
    """Save the record, link and unlink what it links to, delete it: after each change,
    every surface the cache serves is what a rendering from nothing shows."""
    settings.PAGE_CACHE_SECONDS = 60
    client = Client()
    urls = surfaces(portal)
    warm = responses(client, urls)  # fills the page cache and every value beneath it
    assert {url: status for url, (status, _body) in warm.items()} == dict.fromkeys(urls, 200)
    for change in changes_of(model):
        before = generations(known_tables())
        change.apply(portal)
        assert generations(known_tables()) != before, f"{change.name}: no write seen"
        served = responses(client, urls)
        cache.clear()
        fresh = responses(client, urls)  # and the cache is full again for the next change
        stale = [url for url in urls if served[url] != fresh[url]]
        assert stale == [], f"stale after {change.name}"

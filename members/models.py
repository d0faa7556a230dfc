"""Members of the partnership, their agencies and the protected areas they manage."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

import reversion
from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.contrib.gis.db import models as gis_models
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON, PointOnSurface
from django.contrib.gis.geos import Polygon
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Lookup,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Floor, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apap_portal import pictures
from apap_portal.dates import date_label, date_precision_field, first_day
from apap_portal.editing.locking import VersionedModel
from apap_portal.fulltext.search import search_vector_field
from apap_portal.translations.models import (
    Translatable,
    Translation,
    translation_of,
    translation_source_field,
)
from apap_portal.translations.queries import TranslatableQuerySet
from apap_portal.uploads import PictureField


class Subregion(models.TextChoices):
    EAST_ASIA = "east", _("East Asia")
    SOUTH_EAST_ASIA = "south-east", _("South-East Asia")
    SOUTH_ASIA = "south", _("South Asia")
    CENTRAL_ASIA = "central", _("Central Asia")
    WEST_ASIA = "west", _("West Asia")
    OUTSIDE_ASIA = "outside", _("Outside Asia")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


def is_member_or_staff(user) -> bool:
    """Whether a user may see members-only content: staff, or a member agency's user."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.organization_id is not None


# Who sees what: members and staff see the same published content (members-only items
# included); everyone else sees the public content.
type Audience = Literal["public", "members"]


def audience_of(user) -> Audience:
    """The visibility class of a visitor, which values cached per audience are keyed by."""
    return "members" if is_member_or_staff(user) else "public"


def members_may_see(user, via: str = "") -> Q:
    """The condition on `visibility` for a user: everything for members and staff.

    `via` names a relation, to put the condition on the related record (`protected_area`).
    """
    if is_member_or_staff(user):
        return Q()
    return Q(**{f"{via}__visibility" if via else "visibility": Visibility.PUBLIC})


def related_visibility(model: type[models.Model], path: str, user) -> Q:
    """The condition that each record `path` passes through is one `user` may see.

    A public best practice may tell of a members-only protected area: wherever a list
    shows, counts or filters by `protected_area__country`, the area must be one the
    visitor may see, or the country would give it away. Every related model whose
    queryset says who sees it (`seen_through`) adds its own rule.
    """
    condition = Q()
    relations: list[str] = []
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if not field.is_relation:
            break
        relations.append(name)
        model = field.related_model
        seen_through = getattr(model._default_manager, "seen_through", None)
        if seen_through is not None:
            condition &= seen_through("__".join(relations), user)
    return condition


def if_visible(expression, condition: Q):
    """`expression` where `condition` holds (a related record the visitor may see), else NULL."""
    if not condition:
        return expression
    return Case(When(condition, then=expression), default=Value(None))


class ListedQuerySet(models.QuerySet):
    """What a visitor is shown of a kind of record, decided in one place per model.

    Each model's queryset says who may open a record (`visible_to(user)`: its detail
    page) and which records are out (`published()`); what lists, counts, search, feeds,
    maps and the sitemap show is the two together (`listed_for(user)`), and what anyone
    is shown is `public()`: the lists of an anonymous visitor.
    """

    def visible_to(self, user) -> ListedQuerySet:
        raise NotImplementedError

    def published(self) -> ListedQuerySet:
        """The records that are out; every record is, unless its kind has drafts."""
        return self.all()

    def listed_for(self, user) -> ListedQuerySet:
        """What lists, counts, search and feeds show `user`."""
        return self.visible_to(user).published()

    def public(self) -> ListedQuerySet:
        """What anyone is shown, signed in or not: the lists of an anonymous visitor."""
        return self.listed_for(AnonymousUser())

    def members_only(self) -> ListedQuerySet:
        """Records that are out for members only: an anonymous visitor is asked to sign in."""
        return self.published().filter(visibility=Visibility.MEMBERS)


class CountryQuerySet(models.QuerySet):
    def of_asia(self) -> CountryQuerySet:
        """The countries of Asia (the table also holds a few elsewhere, where activities
        took place: Australia for the partnership's launch)."""
        return self.exclude(subregion=Subregion.OUTSIDE_ASIA)


@reversion.register()
class Country(models.Model):
    iso3 = models.CharField(_("ISO3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    subregion = models.CharField(_("subregion"), max_length=16, choices=Subregion.choices)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The country's profile (the countries app's page), its code in lower case."""
        return reverse("countries:detail", kwargs={"iso3": self.iso3.lower()})


class User(AbstractUser):
    """A person who signs in: secretariat staff, or a member agency's staff."""

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The agency this person works for; it makes them a member."),
    )

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_member(self) -> bool:
        return self.organization_id is not None


class OrganizationQuerySet(TranslatableQuerySet):
    def members(self) -> OrganizationQuerySet:
        """Organizations that hold (or held) an APAP membership."""
        return self.filter(membership__isnull=False)

    def visible_to(self, user) -> OrganizationQuerySet:
        """Organizations are public (their logos too); focal points' emails are not here."""
        return self.all()

    def members_only(self) -> OrganizationQuerySet:
        return self.none()

    def for_directory(self) -> OrganizationQuerySet:
        """A queryset optimized for the member directory: one query per page.

        The logos' descriptions (alt) read in the reader's language where translated.
        """
        return self.members().select_related("country", "membership").translated()

    def listed_for(self, user) -> OrganizationQuerySet:
        """What search shows `user`: every organization, members and partners alike, has a
        public page (the focal points' emails on it are for members only)."""
        return self.all()

    def for_detail(self, user) -> OrganizationQuerySet:
        """The profile: its description in the reader's language where translated."""
        return (
            self.select_related("country", "membership")
            .prefetch_related(
                "membership__focal_points",
                Prefetch(
                    "managed_areas",
                    queryset=ProtectedArea.objects.listed_for(user).select_related("country"),
                ),
            )
            .translated()
        )


@reversion.register(follow=["membership"], exclude=["search_vector", "translation_source"])
class Organization(Translatable, VersionedModel):
    class Kind(models.TextChoices):
        NATIONAL_AGENCY = "national", _("National agency")
        SUBNATIONAL_AGENCY = "subnational", _("Sub-national agency")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
        NGO = "ngo", _("Non-governmental organization")
        ACADEMIC = "academic", _("Academic or training institution")
        DONOR = "donor", _("Donor")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255, unique=True)
    local_name = models.CharField(_("name in the local language"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("Leave blank for regional and international bodies."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    logo = PictureField(
        _("logo"),
        upload_to="logos/%Y/",
        blank=True,
        help_text=_("JPEG, PNG or WebP, at most 5 MB; PNG keeps a transparent background."),
        widths=pictures.LOGO_WIDTHS,
    )
    logo_alt = pictures.alt_field(_("logo description"))
    logo_width = pictures.dimension_field(_("logo width"))
    logo_height = pictures.dimension_field(_("logo height"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = search_vector_field(
        ("name", "A"), ("acronym", "A"), ("local_name", "A"), ("description", "C")
    )
    translated_fields = ("description", "logo_alt")
    translation_source = translation_source_field(*translated_fields)
    # Where a search result's snippet comes from, in this order (apap_portal.fulltext.snippets).
    search_snippet_fields = ("description", "local_name")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            GinIndex(fields=["search_vector"], name="organization_search"),
            GinIndex(OpClass("name", name="gin_trgm_ops"), name="organization_name_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organization_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        pictures.require_alt(self, "logo")

    @property
    def cover(self) -> pictures.Picture:
        """The logo, or a panel with the acronym (or the name's initials)."""
        short = self.acronym if 0 < len(self.acronym) <= 6 else ""
        label = short or pictures.initials(self.name)
        return pictures.picture_of(self, "logo", widths=pictures.LOGO_WIDTHS, label=label)


@reversion.register(follow=["focal_points"])
class Membership(models.Model):
    class Category(models.TextChoices):
        COUNTRY = "country", _("Country Member")
        ASSOCIATE = "associate", _("Associate Member")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    # As activities keep their dates (apap_portal.dates): "January 2018" stays a month.
    joined_on_precision = date_precision_field(
        _("joining date known to"),
        help_text=_(
            "When only the month or the year of joining is known, choose it here: the date "
            "is kept as the first day of that month or year, and shown as it is known."
        ),
    )
    letter_of_intent_on = models.DateField(_("letter of intent dated"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Visible to staff only."))

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_category_display()}"

    def clean(self) -> None:
        # A date known to the month is the month's first day, whichever day was typed.
        if self.joined_on:
            self.joined_on = first_day(self.joined_on, self.joined_on_precision)

    @property
    def joined_label(self) -> str:
        """When it joined, as it is known: "3 September 2015", "January 2018", "2019"."""
        return date_label(self.joined_on, self.joined_on_precision) if self.joined_on else ""


@reversion.register()
class FocalPoint(models.Model):
    """A contact person of a member agency; their email is for members and staff only."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="focal_points",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class IucnCategory(models.TextChoices):
    """IUCN protected area management categories, as the WDPA spells them."""

    IA = "Ia", _("Ia — Strict nature reserve")
    IB = "Ib", _("Ib — Wilderness area")
    II = "II", _("II — National park")
    III = "III", _("III — Natural monument or feature")
    IV = "IV", _("IV — Habitat/species management area")
    V = "V", _("V — Protected landscape/seascape")
    VI = "VI", _("VI — Protected area with sustainable use of natural resources")
    NOT_APPLICABLE = "Not Applicable", _("Not applicable")
    NOT_ASSIGNED = "Not Assigned", _("Not assigned")
    NOT_REPORTED = "Not Reported", _("Not reported")


class GovernanceType(models.TextChoices):
    """IUCN governance types, as the WDPA's GOV_TYPE spells them (groups A–D)."""

    FEDERAL = (
        "Federal or national ministry or agency",
        _("A. Federal or national ministry or agency"),
    )
    SUBNATIONAL = "Sub-national ministry or agency", _("A. Sub-national ministry or agency")
    DELEGATED = "Government-delegated management", _("A. Government-delegated management")
    TRANSBOUNDARY = "Transboundary governance", _("B. Transboundary governance")
    COLLABORATIVE = "Collaborative governance", _("B. Collaborative governance")
    JOINT = "Joint governance", _("B. Joint governance")
    INDIVIDUALS = "Individual landowners", _("C. Individual landowners")
    NON_PROFIT = "Non-profit organisations", _("C. Non-profit organisations")
    FOR_PROFIT = "For-profit organisations", _("C. For-profit organisations")
    INDIGENOUS = "Indigenous peoples", _("D. Indigenous peoples")
    LOCAL_COMMUNITIES = "Local communities", _("D. Local communities")
    NOT_REPORTED = "Not Reported", _("Not reported")

    @classmethod
    def group_of(cls, value: str) -> str:
        """The governance group (A–D) of a type, or an empty string when unreported."""
        label = str(cls(value).label)
        return label[0] if value != cls.NOT_REPORTED else ""


class Realm(models.TextChoices):
    TERRESTRIAL = "terrestrial", _("Terrestrial")
    COASTAL = "coastal", _("Coastal")
    MARINE = "marine", _("Marine")


class SiteType(models.TextChoices):
    """The WDPA's SITE_TYPE (legacy PA_DEF): a protected area, or an OECM, an "other
    effective area-based conservation measure" that GBF Target 3 counts beside them."""

    PROTECTED_AREA = "pa", _("Protected area")
    OECM = "oecm", _("OECM")


class DesignationType(models.TextChoices):
    NATIONAL = "National", _("National")
    REGIONAL = "Regional", _("Regional")
    INTERNATIONAL = "International", _("International")
    NOT_APPLICABLE = "Not Applicable", _("Not applicable")


class ProtectedAreaStatus(models.TextChoices):
    DESIGNATED = "Designated", _("Designated")
    INSCRIBED = "Inscribed", _("Inscribed")
    ADOPTED = "Adopted", _("Adopted")
    ESTABLISHED = "Established", _("Established")
    PROPOSED = "Proposed", _("Proposed")
    NOT_REPORTED = "Not Reported", _("Not reported")


class GreenListStatus(models.TextChoices):
    """A site's standing on the IUCN Green List of Protected and Conserved Areas.

    A candidate is working through the Green List standard; a Green Listed (or relisted)
    site holds its listing until the expiry date, after which it counts as expired
    until it is relisted.
    """

    NOT_LISTED = "not-listed", _("Not listed")
    CANDIDATE = "candidate", _("Candidate")
    GREEN_LISTED = "green-listed", _("Green Listed")
    RELISTED = "relisted", _("Relisted")


# The statuses that hold a listing, with its dates.
GREEN_LISTINGS = (GreenListStatus.GREEN_LISTED, GreenListStatus.RELISTED)


class GreenListState(models.TextChoices):
    """The Green List status as a visitor is told it today: a listing past its expiry
    date is expired. The values are those of the list's `?green_list=` filter."""

    LISTED = "listed", _("On the Green List (listed or relisted)")
    CANDIDATE = "candidate", _("Candidate")
    EXPIRED = "expired", _("Listing expired")


def green_list_state_condition(state: str, today: datetime.date) -> Q:
    """The condition on an area's Green List fields for a state judged on `today`."""
    if state == GreenListState.CANDIDATE:
        return Q(green_list_status=GreenListStatus.CANDIDATE)
    in_force = Q(green_list_expires_on__isnull=True) | Q(green_list_expires_on__gte=today)
    listing = Q(green_list_status__in=GREEN_LISTINGS)
    if state == GreenListState.LISTED:
        return listing & in_force
    if state == GreenListState.EXPIRED:
        return listing & ~in_force
    raise ValueError(f"Unknown Green List state: {state!r}")


def has_evaluation() -> Exists:
    """Whether a protected area has at least one management-effectiveness evaluation."""
    return Exists(ManagementEffectivenessEvaluation.objects.filter(protected_area=OuterRef("pk")))


@dataclass(frozen=True)
class EffectivenessCounts:
    """How many areas have been evaluated and where they stand on the IUCN Green List.

    `green_listed` and `relisted` count listings in force; `expired` those past their
    expiry date (either status).
    """

    areas: int = 0
    evaluated: int = 0
    candidate: int = 0
    green_listed: int = 0
    relisted: int = 0
    expired: int = 0

    @property
    def listed(self) -> int:
        """Areas on the Green List today: Green Listed or relisted, not expired."""
        return self.green_listed + self.relisted


def _effectiveness_aggregates(today: datetime.date) -> dict:
    in_force = green_list_state_condition(GreenListState.LISTED, today)
    return {
        "areas": Count("pk"),
        "evaluated": Count("pk", filter=Q(is_evaluated=True)),
        "candidate": Count(
            "pk", filter=green_list_state_condition(GreenListState.CANDIDATE, today)
        ),
        "green_listed": Count(
            "pk", filter=in_force & Q(green_list_status=GreenListStatus.GREEN_LISTED)
        ),
        "relisted": Count("pk", filter=in_force & Q(green_list_status=GreenListStatus.RELISTED)),
        "expired": Count("pk", filter=green_list_state_condition(GreenListState.EXPIRED, today)),
    }


# Columns the protected-area list never shows, and the largest of each row.
LIST_DEFERRED_FIELDS = ("description", "search_vector", "boundary")
# The map's order: the largest reported area first, then by id (so it is total).
MAP_ORDERING = (F("reported_area_km2").desc(nulls_last=True), "id")
WGS84 = 4326


def reported_point() -> Func:
    """The point of the latitude and longitude fields, as PostGIS computes it (or NULL)."""
    return Func(
        Func(
            Cast("longitude", FloatField()),
            Cast("latitude", FloatField()),
            function="ST_MakePoint",
        ),
        Value(WGS84),
        function="ST_SetSRID",
        output_field=gis_models.PointField(srid=WGS84),
    )


def bounding_boxes(west: float, south: float, east: float, north: float) -> list[Polygon]:
    """A box of degrees as polygons; west > east (across the antimeridian) gives two."""
    if west <= east:
        return [Polygon.from_bbox((west, south, east, north))]
    return [
        Polygon.from_bbox((west, south, 180, north)),
        Polygon.from_bbox((-180, south, east, north)),
    ]


def envelope(west: float, south: float, east: float, north: float) -> Func:
    """A box of degrees as a PostGIS polygon (its corners sent as parameters)."""
    return Func(
        *(Value(float(edge)) for edge in (west, south, east, north)),
        Value(WGS84),
        function="ST_MakeEnvelope",
        output_field=gis_models.GeometryField(srid=WGS84),
    )


def geometry_function(name: str, *arguments) -> Func:
    return Func(*arguments, function=name, output_field=gis_models.GeometryField(srid=WGS84))


def map_x() -> Func:
    return Func("map_point", function="ST_X", output_field=FloatField())


def map_y() -> Func:
    return Func("map_point", function="ST_Y", output_field=FloatField())


def in_transboundary_area() -> Exists:
    """Whether a protected area belongs to a transboundary area."""
    return Exists(
        TransboundaryArea.protected_areas.through.objects.filter(protectedarea_id=OuterRef("pk"))
    )


class EqualsAny(Lookup):
    """`lhs = ANY(rhs)`: a value among those of an array (e.g. an ArraySubquery)."""

    lookup_name = "any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


class ProtectedAreaQuerySet(TranslatableQuerySet, ListedQuerySet):
    def visible_to(self, user) -> ProtectedAreaQuerySet:
        """The one rule for who sees which protected area."""
        return self.filter(members_may_see(user))

    def seen_through(self, relation: str, user) -> Q:
        """`visible_to(user)` as a condition on another model's `relation` to an area."""
        return members_may_see(user, via=relation)

    def transboundary(self, joined: bool = True) -> ProtectedAreaQuerySet:
        """Areas that belong to a transboundary area (or, `joined=False`, that do not)."""
        return self.filter(in_transboundary_area() if joined else ~in_transboundary_area())

    def for_list(self) -> ProtectedAreaQuerySet:
        """A queryset optimized for the protected-area list: one query per page.

        The list shows neither the description (long Markdown) nor the search vector
        (every word of the record): not loading them keeps a page's rows small.
        """
        return (
            self.select_related("country")
            .defer(*LIST_DEFERRED_FIELDS)
            .annotate(is_transboundary=in_transboundary_area())
        )

    def for_detail(self) -> ProtectedAreaQuerySet:
        """The page draws the boundary from boundary.geojson: only whether there is one.

        The description reads in the reader's language where translated.
        """
        return (
            self.select_related("country", "management_authority")
            .defer("search_vector", "boundary")
            .annotate(
                has_boundary=ExpressionWrapper(
                    Q(boundary__isnull=False), output_field=BooleanField()
                )
            )
            .prefetch_related(
                Prefetch(
                    "transboundary_areas",
                    queryset=TransboundaryArea.objects.order_by("name"),
                ),
                "evaluations",
                # A site in several countries (the WDPA's ISO3 list): the others.
                Prefetch("countries", queryset=Country.objects.order_by("name")),
            )
            .translated()
        )

    def with_map_coordinates(self) -> ProtectedAreaQuerySet:
        """Annotate `map_latitude` and `map_longitude`: the map point's (None without one)."""
        return self.annotate(
            map_latitude=Func("map_point", function="ST_Y", output_field=FloatField()),
            map_longitude=Func("map_point", function="ST_X", output_field=FloatField()),
        )

    def with_location(self) -> ProtectedAreaQuerySet:
        """Areas with a place on the map: a reported point, or a boundary."""
        return self.filter(map_point__isnull=False)

    def within(self, west: float, south: float, east: float, north: float) -> ProtectedAreaQuerySet:
        """Areas whose map point lies in a box of degrees; west > east: the box crosses the
        antimeridian. The GiST index of the map point serves it."""
        inside = Q()
        for box in bounding_boxes(west, south, east, north):
            inside |= Q(map_point__intersects=box)
        return self.filter(inside)

    def in_country(self, country: Country | int, user=None) -> ProtectedAreaQuerySet:
        """Areas in a country: their first country, or any of the others of a site that
        spans several (the WDPA's ISO3 list); `user` is the list filter's, unused here.

        The other sites come as an array computed once (`id = ANY(ARRAY(…))`, an
        InitPlan), so that PostgreSQL still serves the rest from the country's index or
        the list's order; an EXISTS in the OR made it read the whole table (about a
        second to count a country's areas among 50,000).
        """
        country_id = getattr(country, "pk", country)
        spanning = ArraySubquery(
            ProtectedArea.countries.through.objects.filter(country_id=country_id).values(
                "protectedarea_id"
            )
        )
        return self.filter(Q(country_id=country_id) | Q(EqualsAny(F("pk"), spanning)))

    def in_wdpa(self) -> ProtectedAreaQuerySet:
        """Areas that came from the WDPA (they have its id)."""
        return self.filter(wdpa_id__isnull=False)

    def of_site_type(self, site_type: str) -> ProtectedAreaQuerySet:
        return self.filter(site_type=site_type)

    def in_green_list_state(
        self, state: str, today: datetime.date | None = None
    ) -> ProtectedAreaQuerySet:
        """Areas in a `GreenListState` (listed, candidate, expired), judged on `today`."""
        return self.filter(green_list_state_condition(state, today or timezone.localdate()))

    def evaluated(self, yes: bool = True) -> ProtectedAreaQuerySet:
        """Areas with at least one management-effectiveness evaluation (or, `yes=False`,
        with none)."""
        return self.filter(has_evaluation() if yes else ~has_evaluation())

    def effectiveness_counts(self, today: datetime.date | None = None) -> EffectivenessCounts:
        """The areas counted by Green List standing and evaluation, in one query.

        Counts what the queryset holds: call it on `listed_for(user)` (and a country's
        areas), so that no members-only area is counted for the public.
        """
        totals = self.annotate(is_evaluated=has_evaluation()).aggregate(
            **_effectiveness_aggregates(today or timezone.localdate())
        )
        return EffectivenessCounts(**totals)

    def effectiveness_counts_by_site_type(
        self, today: datetime.date | None = None
    ) -> dict[str, EffectivenessCounts]:
        """`effectiveness_counts()` for protected areas and OECMs apart, in one query:
        every site type is a key (zeros where there is none)."""
        rows = (
            self.annotate(is_evaluated=has_evaluation())
            .order_by()
            .values("site_type")
            .annotate(**_effectiveness_aggregates(today or timezone.localdate()))
        )
        counts = {site_type: EffectivenessCounts() for site_type in SiteType.values}
        for row in rows:
            site_type = row.pop("site_type")
            counts[site_type] = EffectivenessCounts(**row)
        return counts

    def for_map(self) -> ProtectedAreaQuerySet:
        """The located areas as the map's rows, largest first.

        Each row is (name, slug, latitude, longitude, IUCN category, country name, site
        type), the coordinates those of the map point. Largest first, so that a map
        showing only some of them shows those that matter most at a glance; the
        `protectedarea_map_order` index holds this order.
        """
        return (
            self.with_location()
            .order_by(*MAP_ORDERING)
            .with_map_coordinates()
            .values_list(
                "name",
                "slug",
                "map_latitude",
                "map_longitude",
                "iucn_category",
                "country__name",
                "site_type",
            )
        )

    # The map in tiles (members.map_tiles): a tile is a box of degrees whose west and
    # south edges belong to it and whose east and north edges belong to the next tile,
    # but at the edges of the world; so every map point lies in exactly one tile of a
    # zoom, and the tiles of a zoom count each area once.

    def _with_map_coordinates(self) -> ProtectedAreaQuerySet:
        return self.alias(map_x=map_x(), map_y=map_y())

    @staticmethod
    def _map_point_in_tile(west: float, south: float, east: float, north: float) -> Q:
        """The condition on `_with_map_coordinates()` rows: the map point in the tile."""
        inside = Q(map_point__intersects=Polygon.from_bbox((west, south, east, north)))
        # Only the edges inside the world need saying: no point lies beyond the world's,
        # and a condition fewer is a better estimate of the rows for the planner.
        if west > -180:
            inside &= Q(map_x__gte=west)
        if south > -90:
            inside &= Q(map_y__gte=south)
        if east < 180:
            inside &= Q(map_x__lt=east)
        if north < 90:
            inside &= Q(map_y__lt=north)
        return inside

    def in_tile(
        self, west: float, south: float, east: float, north: float
    ) -> ProtectedAreaQuerySet:
        """Areas whose map point lies in a map tile (the GiST index of the map point)."""
        return self._with_map_coordinates().filter(
            self._map_point_in_tile(west, south, east, north)
        )

    def map_clusters(
        self, west: float, south: float, east: float, north: float, cells: int
    ) -> models.QuerySet:
        """The areas of a tile grouped on a grid of `cells` × `cells`, one row per cell.

        Each row has the cell (`column`, `row`), how many areas it holds (`count`), their
        `extent` (west, south, east, north) and mean point (`longitude`, `latitude`);
        for a cell of one area, that area's `name`, `slug`, `country_name`,
        `iucn_category` and `site_type` (for more, the least of each: meaningless).

        Areas on the tile's east or north edge belong to the next tile: they come in a
        cell numbered `cells`, for the caller to leave out (the world's edges belong to
        the tile; no cell beyond it). Said so rather than filtered in SQL, where the
        planner cannot tell how many rows conditions on ST_X and ST_Y keep, and would
        read the table instead of the clusters' index.
        """
        width = (east - west) / cells
        height = (north - south) / cells
        column = Floor((map_x() - west) / width)
        row = Floor((map_y() - south) / height)
        last = Value(cells - 1.0)
        box = Polygon.from_bbox((west, south, east, north))
        box.srid = WGS84
        return (
            self.filter(map_point__bboverlaps=box)  # a point's box is the point: exact
            .order_by()
            .annotate(
                column=Least(column, last, output_field=FloatField()) if east >= 180 else column,
                row=Least(row, last, output_field=FloatField()) if north >= 90 else row,
            )
            .values("column", "row")
            .annotate(
                count=Count("map_point"),  # not the id: the index of the clusters has none
                extent=Extent("map_point"),
                longitude=Avg(map_x()),
                latitude=Avg(map_y()),
                first_name=Min("name"),
                first_slug=Min("slug"),
                country_name=Min("country__name"),
                first_iucn_category=Min("iucn_category"),
                first_site_type=Min("site_type"),
            )
            .order_by("row", "column")
        )

    def map_shapes(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        tolerance: float,
        decimals: int,
    ) -> models.QuerySet:
        """The areas a tile shows at a close zoom, one row each, in GeoJSON cut to the tile.

        An area with a boundary that crosses the tile gives its boundary simplified
        (`tolerance` in degrees, the same for every tile of a zoom so that neighbours
        meet), then cut to the tile: `shape`, its surface, and `outline`, its edge
        without the tile's cut lines; one without a boundary gives its map point
        (`longitude`, `latitude`) when that lies in the tile. The rows: name, slug,
        country name, IUCN category, site type, shape, outline, longitude, latitude.
        """
        box = envelope(west, south, east, north)
        simplified = geometry_function(
            "ST_SimplifyPreserveTopology", F("boundary"), Value(float(tolerance))
        )
        return (
            self._with_map_coordinates()
            .filter(
                Q(boundary__intersects=Polygon.from_bbox((west, south, east, north)))
                | Q(boundary__isnull=True) & self._map_point_in_tile(west, south, east, north)
            )
            .order_by("id")
            .values_list(
                "name",
                "slug",
                "country__name",
                "iucn_category",
                "site_type",
                AsGeoJSON(geometry_function("ST_ClipByBox2D", simplified, box), precision=decimals),
                AsGeoJSON(
                    geometry_function(
                        "ST_ClipByBox2D", geometry_function("ST_Boundary", simplified), box
                    ),
                    precision=decimals,
                ),
                map_x(),
                map_y(),
            )
        )


# The boundary's and the countries' history is the WDPA imports' (WdpaImport); the map
# point and the search vector are computed from the other fields. (Serializing the
# countries would cost the import a query per area.) A revision of an area holds its
# evaluations.
@reversion.register(
    exclude=["search_vector", "map_point", "boundary", "countries", "translation_source"],
    follow=["evaluations"],
)
class ProtectedArea(Translatable, VersionedModel):
    name = models.CharField(_("name"), max_length=255)
    original_name = models.CharField(
        _("original name"),
        max_length=255,
        blank=True,
        help_text=_("The name in the local script, e.g. Vườn quốc gia Cúc Phương."),
    )
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="protected_areas",
        help_text=_("The first of its countries: the one it is listed under."),
    )
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries"),
        blank=True,
        related_name="protected_areas_spanning",
        help_text=_("Every country the site lies in, as the WDPA lists them (ISO3)."),
    )
    wdpa_id = models.PositiveBigIntegerField(
        _("WDPA ID"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The site's identifier in the World Database on Protected Areas."),
    )
    site_type = models.CharField(
        _("site type"),
        max_length=4,
        choices=SiteType.choices,
        default=SiteType.PROTECTED_AREA,
        help_text=_("A protected area, or an other effective area-based conservation measure."),
    )
    designation = models.CharField(
        _("designation"),
        max_length=255,
        blank=True,
        help_text=_('The national name of the designation, e.g. "National Park".'),
    )
    designation_type = models.CharField(
        _("designation type"), max_length=20, choices=DesignationType.choices, blank=True
    )
    iucn_category = models.CharField(
        _("IUCN category"),
        max_length=20,
        choices=IucnCategory.choices,
        default=IucnCategory.NOT_REPORTED,
    )
    governance_type = models.CharField(
        _("governance type"),
        max_length=64,
        choices=GovernanceType.choices,
        default=GovernanceType.NOT_REPORTED,
    )
    realm = models.CharField(
        _("realm"), max_length=16, choices=Realm.choices, default=Realm.TERRESTRIAL
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProtectedAreaStatus.choices,
        default=ProtectedAreaStatus.DESIGNATED,
    )
    status_year = models.PositiveSmallIntegerField(
        _("status year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    reported_area_km2 = models.DecimalField(
        _("reported area (km²)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    reported_marine_area_km2 = models.DecimalField(
        _("reported marine area (km²)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    gis_area_km2 = models.DecimalField(
        _("GIS area (km²)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("The area of the WDPA's boundary, as the WDPA computes it."),
    )
    management_authority = models.ForeignKey(
        Organization,
        verbose_name=_("management authority"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_areas",
    )
    management_authority_name = models.CharField(
        _("management authority as reported"),
        max_length=255,
        blank=True,
        help_text=_("The WDPA's MANG_AUTH text, kept when no organization record matches."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # The WDPA's polygons of the site (every parcel), in WGS 84; empty where the WDPA
    # has only a point. The GiST index of a geometry field comes with it.
    boundary = gis_models.MultiPolygonField(_("boundary"), srid=WGS84, null=True, blank=True)
    # Where the map puts the area: its reported point, else a point inside its boundary
    # (PostGIS keeps it in step with both).
    map_point = models.GeneratedField(
        expression=Coalesce(
            reported_point(),
            PointOnSurface("boundary"),
            output_field=gis_models.PointField(srid=WGS84),
        ),
        output_field=gis_models.PointField(srid=WGS84),
        db_persist=True,
    )
    missing_from_wdpa_since = models.DateTimeField(
        _("missing from the WDPA since"),
        null=True,
        blank=True,
        help_text=_(
            "Set by a WDPA import that covered the area's country but no longer listed it; "
            "cleared when it comes back. The area is kept."
        ),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    # The IUCN Green List: one standing per area, kept by the secretariat (the WDPA does
    # not carry it, so an import never writes these fields).
    green_list_status = models.CharField(
        _("IUCN Green List status"),
        max_length=16,
        choices=GreenListStatus.choices,
        default=GreenListStatus.NOT_LISTED,
    )
    green_listed_on = models.DateField(
        _("Green Listed on"),
        null=True,
        blank=True,
        help_text=_("The date of the (latest) listing; for Green Listed and relisted sites."),
    )
    green_list_expires_on = models.DateField(
        _("Green List expiry date"),
        null=True,
        blank=True,
        help_text=_("The listing counts as expired after this date."),
    )
    green_list_url = models.URLField(
        _("Green List page"),
        blank=True,
        help_text=_("The site's page on the IUCN Green List website."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = search_vector_field(
        ("name", "A"), ("original_name", "A"), ("designation", "C"), ("description", "D")
    )
    # A site's names are its own (the WDPA's); its description is told in each language.
    translated_fields = ("description",)
    translation_source = translation_source_field(*translated_fields)
    # Where a search result's snippet comes from, in this order (apap_portal.fulltext.snippets).
    search_snippet_fields = ("description", "original_name")

    objects = ProtectedAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("protected area")
        verbose_name_plural = _("protected areas")
        indexes = [
            models.Index(fields=["name", "id"], name="protectedarea_list_order"),
            # Each filter of the list with the list's order after it, so that an index
            # serves both the filter and the first rows of a page (no sort of all
            # matches); with the visibility, so that counting the matches reads no table.
            *(
                models.Index(
                    fields=[field, "name", "id"],
                    name=f"protectedarea_{short_name}_order",
                    include=["visibility"],
                )
                for field, short_name in [
                    ("country", "country"),
                    ("iucn_category", "iucn"),
                    ("realm", "realm"),
                    ("governance_type", "governance"),
                    ("site_type", "site_type"),
                ]
            ),
            # The Green List filter: the few listed and candidate sites, in the list's order.
            models.Index(
                fields=["green_list_status", "name", "id"],
                name="protectedarea_green_list",
                include=["visibility", "green_list_expires_on"],
                condition=~Q(green_list_status=GreenListStatus.NOT_LISTED),
            ),
            # Counting what a visitor may see (the list's pages, the home page's figure)
            # reads this small index alone instead of the whole table.
            models.Index(fields=["visibility"], name="protectedarea_visibility"),
            # The map: the areas in a viewport, and its largest-first order. Both hold
            # the visibility, so that counting the areas a map leaves out reads no table.
            GistIndex(fields=["map_point"], name="protectedarea_map_point", include=["visibility"]),
            models.Index(
                *MAP_ORDERING,
                name="protectedarea_map_order",
                include=["visibility"],
                condition=Q(map_point__isnull=False),
            ),
            # The map's clusters (members.map_tiles) read these columns of every area in
            # a tile: far out, a tile reads this small index alone, not the wide table.
            models.Index(
                fields=["visibility"],
                include=["map_point", "country", "iucn_category", "site_type", "name", "slug"],
                name="protectedarea_map_clusters",
                condition=Q(map_point__isnull=False),
            ),
            GinIndex(fields=["search_vector"], name="protectedarea_search"),
            GinIndex(OpClass("name", name="gin_trgm_ops"), name="protectedarea_name_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="protected_area_location_complete",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(green_list_status__in=GREEN_LISTINGS, green_listed_on__isnull=False)
                | (
                    ~Q(green_list_status__in=GREEN_LISTINGS)
                    & Q(green_listed_on__isnull=True, green_list_expires_on__isnull=True)
                ),
                name="protected_area_green_list_dates",
                violation_error_message=_(
                    "A Green Listed or relisted site needs the date it was listed; a site "
                    "not listed or a candidate has no listing dates."
                ),
            ),
            models.CheckConstraint(
                condition=Q(green_list_expires_on__isnull=True)
                | Q(green_listed_on__isnull=True)
                | Q(green_list_expires_on__gt=F("green_listed_on")),
                name="protected_area_green_list_expires_after_listing",
                violation_error_message=_(
                    "The Green List expiry date must come after the listing."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:protectedarea_detail", kwargs={"slug": self.slug})

    @property
    def protected_planet_url(self) -> str:
        if self.wdpa_id is None:
            return ""
        return f"{settings.PROTECTED_PLANET_URL}{self.wdpa_id}"

    @property
    def governance_group(self) -> str:
        return GovernanceType.group_of(self.governance_type)

    @property
    def is_oecm(self) -> bool:
        return self.site_type == SiteType.OECM

    def clean(self) -> None:
        super().clean()
        if self.green_list_status in GREEN_LISTINGS:
            if self.green_listed_on is None:
                raise ValidationError(
                    {"green_listed_on": _("Give the date the site was Green Listed.")}
                )
            expires_on = self.green_list_expires_on
            if expires_on is not None and expires_on <= self.green_listed_on:
                raise ValidationError(
                    {"green_list_expires_on": _("The expiry date must come after the listing.")}
                )
        elif self.green_listed_on or self.green_list_expires_on:
            raise ValidationError(
                _(
                    "Only a Green Listed or relisted site has listing dates: clear them, "
                    "or change the status."
                )
            )

    @property
    def green_list_state(self) -> str:
        """The `GreenListState` of the area today, or "" when it is not listed."""
        if self.green_list_status == GreenListStatus.CANDIDATE:
            return GreenListState.CANDIDATE
        if self.green_list_status not in GREEN_LISTINGS:
            return ""
        expires_on = self.green_list_expires_on
        if expires_on is not None and expires_on < timezone.localdate():
            return GreenListState.EXPIRED
        return GreenListState.LISTED


class EvaluationMethod(models.TextChoices):
    """Methods of management-effectiveness evaluation most used in Asia (as the Global
    Database on Protected Area Management Effectiveness names them)."""

    METT = "mett", _("METT — Management Effectiveness Tracking Tool")
    RAPPAM = "rappam", _("RAPPAM — Rapid Assessment and Prioritization of PA Management")
    IMET = "imet", _("IMET — Integrated Management Effectiveness Tool")
    EOH = "eoh", _("Enhancing Our Heritage")
    WH_OUTLOOK = "wh-outlook", _("IUCN World Heritage Outlook")
    MEE = "mee", _("MEE — Management Effectiveness Evaluation (India)")
    OTHER = "other", _("Other")


# The first evaluations of protected-area management (the WCPA framework, 2000).
FIRST_EVALUATION_YEAR = 1990


def not_after_this_year(year: int) -> None:
    if year > timezone.localdate().year:
        raise ValidationError(
            _("An evaluation cannot be dated after this year (%(year)s)."),
            code="future_year",
            params={"year": timezone.localdate().year},
        )


class EvaluationQuerySet(ListedQuerySet):
    def visible_to(self, user) -> EvaluationQuerySet:
        """An evaluation belongs to its area's page: seen by whoever may see the area."""
        return self.filter(ProtectedArea.objects.seen_through("protected_area", user))


@reversion.register()
class ManagementEffectivenessEvaluation(models.Model):
    """An evaluation of how well a protected area is managed (PAME), by a known method."""

    protected_area = models.ForeignKey(
        ProtectedArea,
        verbose_name=_("protected area"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    method = models.CharField(_("method"), max_length=16, choices=EvaluationMethod.choices)
    other_method = models.CharField(
        _("other method"),
        max_length=200,
        blank=True,
        help_text=_('The name of the method, when it is "Other".'),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(FIRST_EVALUATION_YEAR), not_after_this_year],
    )
    report_url = models.URLField(_("report"), blank=True, help_text=_("A link to the report."))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Visible to staff only."))

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "method", "id"]
        verbose_name = _("management-effectiveness evaluation")
        verbose_name_plural = _("management-effectiveness evaluations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(method=EvaluationMethod.OTHER) & ~Q(other_method=""))
                | (~Q(method=EvaluationMethod.OTHER) & Q(other_method="")),
                name="evaluation_other_method_named",
                violation_error_message=_('Name the method when it is "Other", and only then.'),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_EVALUATION_YEAR),
                name="evaluation_year_plausible",
                violation_error_message=_("The year is too early for an evaluation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method_name} ({self.year})"

    def clean(self) -> None:
        super().clean()
        if self.method == EvaluationMethod.OTHER and not self.other_method:
            raise ValidationError({"other_method": _('Name the method, since it is "Other".')})
        if self.method != EvaluationMethod.OTHER and self.other_method:
            raise ValidationError(
                {"other_method": _('Leave this blank, or choose "Other" as the method.')}
            )

    @property
    def method_name(self) -> str:
        return (
            self.other_method
            if self.method == EvaluationMethod.OTHER
            else self.get_method_display()
        )


class TransboundaryAreaQuerySet(models.QuerySet):
    def for_list(self, user) -> TransboundaryAreaQuerySet:
        """Each area with the protected areas the user may see, and their countries."""
        return self.prefetch_related(
            Prefetch(
                "protected_areas",
                queryset=ProtectedArea.objects.listed_for(user).select_related("country"),
            )
        )


@reversion.register()
class TransboundaryArea(VersionedModel):
    """Protected areas in two or more countries managed in cooperation."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    protected_areas = models.ManyToManyField(
        ProtectedArea,
        verbose_name=_("protected areas"),
        related_name="transboundary_areas",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TransboundaryAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("transboundary area")
        verbose_name_plural = _("transboundary areas")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('members:transboundary_list')}#{self.slug}"

    def countries(self) -> list[Country]:
        """The countries its (prefetched) protected areas lie in, each once, by name."""
        seen = {area.country_id: area.country for area in self.protected_areas.all()}
        return sorted(seen.values(), key=lambda country: country.name)


class WdpaImport(models.Model):
    """One run of `manage.py import_wdpa`: what it read and what changed since the last.

    The changes are bounded: the first CHANGES_KEPT of each kind are kept (ids, and per
    changed area its fields old → new), the counts are always complete.
    """

    CHANGES_KEPT = 1000

    file_name = models.CharField(_("file"), max_length=255)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    records_read = models.PositiveIntegerField(_("records read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    missing = models.PositiveIntegerField(
        _("no longer in the WDPA"),
        default=0,
        help_text=_("Areas of the file's countries that the file no longer lists (kept)."),
    )
    returned = models.PositiveIntegerField(
        _("back in the WDPA"), default=0, help_text=_("Areas flagged missing that came back.")
    )
    # {"added": [wdpa ids], "changed": {wdpa id: {field: [old, new]}}, "missing": [...],
    #  "returned": [...], "skipped": [[record, reason]]}, each at most CHANGES_KEPT long.
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("WDPA import")
        verbose_name_plural = _("WDPA imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


# Translations (apap_portal.translations): each record's text in the site's other languages.


@reversion.register()
class OrganizationTranslation(Translation):
    original = translation_of(Organization)
    description = Organization.translated_copy("description")
    logo_alt = Organization.translated_copy("logo_alt")

    class Meta(Translation.Meta):
        verbose_name = _("organization translation")
        verbose_name_plural = _("organization translations")


@reversion.register(exclude=["search_vector"])
class ProtectedAreaTranslation(Translation):
    original = translation_of(ProtectedArea)
    description = ProtectedArea.translated_copy("description")
    search_vector = search_vector_field(("description", "D"), language_field="language")

    class Meta(Translation.Meta):
        verbose_name = _("protected area translation")
        verbose_name_plural = _("protected area translations")
        indexes = [GinIndex(fields=["search_vector"], name="patranslation_search")]


# Members serving themselves: asking for an account, keeping their profile


class AccountRequestQuerySet(models.QuerySet):
    def pending(self) -> AccountRequestQuerySet:
        return self.filter(status=AccountRequest.Status.PENDING)


@reversion.register()
class AccountRequest(models.Model):
    """Someone at an agency asks for an account; no account exists until staff approve.

    The organization is one of ours, or one the requester names (with its country): staff
    may correct that name and country before approving, which creates it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("work email"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_requests",
    )
    new_organization_name = models.CharField(
        _("new organization"),
        max_length=255,
        blank=True,
        help_text=_("The organization the requester named, when it is not in the list yet."),
    )
    new_organization_country = models.ForeignKey(
        Country,
        verbose_name=_("country of the new organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_organization_kind = models.CharField(
        _("kind of the new organization"),
        max_length=20,
        choices=Organization.Kind.choices,
        default=Organization.Kind.NATIONAL_AGENCY,
    )
    role = models.CharField(_("role or position"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.TextField(
        _("reason for declining"), blank=True, help_text=_("Emailed to the requester.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_requests",
        help_text=_("The account approving created."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects = AccountRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(new_organization_name=""),
                name="account_request_names_an_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def organization_label(self) -> str:
        if self.organization_id:
            return str(self.organization)
        country = f" ({self.new_organization_country})" if self.new_organization_country_id else ""
        return f"{self.new_organization_name}{country}"


class ProfileChangeQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProfileChangeQuerySet:
        """Staff, and the members of the organization (a proposed logo is theirs to see)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        if user.organization_id is None:
            return self.none()
        return self.filter(organization_id=user.organization_id)

    def members_only(self) -> ProfileChangeQuerySet:
        return self.none()

    def open(self) -> ProfileChangeQuerySet:
        """Not yet published nor declined: at most one per organization."""
        return self.filter(status__in=ProfileChange.OPEN_STATUSES)

    def waiting_for_review(self) -> ProfileChangeQuerySet:
        """Submitted and not yet reviewed, the longest-waiting first (the review queue)."""
        return (
            self.filter(status=ProfileChange.Status.SUBMITTED)
            .select_related("organization", "submitted_by")
            .order_by("submitted_at", "pk")
        )


@reversion.register(follow=["focal_points"])
class ProfileChange(VersionedModel):
    """A member's proposed change to their organization's public profile.

    The public page keeps showing the organization as it is until the secretariat
    publishes the change, which then copies it onto the organization, its membership's
    focal points included.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED})
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    website = models.URLField(_("website"), blank=True)
    logo = PictureField(
        _("new logo"),
        upload_to="logos/proposed/%Y/",
        blank=True,
        help_text=_("JPEG, PNG or WebP, at most 5 MB; PNG keeps a transparent background."),
    )
    logo_alt = pictures.alt_field(_("logo description"))
    remove_logo = models.BooleanField(_("remove the logo"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    review_message = models.TextField(
        _("message from the secretariat"),
        blank=True,
        help_text=_("Emailed to the member when changes are requested or the change declined."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProfileChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=["draft", "submitted", "changes-requested"]),
                name="one_open_profile_change_per_organization",
            )
        ]

    def __str__(self) -> str:
        return str(_("Profile of %(organization)s")) % {"organization": self.organization}

    def clean(self) -> None:
        super().clean()
        pictures.require_alt(self, "logo")


@reversion.register()
class ProposedFocalPoint(models.Model):
    """A focal point as a profile change proposes it; `focal_point` is the one it edits."""

    profile_change = models.ForeignKey(
        ProfileChange,
        verbose_name=_("profile change"),
        on_delete=models.CASCADE,
        related_name="focal_points",
    )
    focal_point = models.ForeignKey(
        FocalPoint,
        verbose_name=_("focal point it changes"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("proposed focal point")
        verbose_name_plural = _("proposed focal points")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name

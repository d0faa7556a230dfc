"""What APAP does: its work areas, activities and funding proposals."""

from __future__ import annotations

import datetime

import reversion
from django.contrib.postgres.fields import DateRangeField, RangeBoundary
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Func, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apap_portal import pictures
from apap_portal.dates import DatePrecision, date_precision_field, dates_label
from apap_portal.editing.locking import VersionedModel
from apap_portal.fulltext.search import search_indexes, search_vector_field
from apap_portal.translations.models import (
    Translatable,
    Translation,
    translation_of,
    translation_source_field,
)
from apap_portal.translations.queries import TranslatableQuerySet
from apap_portal.uploads import AttachedDocument, DocumentField, PictureField
from members.models import Country, ListedQuerySet, Organization, Visibility, members_may_see


class FocalActivityQuerySet(TranslatableQuerySet):
    def for_choices(self) -> FocalActivityQuerySet:
        """The options of a filter, in the reader's language where they are translated."""
        return self.select_related("work_area").translated(related=("work_area",))


class WorkAreaQuerySet(TranslatableQuerySet):
    def with_focal_activities(self) -> WorkAreaQuerySet:
        """Work areas with their focal activities, all in the reader's language where they
        are translated: two queries whatever the number of rows (home, About, a work area)."""
        focal_activities = FocalActivity.objects.translated()
        return self.translated().prefetch_related(
            Prefetch("focal_activities", queryset=focal_activities)
        )


@reversion.register(follow=["focal_activities"], exclude=["translation_source"])
class WorkArea(Translatable, models.Model):
    translated_fields = ("name", "summary", "description")

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    translation_source = translation_source_field(*translated_fields)

    objects = WorkAreaQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("work area")
        verbose_name_plural = _("work areas")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:workarea_detail", kwargs={"slug": self.slug})


@reversion.register(exclude=["translation_source"])
class FocalActivity(Translatable, models.Model):
    translated_fields = ("description",)

    work_area = models.ForeignKey(
        WorkArea,
        verbose_name=_("work area"),
        on_delete=models.CASCADE,
        related_name="focal_activities",
    )
    description = models.TextField(_("description"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    translation_source = translation_source_field(*translated_fields)

    objects = FocalActivityQuerySet.as_manager()

    class Meta:
        ordering = ["work_area__order", "order", "id"]
        verbose_name = _("focal activity")
        verbose_name_plural = _("focal activities")

    def __str__(self) -> str:
        text = self.description.rstrip(".")
        return text if len(text) <= 90 else f"{text[:87].rstrip()}…"


class OrganizationRole(models.TextChoices):
    ORGANIZER = "organizer", _("Organizer")
    CO_ORGANIZER = "co-organizer", _("Co-organizer")
    HOST = "host", _("Host")
    PARTNER = "partner", _("Partner")
    DONOR = "donor", _("Donor")
    PARTICIPANT = "participant", _("Participant")


class DateRange(Func):
    """PostgreSQL's `daterange(lower, upper, bounds)`."""

    function = "DATERANGE"
    output_field = DateRangeField()


def last_day() -> Coalesce:
    """An activity's last day in SQL (a missing end date means one day): `Activity.last_day`.

    The index "activity_last_day" is on this very expression, so that "still running or
    to come" (`upcoming`) and "over" (`past`) are read from it, in the order of the day.
    """
    return Coalesce("end_date", "start_date")


def period() -> DateRange:
    """The days an activity takes, first and last included, as a range.

    "Running on a day" is then one condition (`period @> day`) that PostgreSQL estimates
    well from the statistics of the GiST index on it ("activity_period"); the same test
    written on the two dates is estimated thirty times too high at scale, and the planner
    then walks the start-date index through every past activity.
    """
    return DateRange(
        "start_date", last_day(), RangeBoundary(inclusive_lower=True, inclusive_upper=True)
    )


# The long text of an activity, which lists, cards and the calendar do not show.
LIST_DEFERRED = ("body", "outcomes", "search_vector")


class ActivityQuerySet(TranslatableQuerySet, ListedQuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        """The one rule for who sees which activity: members-only ones need a member or staff."""
        return self.filter(members_may_see(user))

    def upcoming(self, today: datetime.date) -> ActivityQuerySet:
        """Still running or to come on `today`, and not cancelled."""
        return (
            self.alias(last_day=last_day())
            .filter(last_day__gte=today)
            .exclude(status=Activity.Status.CANCELLED)
        )

    def past(self, today: datetime.date) -> ActivityQuerySet:
        return self.alias(last_day=last_day()).filter(last_day__lt=today)

    def running_on(self, day: datetime.date) -> ActivityQuerySet:
        """Activities that started on or before `day` and end on or after it."""
        return self.alias(period=period()).filter(period__contains=day)

    def soonest_first(self, today: datetime.date) -> ActivityQuerySet:
        """Upcoming activities in the order they come: those running, then by start date.

        The same order as by start date alone (running ones started before `today`),
        but its leading key matches no index: PostgreSQL then reads the few upcoming
        rows from the last-day index instead of walking the start-date index through
        every past activity in search of them.
        """
        not_started = ExpressionWrapper(Q(start_date__gt=today), output_field=BooleanField())
        return self.order_by(not_started, "start_date", "title")

    def next_up(self, today: datetime.date, count: int) -> ActivityQuerySet:
        """The first `count` upcoming activities by start date, in one cheap query.

        A union of the activities running on `today` (found through the period index)
        and of those starting later (through the start-date index, stopping after
        `count`): each part is read from its own index, and the few rows merged.
        The rows themselves are then read by key from that union's few ids, so that the
        queryset's reading (the reader's language, `.translated()`) applies to them.
        """
        order = ("start_date", "title")
        later = self.filter(start_date__gt=today).exclude(status=Activity.Status.CANCELLED)
        running = self.running_on(today).exclude(status=Activity.Status.CANCELLED)
        first = (
            running.order_by(*order)
            .values("pk")[:count]
            .union(later.order_by(*order).values("pk")[:count], all=True)
        )
        return self.filter(pk__in=first).order_by(*order)[:count]

    def overlapping(self, start: datetime.date, end: datetime.date) -> ActivityQuerySet:
        """Activities that took place, at least in part, between two dates (inclusive)."""
        return self.alias(last_day=last_day()).filter(start_date__lte=end, last_day__gte=start)

    def in_country(self, country: Country, user=None) -> ActivityQuerySet:
        """Held in a country, or with that country among the participants (every visitor
        may see both: `user` is for the lists' country filter, shared with practices)."""
        participated = Activity.participating_countries.through.objects.filter(
            activity_id=OuterRef("pk"), country_id=country.pk
        )
        return self.filter(Q(country=country) | Exists(participated))

    def with_organization(self, organization: Organization) -> ActivityQuerySet:
        return self.filter(
            Exists(
                ActivityOrganization.objects.filter(
                    activity_id=OuterRef("pk"), organization_id=organization.pk
                )
            )
        )

    def for_list(self) -> ActivityQuerySet:
        """A queryset optimized for activity lists: one query per page.

        The cards show neither the body nor the outcomes: those (and the search vector)
        stay in the database. Each activity and its work area read in the reader's
        language where a translation is published (in the same query).
        """
        return (
            self.select_related("work_area", "country")
            .defer(*LIST_DEFERRED)
            .translated(related=("work_area",))
        )

    def for_detail(self) -> ActivityQuerySet:
        """The page: the activity, its work area, focal activities and GBF targets in the
        reader's language where translated."""
        # knowledge.GbfTarget, reached through the field: knowledge imports this module.
        gbf_target = self.model._meta.get_field("gbf_targets").related_model
        return (
            self.select_related("work_area", "country")
            .prefetch_related(
                Prefetch("focal_activities", queryset=FocalActivity.objects.translated()),
                "participating_countries",
                Prefetch("gbf_targets", queryset=gbf_target.objects.translated()),
                "documents",
                Prefetch(
                    "organization_roles",
                    queryset=ActivityOrganization.objects.select_related("organization").order_by(
                        "role", "organization__name"
                    ),
                ),
            )
            .translated(related=("work_area",))
        )

    def for_event(self) -> ActivityQuerySet:
        """Calendar events: the title and summary in the reader's language where they can."""
        return self.select_related("country").defer(*LIST_DEFERRED).translated()

    def for_calendar(self) -> ActivityQuerySet:
        """The feed's events: those not cancelled."""
        return self.for_event().exclude(status=Activity.Status.CANCELLED)


@reversion.register(
    follow=["organization_roles", "documents"], exclude=["search_vector", "translation_source"]
)
class Activity(Translatable, VersionedModel):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        WORKSHOP = "workshop", _("Workshop")
        TECHNICAL_WORKSHOP = "technical-workshop", _("Technical workshop")
        FORUM = "forum", _("Forum")
        STEERING_COMMITTEE = "steering-committee", _("Steering committee meeting")
        WEBINAR = "webinar", _("Webinar")
        EXCHANGE_VISIT = "exchange-visit", _("Exchange visit")
        DIALOGUE = "dialogue", _("Dialogue")
        STUDY = "study", _("Study")
        POLICY_INTERVENTION = "policy-intervention", _("Policy intervention")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    # How much of the dates is known (shared with memberships: apap_portal.dates).
    DatePrecision = DatePrecision

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    work_area = models.ForeignKey(
        WorkArea,
        verbose_name=_("work area"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    focal_activities = models.ManyToManyField(
        FocalActivity,
        verbose_name=_("focal activities"),
        related_name="activities",
        blank=True,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave blank for a one-day activity.")
    )
    date_precision = date_precision_field(
        _("dates known to"),
        help_text=_(
            "When only the month or year is known, give its first day as start "
            "(and its last as end)."
        ),
    )
    is_online = models.BooleanField(_("online"), default=False)
    city = models.CharField(_("city or place"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities_held",
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizers and partners"),
        through="ActivityOrganization",
        related_name="activities",
        blank=True,
    )
    participating_countries = models.ManyToManyField(
        Country,
        verbose_name=_("participating countries"),
        related_name="activities_participated",
        blank=True,
    )
    participants_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences, shown in lists.")
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    outcomes = models.TextField(_("outcomes"), blank=True, help_text=_("Markdown."))
    cover_image = PictureField(
        _("cover image"),
        upload_to="activities/%Y/",
        blank=True,
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widths=pictures.COVER_WIDTHS,
    )
    cover_image_alt = pictures.alt_field(_("cover image description"))
    cover_image_credit = pictures.credit_field()
    cover_image_licence = pictures.licence_field()
    cover_image_width = pictures.dimension_field(_("cover image width"))
    cover_image_height = pictures.dimension_field(_("cover image height"))
    gbf_targets = models.ManyToManyField(
        "knowledge.GbfTarget",
        verbose_name=_("GBF targets"),
        related_name="activities",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = search_vector_field(
        ("title", "A"), ("summary", "B"), ("body", "C"), ("outcomes", "C"), ("city", "D")
    )
    translated_fields = ("title", "summary", "body", "outcomes", "cover_image_alt")
    translation_source = translation_source_field(*translated_fields)
    # Where a search result's snippet comes from, in this order (apap_portal.fulltext.snippets).
    search_snippet_fields = ("summary", "body", "outcomes", "city")

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # The list's order for every audience. What the common filters (visibility,
            # year, past, country) and the keys of a page need rides along: counts and
            # the keys of deep pages come from the index alone.
            models.Index(
                fields=["-start_date", "title"],
                include=["visibility", "end_date", "country", "id"],
                name="activity_listed",
            ),
            # The same for the lists of a work area and of a kind.
            models.Index(
                fields=["work_area", "-start_date", "title"],
                include=["visibility", "id"],
                name="activity_work_area_listed",
            ),
            models.Index(
                fields=["kind", "-start_date", "title"],
                include=["visibility", "id"],
                name="activity_kind_listed",
            ),
            # Upcoming activities (their list, the calendar); the columns of the list's
            # order and filters ride along, so that its pages are found in the index.
            models.Index(
                last_day(),
                include=["start_date", "end_date", "title", "visibility", "status", "id"],
                name="activity_last_day",
            ),
            # The activities running on a day (the home page's first upcoming ones).
            GistIndex(period(), name="activity_period"),
            GinIndex(fields=["search_vector"], name="activity_search"),
            GinIndex(OpClass("title", name="gin_trgm_ops"), name="activity_title_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if not self.is_online and not self.country_id and not self.city:
            raise ValidationError(
                {"country": _("Give the place (city and country), or mark it as online.")}
            )
        pictures.require_alt(self, "cover_image")

    @property
    def cover(self) -> pictures.Picture:
        """The cover image, or a panel in the work area's tint (lists load the area)."""
        return pictures.picture_of(
            self, "cover_image", widths=pictures.COVER_WIDTHS, tint=self.work_area.slug,
            icon="activity",
        )  # fmt: skip

    @property
    def last_day(self) -> datetime.date:
        return self.end_date or self.start_date

    @property
    def place(self) -> str:
        if self.is_online:
            return str(_("Online"))
        parts = [self.city, self.country.name if self.country_id else ""]
        return ", ".join(part for part in parts if part)

    def dates_label(self) -> str:
        """The dates as people write them: "13–17 November 2013", "November 2014", "2017–2018"."""
        return dates_label(self.start_date, self.last_day, self.date_precision)

    def organizations_in_role(self, *roles: str) -> list[Organization]:
        """Organizations in the given roles, from the prefetched roles of `for_detail()`."""
        return [link.organization for link in self.organization_roles.all() if link.role in roles]


@reversion.register()
class ActivityOrganization(models.Model):
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="organization_roles",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="activity_roles",
    )
    role = models.CharField(_("role"), max_length=16, choices=OrganizationRole.choices)

    class Meta:
        ordering = ["role", "organization__name"]
        verbose_name = _("organizer or partner")
        verbose_name_plural = _("organizers and partners")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organization", "role"],
                name="activity_organization_role_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_role_display()}"


class ActivityDocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityDocumentQuerySet:
        """A document is seen by whoever may see its activity."""
        return self.filter(activity__in=Activity.objects.visible_to(user))

    def members_only(self) -> ActivityDocumentQuerySet:
        return self.filter(activity__in=Activity.objects.members_only())


@reversion.register()
class ActivityDocument(AttachedDocument):
    """An agenda, report or presentation of an activity: an uploaded file or a link."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="documents"
    )
    file = DocumentField(
        _("file"),
        upload_to="activities/documents/%Y/",
        blank=True,
        original_name_field="file_name",
        help_text=_("PDF or office document, at most 25 MB."),
    )

    objects = ActivityDocumentQuerySet.as_manager()


currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. USD."))


class FundingProposalQuerySet(models.QuerySet):
    def for_pipeline(self) -> FundingProposalQuerySet:
        """A queryset optimized for the staff pipeline page."""
        return self.select_related("lead_organization", "donor").prefetch_related("countries")


@reversion.register()
class FundingProposal(VersionedModel):
    """A proposal for a transboundary or regional project. Staff only."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        DRAFTING = "drafting", _("Drafting")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IN_IMPLEMENTATION = "in-implementation", _("In implementation")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=255)
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        related_name="led_proposals",
    )
    partner_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("partner organizations"),
        related_name="partner_proposals",
        blank=True,
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="funding_proposals", blank=True
    )
    donor = models.ForeignKey(
        Organization,
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_proposals",
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[currency_code]
    )
    amount_requested = models.DecimalField(
        _("amount requested"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_awarded = models.DecimalField(
        _("amount awarded"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEA
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    start_date = models.DateField(_("project start"), null=True, blank=True)
    end_date = models.DateField(_("project end"), null=True, blank=True)
    related_activities = models.ManyToManyField(
        Activity,
        verbose_name=_("related activities"),
        related_name="funding_proposals",
        blank=True,
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    notes = models.TextField(_("internal notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FundingProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("funding proposal")
        verbose_name_plural = _("funding proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gte=0),
                name="funding_requested_not_negative",
                violation_error_message=_("The amount requested cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gte=0),
                name="funding_awarded_not_negative",
                violation_error_message=_("The amount awarded cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="funding_project_ends_after_it_starts",
                violation_error_message=_("The project cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


# Translations (apap_portal.translations): each record's text in the site's other languages.


@reversion.register()
class WorkAreaTranslation(Translation):
    original = translation_of(WorkArea)
    name = WorkArea.translated_copy("name")
    summary = WorkArea.translated_copy("summary")
    description = WorkArea.translated_copy("description")

    class Meta(Translation.Meta):
        verbose_name = _("work area translation")
        verbose_name_plural = _("work area translations")


@reversion.register()
class FocalActivityTranslation(Translation):
    original = translation_of(FocalActivity)
    description = FocalActivity.translated_copy("description")

    class Meta(Translation.Meta):
        verbose_name = _("focal activity translation")
        verbose_name_plural = _("focal activity translations")


@reversion.register(exclude=["search_vector"])
class ActivityTranslation(Translation):
    original = translation_of(Activity)
    title = Activity.translated_copy("title")
    summary = Activity.translated_copy("summary")
    body = Activity.translated_copy("body")
    outcomes = Activity.translated_copy("outcomes")
    cover_image_alt = Activity.translated_copy("cover_image_alt")
    search_vector = search_vector_field(
        ("title", "A"),
        ("summary", "B"),
        ("body", "C"),
        ("outcomes", "C"),
        language_field="language",
    )

    class Meta(Translation.Meta):
        verbose_name = _("activity translation")
        verbose_name_plural = _("activity translations")
        indexes = search_indexes("activitytranslation")

"""The secretariat's calls to members (nominations, submissions…), their deadlines and the
members' responses.

A call's text is public: anyone may read what the secretariat asks and until when. Answering
it needs a member account (a user linked to an organization) and, when the call is for the
members of chosen countries, an organization of one of those countries (`eligible_for`).

A deadline is an instant (stored in UTC), set by the secretariat in a time zone of its
choosing (`time_zone`, an IANA name): pages show it in that zone with its offset, so that a
member in Ulaanbaatar and one in Hanoi read the same "17:00 (Asia/Bangkok, UTC+7)".
"""

from __future__ import annotations

import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, WorkArea
from apap_portal.editing.locking import VersionedModel
from apap_portal.fulltext.search import search_indexes, search_vector_field
from apap_portal.translations.models import (
    Translatable,
    Translation,
    translation_of,
    translation_source_field,
)
from apap_portal.translations.queries import TranslatableQuerySet
from apap_portal.uploads import AttachedDocument, DocumentField
from members.models import Country, ListedQuerySet, Organization


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA time zone name ("Asia/Bangkok"), as the tz database spells it."""
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone name. Use one such as Asia/Bangkok or Asia/Kolkata."),
            code="time_zone",
            params={"value": value},
        )


def default_time_zone() -> str:
    """The secretariat's own zone (Bangkok): the zone a new call's dates are given in."""
    return settings.TIME_ZONE


def offset_label(moment: datetime.datetime) -> str:
    """A moment's offset from UTC as people write it: "UTC+7", "UTC+5:30", "UTC-3", "UTC"."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


class CallQuerySet(TranslatableQuerySet, ListedQuerySet):
    def published(self) -> CallQuerySet:
        return self.filter(status=Call.Status.PUBLISHED)

    def visible_to(self, user) -> CallQuerySet:
        """The one rule for who sees which call: the published ones, whoever asks (a call's
        text is public; answering it is for members); staff see drafts too."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def members_only(self) -> CallQuerySet:
        return self.none()  # no call is hidden from the public once published

    def open(self, now: datetime.datetime) -> CallQuerySet:
        """Calls that can be answered at `now`: opened, and their deadline still ahead."""
        return self.filter(opens_at__lte=now, deadline__gt=now)

    def not_closed(self, now: datetime.datetime) -> CallQuerySet:
        """Open calls and those announced but not opened yet."""
        return self.filter(deadline__gt=now)

    def past(self, now: datetime.datetime) -> CallQuerySet:
        return self.filter(deadline__lte=now)

    def open_first(self, now: datetime.datetime) -> CallQuerySet:
        """The list's order: calls not closed yet, nearest deadline first; then the closed
        ones, the most recently closed first."""
        closed = Case(When(deadline__lte=now, then=Value(1)), default=Value(0))
        coming = Case(When(deadline__gt=now, then=F("deadline")))
        return self.order_by(closed, coming.asc(nulls_last=True), F("deadline").desc(), "pk")

    def eligible_for(self, user) -> CallQuerySet:
        """Calls `user` may answer (whatever the dates): a member of any organization for a
        call to all members; for a call to chosen countries, one whose organization is in
        one of them. Staff without an organization answer nothing: they ask."""
        if not user.is_authenticated or user.organization_id is None:
            return self.none()
        in_country = Call.countries.through.objects.filter(
            call_id=OuterRef("pk"), country__organizations=user.organization_id
        )
        return self.filter(Q(eligibility=Call.Eligibility.ALL_MEMBERS) | Exists(in_country))

    def answerable_by(self, user, now: datetime.datetime) -> CallQuerySet:
        """The open, published calls `user` may answer now, the nearest deadline first."""
        return self.published().open(now).eligible_for(user).order_by("deadline", "pk")

    def with_response_of(self, user) -> CallQuerySet:
        """Annotate `responded`: whether `user` has answered the call."""
        responses = CallResponse.objects.filter(call_id=OuterRef("pk"), user_id=user.pk)
        return self.annotate(responded=Exists(responses))

    def reminder_due(self, now: datetime.datetime, days: int | None = None) -> CallQuerySet:
        """Published open calls whose deadline falls within `days` (CALL_REMINDER_DAYS) of
        `now`: those whose reminder is due, whether sent already or not."""
        days = settings.CALL_REMINDER_DAYS if days is None else days
        return self.published().open(now).filter(deadline__lte=now + datetime.timedelta(days=days))

    def nearest_deadline(self, now: datetime.datetime) -> Call | None:
        """The published open call that closes first (the home page's)."""
        return self.published().open(now).for_event().order_by("deadline", "pk").first()

    # Pages read calls in the reader's language where a translation is published.
    def for_event(self) -> CallQuerySet:
        """A call as a deadline (the calendar, home, /my/): one query, without the body."""
        return (
            self.select_related("work_area")
            .defer("body", "search_vector")
            .translated(related=("work_area",))
        )

    def for_list(self) -> CallQuerySet:
        """A queryset optimized for the list's cards: the calls, then the countries they
        are for (two queries a page)."""
        return self.for_event().prefetch_related(
            Prefetch("countries", queryset=Country.objects.order_by("name"))
        )

    def for_detail(self) -> CallQuerySet:
        """The page: the call, its work area and activity, the countries it is for, its
        documents (three queries)."""
        return (
            self.select_related("work_area", "activity")
            .defer("search_vector")
            .prefetch_related(
                Prefetch("countries", queryset=Country.objects.order_by("name")),
                "documents",
            )
            .translated(related=("work_area",))
        )


@reversion.register(follow=["documents"], exclude=["search_vector", "translation_source"])
class Call(Translatable, VersionedModel):
    class Kind(models.TextChoices):
        NOMINATION = "nomination", _("Nomination")
        SUBMISSION = "submission", _("Submission")
        EXPRESSION_OF_INTEREST = "expression-of-interest", _("Expression of interest")
        SURVEY = "survey", _("Survey")
        OTHER = "other", _("Other")

    class Eligibility(models.TextChoices):
        ALL_MEMBERS = "all", _("All members")
        COUNTRIES = "countries", _("Members of the chosen countries")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences, shown in lists.")
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    opens_at = models.DateTimeField(
        _("opens"), help_text=_("In the time zone below: when members may start responding.")
    )
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("In the time zone below: responses close at this time.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("The IANA name of the zone the dates are given in, e.g. Asia/Bangkok."),
    )
    eligibility = models.CharField(
        _("who may respond"),
        max_length=12,
        choices=Eligibility.choices,
        default=Eligibility.ALL_MEMBERS,
    )
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries"),
        related_name="calls",
        blank=True,
        help_text=_("For a call to the members of chosen countries: those countries."),
    )
    work_area = models.ForeignKey(
        WorkArea,
        verbose_name=_("work area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("related activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    translated_fields = ("title", "summary", "body")
    translation_source = translation_source_field(*translated_fields)
    # The site-wide search finds calls (search.views.KINDS) like the other public records.
    search_vector = search_vector_field(("title", "A"), ("summary", "B"), ("body", "C"))
    # Where a search result's snippet comes from, in this order (apap_portal.fulltext.snippets).
    search_snippet_fields = ("summary", "body")

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "title"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            models.Index(fields=["status", "deadline"], name="call_status_deadline"),
            *search_indexes("call"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=F("opens_at")),
                name="call_deadline_after_opening",
                violation_error_message=_("The deadline must come after the opening."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:call_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.deadline and self.deadline <= self.opens_at:
            raise ValidationError({"deadline": _("The deadline must come after the opening.")})

    # The dates as the secretariat set them: in the call's own zone, with its offset.

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)

    def moment_label(self, moment: datetime.datetime) -> str:
        """E.g. "15 January 2027, 17:00 (Asia/Bangkok, UTC+7)", in the language's formats."""
        local = moment.astimezone(self.zone)
        return gettext("%(date)s, %(time)s (%(zone)s, %(offset)s)") % {
            "date": date_format(local, "DATE_FORMAT"),
            "time": time_format(local, "H:i"),
            "zone": self.time_zone,
            "offset": offset_label(local),
        }

    def deadline_label(self) -> str:
        return self.moment_label(self.deadline)

    def opens_label(self) -> str:
        return self.moment_label(self.opens_at)

    def is_open(self, now: datetime.datetime) -> bool:
        return self.opens_at <= now < self.deadline

    def is_closed(self, now: datetime.datetime) -> bool:
        return self.deadline <= now

    def time_left(self, now: datetime.datetime) -> str:
        """ "closes in 2 days, 4 hours", "closed 3 days ago", "opens in 5 days"."""
        if now < self.opens_at:
            return gettext("opens in %(time)s") % {"time": timeuntil(self.opens_at, now)}
        if now < self.deadline:
            return gettext("closes in %(time)s") % {"time": timeuntil(self.deadline, now)}
        return gettext("closed %(time)s ago") % {"time": timesince(self.deadline, now)}


class CallDocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CallDocumentQuerySet:
        """A document is seen by whoever may see its call."""
        return self.filter(call__in=Call.objects.visible_to(user))

    def members_only(self) -> CallDocumentQuerySet:
        return self.none()


@reversion.register()
class CallDocument(AttachedDocument):
    """A form to fill in, terms of reference, a template: an uploaded file or a link."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="documents"
    )
    file = DocumentField(
        _("file"),
        upload_to="calls/documents/%Y/",
        blank=True,
        original_name_field="file_name",
        help_text=_("PDF or office document, at most 25 MB."),
    )

    objects = CallDocumentQuerySet.as_manager()


class CallResponseQuerySet(models.QuerySet):
    def for_admin(self) -> CallResponseQuerySet:
        return self.select_related("call", "user", "organization")

    def for_export(self) -> CallResponseQuerySet:
        """The CSV's rows: each response with its call, responder and attachments' names."""
        return self.for_admin().prefetch_related("attachments").order_by("call", "created_at")


@reversion.register(follow=["attachments"])
class CallResponse(VersionedModel):
    """A member's answer to a call: a text and attachments, editable until the deadline."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.PROTECT,
        related_name="call_responses",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="call_responses",
        help_text=_("The responder's organization when they responded."),
    )
    text = models.TextField(_("response"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="call_response_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.call}"

    @property
    def attachment_names(self) -> list[str]:
        """The files' names as uploaded (the CSV export's column; `for_export` prefetches)."""
        return [attachment.file_name for attachment in self.attachments.all()]


class CallResponseAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CallResponseAttachmentQuerySet:
        """An attachment is seen by its responder and by staff who may read responses."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff and user.has_perm("calls.view_callresponse"):
            return self.all()
        return self.filter(response__user=user)

    def members_only(self) -> CallResponseAttachmentQuerySet:
        return self.none()


@reversion.register()
class CallResponseAttachment(models.Model):
    response = models.ForeignKey(
        CallResponse,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = DocumentField(
        _("file"),
        upload_to="calls/responses/%Y/",
        original_name_field="file_name",
        help_text=_("PDF or office document, at most 25 MB."),
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = CallResponseAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file_name or self.file.name


class CallReminder(models.Model):
    """That a call's reminder went out, for the deadline it then had: sent once, even when
    the sending runs every few minutes; a deadline moved later gets a reminder of its own."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="reminders"
    )
    deadline = models.DateTimeField(_("deadline reminded of"))
    sent_at = models.DateTimeField(_("sent"))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["call", "deadline"], name="call_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.sent_at:%Y-%m-%d %H:%M}"


@reversion.register(exclude=["search_vector"])
class CallTranslation(Translation):
    original = translation_of(Call)
    title = Call.translated_copy("title")
    summary = Call.translated_copy("summary")
    body = Call.translated_copy("body")
    search_vector = search_vector_field(
        ("title", "A"), ("summary", "B"), ("body", "C"), language_field="language"
    )

    class Meta(Translation.Meta):
        verbose_name = _("call translation")
        verbose_name_plural = _("call translations")
        indexes = search_indexes("calltranslation")

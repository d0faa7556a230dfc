"""The knowledge library: best practices, resources and stories, and what they are tagged with."""

from __future__ import annotations

import datetime

import reversion
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apap_portal import pictures
from apap_portal.editing.locking import VersionedModel
from apap_portal.fulltext.search import search_indexes, search_vector_field
from apap_portal.translations.models import (
    Translatable,
    Translation,
    translation_of,
    translation_source_field,
)
from apap_portal.translations.queries import TranslatableQuerySet
from apap_portal.uploads import DocumentField, PictureField
from members.models import (
    Country,
    ListedQuerySet,
    Organization,
    ProtectedArea,
    Visibility,
    members_may_see,
    related_visibility,
)


class Language(models.TextChoices):
    """The language a record is written in (content stays in its own language)."""

    ENGLISH = "en", _("English")
    VIETNAMESE = "vi", _("Vietnamese")
    THAI = "th", _("Thai")
    CHINESE = "zh", _("Chinese")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    MONGOLIAN = "mn", _("Mongolian")
    KHMER = "km", _("Khmer")
    LAO = "lo", _("Lao")
    MALAY = "ms", _("Malay")
    INDONESIAN = "id", _("Indonesian")
    BURMESE = "my", _("Burmese")
    HINDI = "hi", _("Hindi")
    BENGALI = "bn", _("Bengali")
    NEPALI = "ne", _("Nepali")
    SINHALA = "si", _("Sinhala")
    DZONGKHA = "dz", _("Dzongkha")
    URDU = "ur", _("Urdu")
    DHIVEHI = "dv", _("Dhivehi")
    RUSSIAN = "ru", _("Russian")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


@reversion.register(exclude=["translation_source"])
class GbfTarget(Translatable, models.Model):
    """One of the 23 targets of the Kunming-Montreal Global Biodiversity Framework."""

    translated_fields = ("short_title",)

    code = models.CharField(_("code"), max_length=16, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_title = models.CharField(_("short title"), max_length=255)
    translation_source = translation_source_field(*translated_fields)

    objects = TranslatableQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("GBF target")
        verbose_name_plural = _("GBF targets")

    def __str__(self) -> str:
        return f"{self.number}. {self.short_title}"

    def get_absolute_url(self) -> str:
        return f"{reverse('activities:activity_list')}?gbf_target={self.number}"


class Taxonomy(Translatable, models.Model):
    """An editable list of tags: themes, ecosystems, challenges."""

    translated_fields = ("name", "description")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    translation_source = translation_source_field(*translated_fields)

    objects = TranslatableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


@reversion.register(exclude=["translation_source"])
class Theme(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


@reversion.register(exclude=["translation_source"])
class Ecosystem(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("ecosystem")
        verbose_name_plural = _("ecosystems")


@reversion.register(exclude=["translation_source"])
class Challenge(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")


class BestPracticeQuerySet(TranslatableQuerySet, ListedQuerySet):
    def published(self) -> BestPracticeQuerySet:
        return self.filter(status=BestPractice.Status.PUBLISHED)

    def visible_to(self, user) -> BestPracticeQuerySet:
        """The one rule for who sees which best practice.

        Published and public: everyone. Published and members-only: members and staff.
        Drafts, submissions and archived items: staff, and members of their organization.
        """
        if user.is_authenticated and user.is_staff:
            return self.all()
        published = Q(status=BestPractice.Status.PUBLISHED) & members_may_see(user)
        if user.is_authenticated and user.organization_id:
            return self.filter(published | Q(organization_id=user.organization_id))
        return self.filter(published)

    def editable_by(self, user) -> BestPracticeQuerySet:
        """What a member may edit: their organization's drafts and items sent back to them."""
        if not (user.is_authenticated and user.organization_id):
            return self.none()
        return self.filter(
            organization_id=user.organization_id, status__in=BestPractice.EDITABLE_STATUSES
        )

    def waiting_for_review(self) -> BestPracticeQuerySet:
        """Submitted and not yet reviewed, the longest-waiting first, with who sent each:
        the secretariat's review queue and its count on the admin home."""
        return (
            self.filter(status=BestPractice.Status.SUBMITTED)
            .select_related("organization", "submitted_by")
            .order_by("submitted_at", "pk")
        )

    def featured(self) -> BestPracticeQuerySet:
        """Chosen by the secretariat for the home page."""
        return self.filter(is_featured=True)

    def in_country(self, country: Country | int, user=None) -> BestPracticeQuerySet:
        """Tagged with a country, or told of a protected area in it that `user` may see
        (the public, when no user is given): each practice once."""
        country_id = getattr(country, "pk", country)
        tagged = BestPractice.countries.through.objects.filter(
            bestpractice_id=OuterRef("pk"), country_id=country_id
        )
        area = Q(protected_area__country_id=country_id) & self.area_seen_by(user)
        return self.filter(Exists(tagged) | area)

    def area_seen_by(self, user) -> Q:
        """That the practice's protected area is one `user` (or the public) may see."""
        return related_visibility(BestPractice, "protected_area", user or AnonymousUser())

    def for_list(self, user) -> BestPracticeQuerySet:
        """A queryset optimized for best-practice lists: one query per page.

        `shows_protected_area` says whether a card may name the practice's area (and its
        country): only when `user` may see the area itself.
        """
        condition = self.area_seen_by(user)
        shown = ExpressionWrapper(condition, BooleanField()) if condition else Value(True)
        return (
            self.select_related("protected_area__country", "organization")
            .defer("context", "challenge_description", "impacts", "lessons_learned")
            .annotate(shows_protected_area=shown)
            .translated()
        )

    def for_detail(self) -> BestPracticeQuerySet:
        """The practice in the reader's language, its blocks and tags too.

        A block's translation carries the language and status of the practice's translation
        it belongs to, so the blocks read by the same rule show the translation exactly when
        the practice does (a block not yet translated shows its original).
        """
        return (
            self.select_related("protected_area__country", "organization", "submitted_by")
            .prefetch_related(
                Prefetch("building_blocks", BuildingBlock.objects.translated()),
                "countries",
                Prefetch("themes", Theme.objects.translated()),
                Prefetch("ecosystems", Ecosystem.objects.translated()),
                Prefetch("challenges", Challenge.objects.translated()),
                Prefetch("gbf_targets", GbfTarget.objects.translated()),
            )
            .translated()
        )


@reversion.register(follow=["building_blocks"], exclude=["search_vector", "translation_source"])
class BestPractice(Translatable, VersionedModel):
    """A solution that worked in a protected area, told so that others can adapt it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # What its organization's members may still edit and send for review.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    summary = models.TextField(
        _("summary"), help_text=_("Two or three sentences: what was done, where, with what result.")
    )
    context = models.TextField(
        _("context"), blank=True, help_text=_("The place and the situation. Markdown.")
    )
    challenge_description = models.TextField(
        _("challenges addressed"), blank=True, help_text=_("What problem it solved. Markdown.")
    )
    impacts = models.TextField(
        _("impacts"), blank=True, help_text=_("What changed, for nature and people. Markdown.")
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True, help_text=_("Markdown."))
    protected_area = models.ForeignKey(
        ProtectedArea,
        verbose_name=_("protected area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="best_practices",
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="best_practices", blank=True
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="best_practices", blank=True
    )
    ecosystems = models.ManyToManyField(
        Ecosystem, verbose_name=_("ecosystems"), related_name="best_practices", blank=True
    )
    challenges = models.ManyToManyField(
        Challenge, verbose_name=_("challenges"), related_name="best_practices", blank=True
    )
    gbf_targets = models.ManyToManyField(
        GbfTarget, verbose_name=_("GBF targets"), related_name="best_practices", blank=True
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    cover_image = PictureField(
        _("cover image"),
        upload_to="best-practices/%Y/",
        blank=True,
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widths=pictures.COVER_WIDTHS,
    )
    cover_image_alt = pictures.alt_field(_("cover image description"))
    cover_image_credit = pictures.credit_field()
    cover_image_licence = pictures.licence_field()
    cover_image_width = pictures.dimension_field(_("cover image width"))
    cover_image_height = pictures.dimension_field(_("cover image height"))
    contributors = models.CharField(
        _("contributors"), max_length=500, blank=True, help_text=_("Names, comma-separated.")
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="best_practices",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_best_practices",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    review_message = models.TextField(
        _("message from the reviewer"),
        blank=True,
        help_text=_("The latest changes the secretariat asked for."),
    )
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    translated_fields = (
        "title",
        "summary",
        "context",
        "challenge_description",
        "impacts",
        "lessons_learned",
        "cover_image_alt",
    )
    translation_source = translation_source_field(*translated_fields)
    # Rows are indexed in the configuration of their language (apap_portal.fulltext.search).
    search_language_field = "language"
    search_vector = search_vector_field(
        ("title", "A"),
        ("summary", "B"),
        ("context", "C"),
        ("challenge_description", "C"),
        ("impacts", "C"),
        ("lessons_learned", "D"),
        language_field=search_language_field,
    )
    # Where a search result's snippet comes from, in this order (apap_portal.fulltext.snippets).
    search_snippet_fields = (
        "summary",
        "context",
        "challenge_description",
        "impacts",
        "lessons_learned",
    )

    objects = BestPracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")
        indexes = [
            GinIndex(fields=["search_vector"], name="bestpractice_search"),
            GinIndex(OpClass("title", name="gin_trgm_ops"), name="bestpractice_title_trgm"),
            # The list's order for every audience; visibility, id and the protected area
            # ride along so that counts, the keys of deep pages and the figures by country
            # (in_numbers.figures) come from the index alone.
            models.Index(
                fields=["status", "-published_at", "-created_at"],
                include=["visibility", "id", "protected_area"],
                name="bestpractice_listed",
            ),
            models.Index(fields=["organization", "status"]),
            # The API's order (api/views.py), newest first, ties by id: its cursor pages
            # read an index instead of sorting every published practice.
            models.Index(fields=["-created_at", "id"], name="bestpractice_api_order"),
            # The home page's featured practices, newest first: a few hundred rows.
            models.Index(
                fields=["-published_at", "-created_at"],
                condition=Q(is_featured=True),
                name="bestpractice_featured",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:bestpractice_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        super().clean()
        pictures.require_alt(self, "cover_image")

    @property
    def cover(self) -> pictures.Picture:
        """The cover image, or a panel of the knowledge work area's tint with a leaf."""
        return pictures.picture_of(
            self, "cover_image", widths=pictures.COVER_WIDTHS, tint="knowledge-capacity",
            icon="practice",
        )  # fmt: skip


@reversion.register(exclude=["translation_source"])
class BuildingBlock(Translatable, models.Model):
    """One reusable component of a best practice, in the order it is told."""

    translated_fields = ("title", "description", "enabling_factors", "lessons_learned")

    best_practice = models.ForeignKey(
        BestPractice,
        verbose_name=_("best practice"),
        on_delete=models.CASCADE,
        related_name="building_blocks",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), help_text=_("Markdown."))
    enabling_factors = models.TextField(
        _("enabling factors"),
        blank=True,
        help_text=_("What had to be in place for it to work. Markdown."),
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True, help_text=_("Markdown."))
    translation_source = translation_source_field(*translated_fields)

    objects = TranslatableQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("building block")
        verbose_name_plural = _("building blocks")

    def __str__(self) -> str:
        return self.title

    @property
    def original_language(self) -> str:
        """The practice's: a block is written in the language of the practice it belongs to."""
        return self.best_practice.original_language


class ResourceQuerySet(TranslatableQuerySet, ListedQuerySet):
    def visible_to(self, user) -> ResourceQuerySet:
        """The one rule for who sees which resource."""
        return self.filter(members_may_see(user))

    def for_list(self) -> ResourceQuerySet:
        return self.select_related("translation_of").translated()

    def for_detail(self) -> ResourceQuerySet:
        # Its title and summary in the reader's language (`translations`); the other
        # editions of the publication (`editions`) are not prefetched here: each has its
        # own visibility (see the view).
        return (
            self.select_related("translation_of", "work_area")
            .prefetch_related(
                Prefetch("themes", Theme.objects.translated()),
                Prefetch("gbf_targets", GbfTarget.objects.translated()),
            )
            .translated(related=("work_area",))
        )


@reversion.register(exclude=["search_vector", "translation_source"])
class Resource(Translatable, VersionedModel):
    """Guidance and publications: guidelines, studies, policy briefs, toolkits…"""

    class Kind(models.TextChoices):
        GUIDELINE = "guideline", _("Guideline")
        STUDY = "study", _("Study")
        POLICY_BRIEF = "policy-brief", _("Policy brief")
        TOOLKIT = "toolkit", _("Toolkit")
        TRAINING_MATERIAL = "training-material", _("Training material")
        PROCEEDINGS = "proceedings", _("Proceedings")
        NEWSLETTER = "newsletter", _("Newsletter")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="editions",
        help_text=_("The original, when this is a translation."),
    )
    file = DocumentField(
        _("file"),
        upload_to="resources/%Y/",
        blank=True,
        original_name_field="file_name",
        help_text=_("PDF or office document, at most 25 MB."),
    )
    file_name = models.CharField(
        _("file name"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The name the file was uploaded under, which downloads are given."),
    )
    url = models.URLField(_("link"), blank=True, max_length=500)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="resources", blank=True
    )
    gbf_targets = models.ManyToManyField(
        GbfTarget, verbose_name=_("GBF targets"), related_name="resources", blank=True
    )
    work_area = models.ForeignKey(
        "activities.WorkArea",
        verbose_name=_("work area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The title and summary are translated here; a translated edition of the publication
    # itself (another file) is a Resource of its own (`translation_of`).
    translated_fields = ("title", "summary")
    translation_source = translation_source_field(*translated_fields)
    search_language_field = "language"
    search_vector = search_vector_field(
        ("title", "A"),
        ("authors", "B"),
        ("publisher", "C"),
        ("summary", "B"),
        language_field=search_language_field,
    )
    # Where a search result's snippet comes from, in this order (apap_portal.fulltext.snippets).
    search_snippet_fields = ("summary", "authors", "publisher")

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            GinIndex(fields=["search_vector"], name="resource_search"),
            GinIndex(OpClass("title", name="gin_trgm_ops"), name="resource_title_trgm"),
            models.Index(fields=["visibility", "-year"]),
            # The API's order (api/views.py), by title, ties by id.
            models.Index(fields=["title", "id"], name="resource_api_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="resource_has_file_or_link",
                violation_error_message=_("Upload a file or give a link."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:resource_detail", kwargs={"slug": self.slug})


class StoryQuerySet(TranslatableQuerySet, ListedQuerySet):
    def published(self) -> StoryQuerySet:
        """Stories whose publication time has come, to the minute.

        A story scheduled for 10:00:30 is out from 10:00:00: the clock is read to the next
        whole minute, so this query's SQL — a cache key for searches and counts
        (`apap_portal.caching.cached`) — changes once a minute, not each time.
        """
        now = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
        return self.filter(published_at__isnull=False, published_at__lt=now)

    def visible_to(self, user) -> StoryQuerySet:
        """The one rule for who sees which story: published ones; staff see drafts too.

        The story list shows staff what they may see (to check a story before it is out);
        every other list shows what is out (`listed_for`).
        """
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published().filter(members_may_see(user))

    # Lists and pages read stories in the reader's language (apap_portal.translations).
    def for_list(self) -> StoryQuerySet:
        return self.select_related("work_area").defer("body").translated(related=("work_area",))

    def for_detail(self) -> StoryQuerySet:
        return self.select_related("work_area", "related_activity").translated(
            related=("work_area",)
        )


@reversion.register(exclude=["search_vector", "translation_source"])
class Story(Translatable, VersionedModel):
    """Public awareness: news, features and advocacy statements."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        FEATURE = "feature", _("Feature")
        STATEMENT = "statement", _("Advocacy statement")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    lead = models.TextField(_("lead"), help_text=_("The opening paragraph, shown in lists."))
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    image = PictureField(
        _("image"),
        upload_to="stories/%Y/",
        blank=True,
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widths=pictures.COVER_WIDTHS,
    )
    image_alt = pictures.alt_field()
    image_credit = pictures.credit_field()
    image_licence = pictures.licence_field()
    image_width = pictures.dimension_field(_("image width"))
    image_height = pictures.dimension_field(_("image height"))
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    work_area = models.ForeignKey(
        "activities.WorkArea",
        verbose_name=_("work area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    related_activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("related activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    published_at = models.DateTimeField(
        _("published"), null=True, blank=True, help_text=_("Leave blank to keep it a draft.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    translated_fields = ("title", "lead", "body", "image_alt")
    translation_source = translation_source_field(*translated_fields)
    search_language_field = "language"
    search_vector = search_vector_field(
        ("title", "A"), ("lead", "B"), ("body", "C"), language_field=search_language_field
    )
    # Where a search result's snippet comes from, in this order (apap_portal.fulltext.snippets).
    search_snippet_fields = ("lead", "body")

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            GinIndex(fields=["search_vector"], name="story_search"),
            GinIndex(OpClass("title", name="gin_trgm_ops"), name="story_title_trgm"),
            models.Index(fields=["visibility", "-published_at"]),
            # The latest stories of every audience (members see members-only ones too).
            models.Index(fields=["-published_at", "-created_at"], name="story_latest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:story_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        pictures.require_alt(self, "image")

    @property
    def cover(self) -> pictures.Picture:
        """The story's image, or a panel in its work area's tint (lists load the area)."""
        tint = self.work_area.slug if self.work_area_id else "default"
        return pictures.picture_of(
            self, "image", widths=pictures.COVER_WIDTHS, tint=tint, icon="story"
        )


def validate_hero_link(value: str) -> None:
    """A page of the portal ("/stories/…") or an address on the web (http or https).

    "//host" and "/\\host" are other sites to a browser, not pages of the portal."""
    if value.startswith("/") and not value.startswith(("//", "/\\")):
        return
    URLValidator(schemes=["http", "https"], message=_(
        "Give a page of the portal (starting with /) or a web address (https://…)."
    ))(value)  # fmt: skip


class HomeHeroQuerySet(models.QuerySet):
    def active(self) -> HomeHeroQuerySet:
        return self.filter(is_active=True)

    def current(self) -> HomeHero | None:
        """The picture the home page shows: the newest active one."""
        return self.active().order_by("-created_at", "-pk").first()

    def visible_to(self, user) -> HomeHeroQuerySet:
        """Active pictures are public; staff see the others too (to check one before)."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.active()

    def members_only(self) -> HomeHeroQuerySet:
        return self.none()


@reversion.register()
class HomeHero(models.Model):
    """The home page's picture, chosen by the secretariat; the newest active one is shown."""

    title = models.CharField(
        _("title"), max_length=200, help_text=_("For the secretariat: which picture this is.")
    )
    image = PictureField(
        _("image"),
        upload_to="home/%Y/",
        help_text=_("JPEG, PNG or WebP, at most 5 MB; a wide picture, at least 1920 pixels."),
        widths=pictures.HERO_WIDTHS,
    )
    image_alt = pictures.alt_field()
    image_credit = pictures.credit_field()
    image_licence = pictures.licence_field()
    image_width = pictures.dimension_field(_("image width"))
    image_height = pictures.dimension_field(_("image height"))
    link = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_hero_link],
        help_text=_("Optional: the page the picture leads to, e.g. /stories/…/."),
    )
    link_text = models.CharField(
        _("link text"),
        max_length=120,
        blank=True,
        help_text=_("What the link says, e.g. “Read the story”. Needed with a link."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("The newest active picture is the one shown.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HomeHeroQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("home page picture")
        verbose_name_plural = _("home page pictures")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = pictures.alt_errors(self, "image")
        if self.link and not self.link_text.strip():
            message = _("Say what the link leads to.")
            errors["link_text"] = ValidationError(message, code="link_text_required")
        if errors:
            raise ValidationError(errors)

    @property
    def picture(self) -> pictures.Picture:
        return pictures.picture_of(self, "image", widths=pictures.HERO_WIDTHS)


# Translations (apap_portal.translations): each record's text in the site's other languages.


@reversion.register(exclude=["search_vector"])
class StoryTranslation(Translation):
    original = translation_of(Story)
    title = Story.translated_copy("title")
    lead = Story.translated_copy("lead")
    body = Story.translated_copy("body")
    image_alt = Story.translated_copy("image_alt")
    search_vector = search_vector_field(
        ("title", "A"), ("lead", "B"), ("body", "C"), language_field="language"
    )

    class Meta(Translation.Meta):
        verbose_name = _("story translation")
        verbose_name_plural = _("story translations")
        indexes = search_indexes("storytranslation")


@reversion.register(follow=["building_blocks"], exclude=["search_vector"])
class BestPracticeTranslation(Translation):
    original = translation_of(BestPractice)
    title = BestPractice.translated_copy("title")
    summary = BestPractice.translated_copy("summary")
    context = BestPractice.translated_copy("context")
    challenge_description = BestPractice.translated_copy("challenge_description")
    impacts = BestPractice.translated_copy("impacts")
    lessons_learned = BestPractice.translated_copy("lessons_learned")
    cover_image_alt = BestPractice.translated_copy("cover_image_alt")
    search_vector = search_vector_field(
        ("title", "A"),
        ("summary", "B"),
        ("context", "C"),
        ("challenge_description", "C"),
        ("impacts", "C"),
        ("lessons_learned", "D"),
        language_field="language",
    )

    class Meta(Translation.Meta):
        verbose_name = _("best practice translation")
        verbose_name_plural = _("best practice translations")
        indexes = search_indexes("bptranslation")

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Its blocks are shown exactly when it is: they carry its language and status.
        self.building_blocks.update(language=self.language, status=self.status)


@reversion.register()
class BuildingBlockTranslation(models.Model):
    """A building block in the language of the practice's translation it belongs to.

    It is shown when that translation is: its language and status are the translation's,
    copied here on every save so that blocks are read by the same rule as any record.
    """

    practice_translation = models.ForeignKey(
        BestPracticeTranslation,
        verbose_name=_("best practice translation"),
        on_delete=models.CASCADE,
        related_name="building_blocks",
    )
    original = translation_of(BuildingBlock)
    language = models.CharField(_("language"), max_length=8, editable=False)
    status = models.CharField(_("status"), max_length=10, editable=False)
    source_digest = models.CharField(
        _("original's digest"), max_length=32, blank=True, editable=False
    )
    title = BuildingBlock.translated_copy("title")
    description = BuildingBlock.translated_copy("description")
    enabling_factors = BuildingBlock.translated_copy("enabling_factors")
    lessons_learned = BuildingBlock.translated_copy("lessons_learned")

    class Meta:
        ordering = ["original__order", "original_id"]
        verbose_name = _("building block translation")
        verbose_name_plural = _("building block translations")
        constraints = [
            models.UniqueConstraint(
                fields=["original", "language"], name="buildingblocktranslation_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.language = self.practice_translation.language
        self.status = self.practice_translation.status
        super().save(*args, **kwargs)


@reversion.register(exclude=["search_vector"])
class ResourceTranslation(Translation):
    original = translation_of(Resource)
    title = Resource.translated_copy("title")
    summary = Resource.translated_copy("summary")
    search_vector = search_vector_field(("title", "A"), ("summary", "B"), language_field="language")

    class Meta(Translation.Meta):
        verbose_name = _("resource translation")
        verbose_name_plural = _("resource translations")
        indexes = search_indexes("rtranslation")


@reversion.register()
class GbfTargetTranslation(Translation):
    original = translation_of(GbfTarget)
    short_title = GbfTarget.translated_copy("short_title")

    class Meta(Translation.Meta):
        verbose_name = _("GBF target translation")
        verbose_name_plural = _("GBF target translations")


class TaxonomyTranslation(Translation):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta(Translation.Meta):
        abstract = True


@reversion.register()
class ThemeTranslation(TaxonomyTranslation):
    original = translation_of(Theme)

    class Meta(TaxonomyTranslation.Meta):
        verbose_name = _("theme translation")
        verbose_name_plural = _("theme translations")


@reversion.register()
class EcosystemTranslation(TaxonomyTranslation):
    original = translation_of(Ecosystem)

    class Meta(TaxonomyTranslation.Meta):
        verbose_name = _("ecosystem translation")
        verbose_name_plural = _("ecosystem translations")


@reversion.register()
class ChallengeTranslation(TaxonomyTranslation):
    original = translation_of(Challenge)

    class Meta(TaxonomyTranslation.Meta):
        verbose_name = _("challenge translation")
        verbose_name_plural = _("challenge translations")

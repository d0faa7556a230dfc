from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from apap_portal.editing.admin import (
    MarkdownPreviewMixin,
    ReviewQueueFilter,
    export_as_csv,
    truncated_column,
)
from apap_portal.editing.locking import VersionCheckedAdmin
from apap_portal.translations.admin import (
    PartTranslationInline,
    TranslatedOriginalAdmin,
    TranslationAdmin,
)
from knowledge.forms import RequestChangesForm
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
    ResourceTranslation,
    Story,
    StoryTranslation,
    Theme,
)
from knowledge.services import (
    REVIEWABLE_STATUSES,
    best_practice_publish,
    best_practice_request_changes,
)
from members.models import ProfileChange

REVIEW_ACTION_LOCATIONS = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
CHANGE_FORM_ACTION_FIELD = f"{admin.ActionLocation.CHANGE_FORM.value}-action"


@admin.register(GbfTarget)
class GbfTargetAdmin(TranslatedOriginalAdmin, VersionAdmin):
    translations_inline = True

    list_display = ["number", "code", "short_title"]
    list_display_links = ["number", "code"]
    list_editable = ["short_title"]
    search_fields = ["code", "short_title", "=number"]


@admin.register(Theme, Ecosystem, Challenge)
class TaxonomyAdmin(TranslatedOriginalAdmin, VersionAdmin):
    translations_inline = True

    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class BuildingBlockInline(MarkdownPreviewMixin, admin.StackedInline):
    model = BuildingBlock
    extra = 0
    fields = ["order", "title", "description", "enabling_factors", "lessons_learned"]
    markdown_fields = ("description", "enabling_factors", "lessons_learned")


@admin.register(BestPractice)
class BestPracticeAdmin(
    TranslatedOriginalAdmin, MarkdownPreviewMixin, VersionCheckedAdmin, VersionAdmin
):
    # A translation is out of date too when a block changed or has no translation.
    translated_parts = ("building_blocks",)
    # What the secretariat sorts and reads by, within 1280 px beside the filters; who
    # submitted is on the review queue, visibility and language are filters.
    list_display = [
        truncated_column("title", _("title")),
        truncated_column("organization__name", _("organization")),
        "status",
        "submitted_on",
        "published_on",
    ]
    list_filter = [
        ReviewQueueFilter,
        "status",
        "visibility",
        "is_featured",
        "language",
        "themes",
        "ecosystems",
    ]
    list_select_related = ["organization", "submitted_by"]
    search_fields = ["title", "summary", "organization__name", "protected_area__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "protected_area",
        "countries",
        "themes",
        "ecosystems",
        "challenges",
        "gbf_targets",
        "organization",
    ]
    # Who submitted is a fact of the workflow, not something to edit (nor to look up:
    # searching users is for managers only).
    readonly_fields = ["submitted_by", "submitted_at", "published_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    # reversion's list (its "Recover deleted" button), with a link to the review queue.
    change_list_template = "admin/knowledge/bestpractice/change_list.html"
    inlines = [BuildingBlockInline]
    markdown_fields = ("summary", "context", "challenge_description", "impacts", "lessons_learned")
    # In the order of a review: who sent what and where it stands, then the text as the
    # page shows it, then its tags; the record's own dates last, folded.
    fieldsets = [
        (_("Review and publishing"), {"fields": [("status", "visibility", "is_featured"),
                                                 ("organization", "submitted_by"),
                                                 ("submitted_at", "published_at"),
                                                 "review_message"]}),
        (_("The best practice"), {"fields": ["title", ("slug", "language"), "summary",
                                             ("cover_image", "cover_image_alt"),
                                             ("cover_image_credit", "cover_image_licence"),
                                             "contributors"]}),
        (_("Its story"), {"fields": ["context", "challenge_description", "impacts",
                                     "lessons_learned"]}),
        (_("Where and what"), {"fields": ["protected_area", "countries", "themes", "ecosystems",
                                          "challenges", "gbf_targets"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]  # fmt: skip
    actions = [
        export_as_csv(
            [
                ("Title", "title"),
                ("Organization", "organization__name"),
                ("Status", "status"),
                ("Visibility", "visibility"),
                ("Language", "language"),
                ("Published", "published_at"),
            ]
        ),
        "publish_selected",
        "request_changes",
    ]

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_on(self, obj):
        return timezone.localdate(obj.submitted_at) if obj.submitted_at else None

    @admin.display(description=_("published"), ordering="published_at")
    def published_on(self, obj):
        return timezone.localdate(obj.published_at) if obj.published_at else None

    def get_ordering(self, request):
        # In the review queue, the longest-waiting submission comes first.
        if request.GET.get(ReviewQueueFilter.parameter_name):
            return ["submitted_at", "pk"]
        return super().get_ordering(request)

    # The review queue: its own page, a button per submission for each decision

    def get_urls(self):
        def name(step: str) -> str:
            return f"{self.opts.app_label}_{self.opts.model_name}_{step}"

        view = self.admin_site.admin_view
        return [
            path("review/", view(self.review_queue_view), name=name("review")),
            path(
                "review/<int:pk>/publish/",
                view(self.review_publish_view),
                name=name("review_publish"),
            ),
            path(
                "review/<int:pk>/request-changes/",
                view(self.review_request_changes_view),
                name=name("review_request_changes"),
            ),
            *super().get_urls(),
        ]

    def _review_queue_url(self) -> str:
        return reverse(f"{self.admin_site.name}:knowledge_bestpractice_review")

    def _check_review_permission(self, request) -> None:
        # The review actions need the change permission; so does their page.
        if not self.has_change_permission(request):
            raise PermissionDenied

    def _one(self, request, pk: int):
        """The best practice a row's button acts on, as the queryset an action takes."""
        queryset = self.get_queryset(request).filter(pk=pk)
        if not queryset.exists():
            raise Http404
        return queryset

    def review_queue_view(self, request):
        """Submissions waiting for review, the longest-waiting first."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        self._check_review_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queue"),
            "opts": self.opts,
            "waiting": list(BestPractice.objects.waiting_for_review()),
            "sent_back_count": BestPractice.objects.filter(
                status=BestPractice.Status.CHANGES_REQUESTED
            ).count(),
            # Members' changes to their organization's profile wait beside the practices.
            "profile_changes": (
                list(ProfileChange.objects.waiting_for_review())
                if request.user.has_perm("members.change_profilechange")
                else None
            ),
        }
        return TemplateResponse(request, "admin/knowledge/bestpractice/review_queue.html", context)

    def review_publish_view(self, request, pk: int):
        """A row's Publish button: the Publish action, on that one best practice."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._check_review_permission(request)
        self.publish_selected(request, self._one(request, pk))
        return redirect(self._review_queue_url())

    def review_request_changes_view(self, request, pk: int):
        """A row's Request changes button: the action's page asks for the message, then
        sends it; both steps post here, and the reviewer comes back to the queue."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._check_review_permission(request)
        response = self.request_changes(request, self._one(request, pk))
        if response is None:
            return redirect(self._review_queue_url())
        response.context_data["return_url"] = self._review_queue_url()
        return response

    def _reviewable(self, queryset):
        """The selected items a reviewer may act on, locked against a concurrent review."""
        return queryset.filter(status__in=REVIEWABLE_STATUSES).select_for_update(of=("self",))

    @admin.action(
        description=_("Publish this best practice"),
        description_plural=_("Publish selected best practices"),
        permissions=["change"],
        location=REVIEW_ACTION_LOCATIONS,
    )
    def publish_selected(self, request, queryset):
        base_url = request.build_absolute_uri("/")
        with transaction.atomic():
            reviewable = list(self._reviewable(queryset).select_related("submitted_by"))
            for best_practice in reviewable:
                best_practice_publish(best_practice, request.user, base_url=base_url)
                self.log_change(request, best_practice, "Published; the submitter was emailed.")
        self._report(
            request,
            queryset,
            len(reviewable),
            ngettext(
                "%(count)d best practice published; its submitter is emailed.",
                "%(count)d best practices published; their submitters are emailed.",
                len(reviewable),
            ),
        )

    @admin.action(
        description=_("Request changes to this best practice…"),
        description_plural=_("Request changes to selected best practices…"),
        permissions=["change"],
        location=REVIEW_ACTION_LOCATIONS,
    )
    def request_changes(self, request, queryset):
        """An intermediate page asks for the message; confirming sends it to each submitter."""
        form = RequestChangesForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            base_url = request.build_absolute_uri("/")
            with transaction.atomic():
                reviewable = list(self._reviewable(queryset).select_related("submitted_by"))
                for best_practice in reviewable:
                    best_practice_request_changes(
                        best_practice,
                        request.user,
                        form.cleaned_data["message"],
                        base_url=base_url,
                    )
                    self.log_change(
                        request, best_practice, "Changes requested; the submitter was emailed."
                    )
            self._report(
                request,
                queryset,
                len(reviewable),
                ngettext(
                    "Changes requested to %(count)d best practice; its submitter is emailed.",
                    "Changes requested to %(count)d best practices; their submitters are emailed.",
                    len(reviewable),
                ),
            )
            return None
        selected = list(queryset.select_related("organization"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Request changes"),
            "opts": self.opts,
            "form": form,
            "selected": selected,
            "reviewable_statuses": REVIEWABLE_STATUSES,
            "has_reviewable": any(obj.status in REVIEWABLE_STATUSES for obj in selected),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            # The change form prefixes its action field; the changelist does not.
            "action_field_name": (
                CHANGE_FORM_ACTION_FIELD if CHANGE_FORM_ACTION_FIELD in request.POST else "action"
            ),
        }
        return TemplateResponse(
            request, "admin/knowledge/bestpractice/request_changes.html", context
        )

    def _report(self, request, queryset, done: int, done_message: str) -> None:
        skipped = queryset.count() - done
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected best practice was skipped: only submitted or sent-back "
                    "ones are reviewed.",
                    "%(count)d selected best practices were skipped: only submitted or sent-back "
                    "ones are reviewed.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(Resource)
class ResourceAdmin(
    TranslatedOriginalAdmin, MarkdownPreviewMixin, VersionCheckedAdmin, VersionAdmin
):
    list_display = [
        truncated_column("title", _("title")),
        "kind",
        "language",
        "year",
        "translation_of",
        "visibility",
    ]
    markdown_fields = ("summary",)
    list_filter = ["kind", "language", "visibility", "year", "work_area"]
    list_select_related = ["translation_of"]
    search_fields = ["title", "authors", "publisher", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["translation_of", "themes", "gbf_targets"]


@admin.register(Story)
class StoryAdmin(TranslatedOriginalAdmin, MarkdownPreviewMixin, VersionCheckedAdmin, VersionAdmin):
    list_display = [
        truncated_column("title", _("title")),
        "kind",
        "work_area",
        "language",
        "visibility",
        "published_at",
    ]
    markdown_fields = ("body",)
    list_filter = ["kind", "work_area", "language", "visibility"]
    list_select_related = ["work_area"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_activity"]
    date_hierarchy = "published_at"


# Translations, side by side with their originals (apap_portal.translations.admin)


@admin.register(StoryTranslation)
class StoryTranslationAdmin(TranslationAdmin, VersionAdmin):
    search_fields = ["title", "original__title"]
    markdown_fields = ("body",)


class BuildingBlockTranslationInline(PartTranslationInline):
    model = BuildingBlockTranslation
    fk_name = "practice_translation"
    fields = ["original", "title", "description", "enabling_factors", "lessons_learned"]
    markdown_fields = ("description", "enabling_factors", "lessons_learned")


@admin.register(BestPracticeTranslation)
class BestPracticeTranslationAdmin(TranslationAdmin, VersionAdmin):
    translated_parts = ("building_blocks",)
    search_fields = ["title", "original__title"]
    markdown_fields = ("summary", "context", "challenge_description", "impacts", "lessons_learned")
    inlines = [BuildingBlockTranslationInline]


@admin.register(ResourceTranslation)
class ResourceTranslationAdmin(TranslationAdmin, VersionAdmin):
    search_fields = ["title", "original__title"]
    markdown_fields = ("summary",)


@admin.register(HomeHero)
class HomeHeroAdmin(VersionAdmin):
    """The home page's picture: the newest active one is shown, the others wait or rest."""

    list_display = ["title", "is_active", "image_credit", "image_licence", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["title", "image_alt", "image_credit"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["title", "is_active"]}),
        (_("Picture"), {"fields": ["image", "image_alt", "image_credit", "image_licence"]}),
        (_("Link"), {"fields": ["link", "link_text"]}),
        (_("Created and updated"), {"fields": ["created_at", "updated_at"]}),
    ]

import reversion
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from activities.models import (
    Activity,
    ActivityDocument,
    ActivityOrganization,
    ActivityTranslation,
    FocalActivity,
    FundingProposal,
    WorkArea,
)
from apap_portal.editing.admin import MarkdownPreviewMixin, export_as_csv, truncated_column
from apap_portal.editing.history import revision
from apap_portal.editing.locking import VersionCheckedAdmin
from apap_portal.slugs import unique_slug
from apap_portal.translations.admin import TranslatedOriginalAdmin, TranslationAdmin


class FocalActivityInline(admin.TabularInline):
    model = FocalActivity
    extra = 0
    fields = ["order", "description"]


@admin.register(WorkArea)
class WorkAreaAdmin(TranslatedOriginalAdmin, VersionAdmin):
    translations_inline = True

    list_display = ["name", "slug", "order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FocalActivityInline]


@admin.register(FocalActivity)
class FocalActivityAdmin(TranslatedOriginalAdmin, VersionAdmin):
    translations_inline = True

    list_display = ["__str__", "work_area", "order"]
    list_filter = ["work_area"]
    list_select_related = ["work_area"]
    search_fields = ["description", "work_area__name"]


class ActivityOrganizationInline(admin.TabularInline):
    model = ActivityOrganization
    extra = 1
    autocomplete_fields = ["organization"]
    verbose_name = _("organizer or partner")
    verbose_name_plural = _("organizers and partners, with their role")


class ActivityDocumentInline(admin.TabularInline):
    model = ActivityDocument
    extra = 0
    fields = ["title", "file", "url", "order"]


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Activity.objects.dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(start_date__year=int(self.value()))
        return queryset


def duplicate_activity(original: Activity) -> Activity:
    """A planned copy of an activity, with its tags, organizers and partners (not documents)."""
    copy = Activity.objects.get(pk=original.pk)
    copy.pk = None
    copy._state.adding = True
    copy.title = _("Copy of %(title)s") % {"title": original.title}
    copy.slug = unique_slug(
        f"{original.slug}-copy",
        Activity.objects.all(),
        max_length=Activity._meta.get_field("slug").max_length,
        fallback="activity-copy",
    )
    copy.status = Activity.Status.PLANNED
    copy.version = 1
    copy.save()
    copy.focal_activities.set(original.focal_activities.all())
    copy.participating_countries.set(original.participating_countries.all())
    copy.gbf_targets.set(original.gbf_targets.all())
    ActivityOrganization.objects.bulk_create(
        ActivityOrganization(activity=copy, organization_id=link.organization_id, role=link.role)
        for link in original.organization_roles.all()
    )
    if reversion.is_active():
        # bulk_create() sends no post_save: record the copy again, with its organizers.
        reversion.add_to_revision(copy)
    return copy


ACTIVITY_COLUMNS = [
    ("Title", "title"),
    ("Kind", "kind"),
    ("Work area", "work_area__name"),
    ("Start date", "start_date"),
    ("End date", "end_date"),
    ("Online", "is_online"),
    ("City", "city"),
    ("Country", "country__name"),
    ("Participants", "participants_count"),
    ("Status", "status"),
    ("Visibility", "visibility"),
    ("Summary", "summary"),
]


@admin.register(Activity)
class ActivityAdmin(
    TranslatedOriginalAdmin, MarkdownPreviewMixin, VersionCheckedAdmin, VersionAdmin
):
    # What planning reads by: what, when, where, and whether it is on; within 1280 px
    # beside the filters (work area and visibility are filters).
    list_display = [truncated_column("title", _("title")), "kind", "start_date", "place", "status"]
    list_filter = [
        "work_area",
        "kind",
        "status",
        "visibility",
        YearListFilter,
        ("country", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["work_area", "country"]
    search_fields = ["title", "summary", "city", "country__name", "organizations__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["country", "participating_countries", "gbf_targets"]
    filter_horizontal = ["focal_activities"]
    date_hierarchy = "start_date"
    inlines = [ActivityOrganizationInline, ActivityDocumentInline]
    actions = ["duplicate", export_as_csv(ACTIVITY_COLUMNS)]
    markdown_fields = ("body", "outcomes")
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "work_area", "focal_activities"]}),
        (_("When and where"), {"fields": ["start_date", "end_date", "date_precision",
                                          "is_online", "city", "country"]}),
        (_("Who"), {"fields": ["participating_countries", "participants_count"]}),
        (_("Content"), {"fields": ["summary", "body", "outcomes", "gbf_targets"]}),
        (_("Cover image"), {"fields": ["cover_image", "cover_image_alt", "cover_image_credit",
                                       "cover_image_licence"]}),
        (_("Publishing"), {"fields": ["status", "visibility"]}),
    ]  # fmt: skip

    @admin.display(description=_("place"))
    def place(self, obj):
        return (
            format_html(
                '<span class="apap-truncate apap-truncate--short" title="{}">{}</span>',
                obj.place,
                obj.place,
            )
            if obj.place
            else "—"
        )

    @admin.action(description=_("Duplicate the selected activities as planned copies"))
    def duplicate(self, request, queryset):
        originals = list(queryset)
        titles = ", ".join(f"“{original.title}”" for original in originals)
        comment = (
            f"Planned copy of {titles}." if len(originals) == 1 else f"Planned copies of {titles}."
        )
        with revision(comment, user=request.user):
            copies = [duplicate_activity(original) for original in originals]
        self.message_user(
            request,
            ngettext(
                "Created %(count)d copy, marked as planned.",
                "Created %(count)d copies, marked as planned.",
                len(copies),
            )
            % {"count": len(copies)},
            messages.SUCCESS,
        )
        if len(copies) == 1:
            return redirect("admin:activities_activity_change", copies[0].pk)
        return None


@admin.register(ActivityTranslation)
class ActivityTranslationAdmin(TranslationAdmin, VersionAdmin):
    search_fields = ["title", "original__title"]
    markdown_fields = ("body", "outcomes")


@admin.register(FundingProposal)
class FundingProposalAdmin(MarkdownPreviewMixin, VersionCheckedAdmin, VersionAdmin):
    list_display = [
        "title",
        "lead_organization",
        "donor",
        "status",
        "currency",
        "amount_requested",
        "amount_awarded",
        "submitted_on",
    ]
    list_filter = ["status", "currency", ("countries", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["lead_organization", "donor"]
    search_fields = ["title", "lead_organization__name", "donor__name", "summary"]
    autocomplete_fields = [
        "lead_organization",
        "partner_organizations",
        "donor",
        "countries",
        "related_activities",
    ]
    date_hierarchy = "submitted_on"
    markdown_fields = ("summary",)
    fieldsets = [
        (None, {"fields": ["title", "status", "lead_organization", "partner_organizations",
                           "countries", "donor"]}),
        (_("Money"), {"fields": ["currency", "amount_requested", "amount_awarded"]}),
        (_("Dates"), {"fields": ["submitted_on", "decided_on", "start_date", "end_date"]}),
        (_("Content"), {"fields": ["summary", "related_activities", "notes"]}),
    ]  # fmt: skip
    actions = [
        export_as_csv(
            [
                ("Title", "title"),
                ("Status", "status"),
                ("Lead organization", "lead_organization__name"),
                ("Donor", "donor__name"),
                ("Currency", "currency"),
                ("Amount requested", "amount_requested"),
                ("Amount awarded", "amount_awarded"),
                ("Submitted on", "submitted_on"),
                ("Decided on", "decided_on"),
            ]
        )
    ]

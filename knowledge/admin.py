from django.contrib import admin

from apap_portal.admin_actions import export_as_csv
from knowledge.models import (
    BestPractice,
    BuildingBlock,
    Challenge,
    Ecosystem,
    GbfTarget,
    Resource,
    Story,
    Theme,
)


@admin.register(GbfTarget)
class GbfTargetAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "short_title"]
    list_display_links = ["number", "code"]
    list_editable = ["short_title"]
    search_fields = ["code", "short_title", "=number"]


@admin.register(Theme, Ecosystem, Challenge)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class BuildingBlockInline(admin.StackedInline):
    model = BuildingBlock
    extra = 0
    fields = ["order", "title", "description", "enabling_factors", "lessons_learned"]


@admin.register(BestPractice)
class BestPracticeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organization",
        "status",
        "visibility",
        "language",
        "submitted_at",
        "published_at",
    ]
    list_filter = ["status", "visibility", "is_featured", "language", "themes", "ecosystems"]
    list_select_related = ["organization"]
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
        "submitted_by",
    ]
    readonly_fields = ["submitted_at", "published_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [BuildingBlockInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "language", "cover_image",
                           "cover_image_alt"]}),
        ("Story", {"fields": ["context", "challenge_description", "impacts",
                              "lessons_learned"]}),
        ("Where and what", {"fields": ["protected_area", "countries", "themes", "ecosystems",
                                       "challenges", "gbf_targets"]}),
        ("Who", {"fields": ["organization", "contributors", "submitted_by"]}),
        ("Review and publishing", {"fields": ["status", "visibility", "is_featured",
                                              "review_message", "submitted_at", "published_at",
                                              "created_at", "updated_at"]}),
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
        )
    ]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "year", "translation_of", "visibility"]
    list_filter = ["kind", "language", "visibility", "year", "work_area"]
    list_select_related = ["translation_of"]
    search_fields = ["title", "authors", "publisher", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["translation_of", "themes", "gbf_targets"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "work_area", "language", "visibility", "published_at"]
    list_filter = ["kind", "work_area", "language", "visibility"]
    list_select_related = ["work_area"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_activity"]
    date_hierarchy = "published_at"

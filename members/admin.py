import json

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from apap_portal.editing.admin import export_as_csv
from apap_portal.editing.locking import VersionCheckedAdmin, VersionCheckedForm
from apap_portal.translations.admin import TranslatedOriginalAdmin, TranslationAdmin
from members.forms import TransboundaryAreaAdminForm
from members.models import (
    Country,
    FocalPoint,
    ManagementEffectivenessEvaluation,
    Membership,
    Organization,
    OrganizationTranslation,
    ProtectedArea,
    ProtectedAreaTranslation,
    TransboundaryArea,
    User,
    WdpaImport,
)


@admin.register(Country)
class CountryAdmin(VersionAdmin):
    list_display = ["name", "iso3", "subregion"]
    list_filter = ["subregion"]
    search_fields = ["name", "iso3"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "get_full_name", "organization", "is_staff", "is_active"]
    list_filter = [*BaseUserAdmin.list_filter, "organization__membership__category"]
    list_select_related = ["organization"]
    search_fields = [*BaseUserAdmin.search_fields, "organization__name", "organization__acronym"]
    autocomplete_fields = ["organization"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Member agency"), {"fields": ["organization"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Member agency"), {"fields": ["email", "organization"]}),
    ]

    # Managers run accounts, but only a superuser may hand out superuser status or
    # permissions one by one, or touch a superuser's account: no one raises themselves.
    ESCALATING_FIELDS = ["is_superuser", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.ESCALATING_FIELDS
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    max_num = 1
    fields = [
        "category",
        "status",
        ("joined_on", "joined_on_precision"),
        "letter_of_intent_on",
        "notes",
    ]


DIRECTORY_COLUMNS = [
    ("Name", "name"),
    ("Acronym", "acronym"),
    ("Kind", "kind"),
    ("Country", "country__name"),
    ("ISO3", "country__iso3"),
    ("Subregion", "country__subregion"),
    ("Membership category", "membership__category"),
    ("Membership status", "membership__status"),
    ("Joined on", "membership__joined_on"),
    ("Joining date known to", "membership__joined_on_precision"),
    ("Letter of intent", "membership__letter_of_intent_on"),
    ("Website", "website"),
]


class HasMembershipFilter(admin.SimpleListFilter):
    title = _("APAP membership")
    parameter_name = "member"

    def lookups(self, request, model_admin):
        return [("yes", _("Members")), ("no", _("Partners (not members)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(membership__isnull=False)
        if self.value() == "no":
            return queryset.filter(membership__isnull=True)
        return queryset


@admin.register(Organization)
class OrganizationAdmin(TranslatedOriginalAdmin, VersionCheckedAdmin, VersionAdmin):
    list_display = ["name", "acronym", "kind", "country", "membership_category", "user_count"]
    list_filter = [HasMembershipFilter, "kind", "membership__category", "country__subregion"]
    list_select_related = ["country", "membership"]
    search_fields = ["name", "acronym", "local_name", "country__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    inlines = [MembershipInline]
    actions = [export_as_csv(DIRECTORY_COLUMNS)]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(user_total=Count("users"))

    @admin.display(description=_("membership"), ordering="membership__category")
    def membership_category(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_category_display() if membership else "—"

    @admin.display(description=_("accounts"), ordering="user_total")
    def user_count(self, obj):
        return obj.user_total


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 1
    fields = ["name", "role", "email", "order"]


@admin.register(Membership)
class MembershipAdmin(VersionAdmin):
    list_display = ["organization", "country", "category", "status", "joined"]
    list_filter = ["category", "status", "organization__country__subregion"]
    list_select_related = ["organization__country"]
    search_fields = ["organization__name", "organization__acronym", "focal_points__name"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "joined_on"
    inlines = [FocalPointInline]
    actions = [
        export_as_csv(
            [
                ("Organization", "organization__name"),
                ("Country", "organization__country__name"),
                ("Category", "category"),
                ("Status", "status"),
                ("Joined on", "joined_on"),
                ("Joining date known to", "joined_on_precision"),
                ("Letter of intent", "letter_of_intent_on"),
            ]
        )
    ]

    @admin.display(description=_("country"), ordering="organization__country__name")
    def country(self, obj):
        return obj.organization.country or "—"

    @admin.display(description=_("joined"), ordering="joined_on")
    def joined(self, obj):
        return obj.joined_label or "—"


class EvaluationInline(admin.TabularInline):
    model = ManagementEffectivenessEvaluation
    extra = 0
    fields = ["method", "other_method", "year", "report_url", "notes"]


@admin.register(ProtectedArea)
class ProtectedAreaAdmin(TranslatedOriginalAdmin, VersionCheckedAdmin, VersionAdmin):
    list_display = [
        "name",
        "country",
        "wdpa_id",
        "designation",
        "site_type",
        "iucn_category",
        "realm",
        "reported_area_km2",
        "visibility",
    ]
    list_filter = [
        "country__subregion",
        "site_type",
        "iucn_category",
        "realm",
        "governance_type",
        "green_list_status",
        "visibility",
        # "No date": in the WDPA; "Has date": no longer listed by the last import.
        "missing_from_wdpa_since",
    ]
    list_select_related = ["country"]
    search_fields = ["name", "original_name", "=wdpa_id", "designation", "country__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "countries", "management_authority"]
    fieldsets = [
        (None, {"fields": ["name", "original_name", "slug", "country", "countries", "visibility"]}),
        (
            _("WDPA record"),
            {
                "fields": [
                    "wdpa_id",
                    "site_type",
                    "designation",
                    "designation_type",
                    "iucn_category",
                    "governance_type",
                    "realm",
                    "status",
                    "status_year",
                    "reported_area_km2",
                    "reported_marine_area_km2",
                    "gis_area_km2",
                    "management_authority",
                    "management_authority_name",
                    "missing_from_wdpa_since",
                ]
            },
        ),
        # The boundary comes from the WDPA import; the admin shows whether there is one
        # and links to it (a map widget would need a script from outside our static files).
        (_("Location"), {"fields": ["latitude", "longitude", "boundary_link"]}),
        (_("Description"), {"fields": ["description"]}),
        (
            _("IUCN Green List"),
            {
                "fields": [
                    "green_list_status",
                    ("green_listed_on", "green_list_expires_on"),
                    "green_list_url",
                ]
            },
        ),
    ]
    readonly_fields = ["boundary_link", "missing_from_wdpa_since"]
    inlines = [EvaluationInline]

    @admin.display(description=_("boundary"))
    def boundary_link(self, area: ProtectedArea) -> str:
        if area.pk is None or area.boundary is None:
            return _("None (from the WDPA import only)")
        url = reverse("members:protectedarea_boundary", kwargs={"slug": area.slug})
        return format_html(
            '<a href="{}">{}</a> ({})',
            url,
            _("GeoJSON"),
            _("%(count)s points") % {"count": area.boundary.num_points},
        )

    actions = [
        export_as_csv(
            [
                ("WDPAID", "wdpa_id"),
                ("Site type", "site_type"),
                ("Name", "name"),
                ("Original name", "original_name"),
                ("ISO3", "country__iso3"),
                ("Designation", "designation"),
                ("IUCN category", "iucn_category"),
                ("Governance", "governance_type"),
                ("Realm", "realm"),
                ("Reported area km2", "reported_area_km2"),
                ("Latitude", "latitude"),
                ("Longitude", "longitude"),
                ("Green List status", "green_list_status"),
                ("Green Listed on", "green_listed_on"),
                ("Green List expiry", "green_list_expires_on"),
            ]
        )
    ]


@admin.register(OrganizationTranslation)
class OrganizationTranslationAdmin(TranslationAdmin, VersionAdmin):
    search_fields = ["description", "original__name", "original__acronym"]


@admin.register(ProtectedAreaTranslation)
class ProtectedAreaTranslationAdmin(TranslationAdmin, VersionAdmin):
    search_fields = ["description", "original__name", "original__original_name"]


class TransboundaryAreaForm(VersionCheckedForm, TransboundaryAreaAdminForm):
    """The admin form of transboundary areas, refusing to save over a newer version."""


@admin.register(TransboundaryArea)
class TransboundaryAreaAdmin(VersionCheckedAdmin, VersionAdmin):
    form = TransboundaryAreaForm
    list_display = ["name", "area_count"]
    search_fields = ["name", "protected_areas__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["protected_areas"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(area_total=Count("protected_areas"))

    @admin.display(description=_("protected areas"), ordering="area_total")
    def area_count(self, obj):
        return obj.area_total


@admin.register(WdpaImport)
class WdpaImportAdmin(admin.ModelAdmin):
    """The record of each WDPA import: read only, written by `manage.py import_wdpa`."""

    list_display = [
        "file_name",
        "started_at",
        "imported_by",
        "records_read",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "missing",
        "returned",
    ]
    list_select_related = ["imported_by"]
    search_fields = ["file_name"]
    date_hierarchy = "started_at"
    fields = [
        "file_name",
        ("started_at", "finished_at"),
        "imported_by",
        ("records_read", "created", "updated", "unchanged", "skipped", "missing", "returned"),
        "changes_shown",
    ]
    readonly_fields = [
        name for entry in fields for name in (entry if isinstance(entry, tuple) else [entry])
    ]

    @admin.display(description=_("what changed since the last import"))
    def changes_shown(self, record: WdpaImport):
        return format_html(
            "<p>{}</p><pre>{}</pre>",
            _("At most %(count)s of each kind are kept; the counts above are complete.")
            % {"count": WdpaImport.CHANGES_KEPT},
            json.dumps(record.changes, indent=2, ensure_ascii=False),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

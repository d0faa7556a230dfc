import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.db.models import Case, Count, When
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from apap_portal.editing.admin import ReviewQueueFilter, export_as_csv
from apap_portal.editing.locking import VersionCheckedAdmin, VersionCheckedForm
from apap_portal.translations.admin import TranslatedOriginalAdmin, TranslationAdmin
from members.forms import TransboundaryAreaAdminForm
from members.models import (
    AccountRequest,
    Country,
    FocalPoint,
    ManagementEffectivenessEvaluation,
    Membership,
    Organization,
    OrganizationTranslation,
    ProfileChange,
    ProposedFocalPoint,
    ProtectedArea,
    ProtectedAreaTranslation,
    TransboundaryArea,
    User,
    WdpaImport,
)
from members.services import (
    REVIEWABLE_STATUSES as REVIEWABLE_PROFILE_STATUSES,
)
from members.services import (
    AccountRequestRefused,
    account_request_approve,
    account_request_decline,
    profile_change_decline,
    profile_change_publish,
    profile_change_request_changes,
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


# Members serving themselves: account requests and profile changes


REVIEW_ACTION_LOCATIONS = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
CHANGE_FORM_ACTION_FIELD = f"{admin.ActionLocation.CHANGE_FORM.value}-action"


class ReviewMessageForm(forms.Form):
    """The reviewer's message to the submitters of the selected profile changes."""

    message = forms.CharField(
        label=_("Message to the submitter"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("It is emailed."),
        error_messages={"required": _("Write your message.")},
    )


@admin.register(AccountRequest)
class AccountRequestAdmin(VersionAdmin):
    """Requests for an account, pending first: approve (creates the account) or decline.

    Staff may correct a new organization's name, kind and country before approving.
    """

    list_display = [
        "name",
        "email",
        "organization_column",
        "role",
        "status",
        "created_at",
        "reviewed_by",
    ]
    list_filter = ["status", "organization__country", "new_organization_country", "created_at"]
    list_select_related = ["organization", "new_organization_country", "reviewed_by"]
    search_fields = ["name", "email", "organization__name", "new_organization_name", "role"]
    autocomplete_fields = ["organization", "new_organization_country"]
    readonly_fields = ["status", "user", "reviewed_by", "reviewed_at", "created_at"]
    date_hierarchy = "created_at"
    fieldsets = [
        (_("The request"), {"fields": ["status", ("name", "email"), "role", "message"]}),
        (
            _("Organization"),
            {
                "fields": [
                    "organization",
                    ("new_organization_name", "new_organization_kind"),
                    "new_organization_country",
                ],
                "description": _(
                    "An organization of the list, or a new one created on approval: correct its "
                    "name, kind and country first if needed."
                ),
            },
        ),
        (
            _("Decision"),
            {"fields": ["decline_reason", "user", ("reviewed_by", "reviewed_at"), "created_at"]},
        ),
    ]
    actions = ["approve_selected", "decline_selected"]

    def get_ordering(self, request):
        return [Case(When(status=AccountRequest.Status.PENDING, then=0), default=1), "-created_at"]

    @admin.display(description=_("organization"), ordering="organization__name")
    def organization_column(self, obj):
        label = obj.organization_label
        return label if obj.organization_id else format_html("{} <em>({})</em>", label, _("new"))

    def _save_what_the_page_shows(self, request, queryset) -> bool:
        """From a request's page, its buttons first keep what staff typed there (a corrected
        organization, a reason for declining): a button does not submit the form otherwise.
        Whether the step may go on (from the list, always)."""
        if CHANGE_FORM_ACTION_FIELD not in request.POST:
            return True
        account_request = queryset.get()
        form_class = self.get_form(request, account_request, change=True)
        form = form_class(request.POST, instance=account_request)
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[name].label if name in form.fields else ''}: {' '.join(messages_)}"
                for name, messages_ in form.errors.items()
            )
            self.message_user(
                request,
                _("Nothing was done; correct the request first: %s") % errors,
                messages.ERROR,
            )
            return False
        if form.has_changed():
            self.save_model(request, form.save(commit=False), form, change=True)
            self.log_change(
                request, account_request, self.construct_change_message(request, form, [])
            )
        return True

    @admin.action(
        description=_("Approve this request"),
        description_plural=_("Approve selected requests"),
        permissions=["change"],
        location=REVIEW_ACTION_LOCATIONS,
    )
    def approve_selected(self, request, queryset):
        if not self._save_what_the_page_shows(request, queryset):
            return
        base_url = request.build_absolute_uri("/")
        approved = 0
        for account_request in queryset:
            try:
                user = account_request_approve(account_request, request.user, base_url=base_url)
            except AccountRequestRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                continue
            approved += 1
            self.log_change(request, account_request, f"Approved; account {user.username}.")
        if approved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request approved: the account is made and emailed a link to "
                    "choose a password.",
                    "%(count)d requests approved: the accounts are made and emailed a link to "
                    "choose a password.",
                    approved,
                )
                % {"count": approved},
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Decline this request"),
        description_plural=_("Decline selected requests"),
        permissions=["change"],
        location=REVIEW_ACTION_LOCATIONS,
    )
    def decline_selected(self, request, queryset):
        """Declines with each request's own reason (written in its page), if any."""
        if not self._save_what_the_page_shows(request, queryset):
            return
        declined = 0
        for account_request in queryset:
            if account_request_decline(
                account_request, request.user, account_request.decline_reason
            ):
                declined += 1
                self.log_change(request, account_request, "Declined; the requester was emailed.")
        skipped = queryset.count() - declined
        if declined:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request declined; the requester is emailed.",
                    "%(count)d requests declined; the requesters are emailed.",
                    declined,
                )
                % {"count": declined},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected request was skipped: only pending ones are declined.",
                    "%(count)d selected requests were skipped: only pending ones are declined.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


class ProposedFocalPointInline(admin.TabularInline):
    model = ProposedFocalPoint
    extra = 0
    fields = ["order", "name", "role", "email", "focal_point"]
    raw_id_fields = ["focal_point"]


@admin.register(ProfileChange)
class ProfileChangeAdmin(VersionCheckedAdmin, VersionAdmin):
    """Members' proposed changes to their organization's page, reviewed like best practices."""

    list_display = ["organization", "status", "submitted_by", "submitted_at", "published_at"]
    list_filter = [ReviewQueueFilter, "status", "organization__country__subregion"]
    list_select_related = ["organization", "submitted_by"]
    search_fields = ["organization__name", "organization__acronym", "focal_points__name"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["status", "submitted_by", "submitted_at", "published_at", "current_profile"]
    date_hierarchy = "submitted_at"
    inlines = [ProposedFocalPointInline]
    fieldsets = [
        (
            _("Review"),
            {
                "fields": [
                    ("status", "organization"),
                    ("submitted_by", "submitted_at", "published_at"),
                    "review_message",
                ]
            },
        ),
        (
            _("Proposed profile"),
            {"fields": ["description", "website", ("logo", "logo_alt"), "remove_logo"]},
        ),
        (_("The profile as published"), {"fields": ["current_profile"], "classes": ["collapse"]}),
    ]
    actions = ["publish_selected", "request_changes", "decline_selected"]

    @admin.display(description=_("current profile"))
    def current_profile(self, obj):
        organization = obj.organization
        return format_html(
            "<p>{}</p><p>{}</p><p><a href='{}'>{}</a></p>",
            organization.website or "—",
            organization.description or "—",
            organization.get_absolute_url(),
            _("Open the public page"),
        )

    def _reviewable(self, queryset):
        return (
            queryset.filter(status__in=REVIEWABLE_PROFILE_STATUSES)
            .select_related("organization", "submitted_by")
            .select_for_update(of=("self",))
        )

    @admin.action(
        description=_("Publish this profile change"),
        description_plural=_("Publish selected profile changes"),
        permissions=["change"],
        location=REVIEW_ACTION_LOCATIONS,
    )
    def publish_selected(self, request, queryset):
        base_url = request.build_absolute_uri("/")
        with transaction.atomic():
            reviewable = list(self._reviewable(queryset))
            for change in reviewable:
                profile_change_publish(change, request.user, base_url=base_url)
                self.log_change(request, change, "Published; the submitter was emailed.")
        self._report(
            request,
            queryset,
            len(reviewable),
            ngettext(
                "%(count)d profile change published; its submitter is emailed.",
                "%(count)d profile changes published; their submitters are emailed.",
                len(reviewable),
            ),
        )

    def _with_message(self, request, queryset, *, step, title, done_message):
        """An intermediate page asks for the message; confirming takes the step on each."""
        form = ReviewMessageForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            base_url = request.build_absolute_uri("/")
            with transaction.atomic():
                reviewable = list(self._reviewable(queryset))
                for change in reviewable:
                    step(change, request.user, form.cleaned_data["message"], base_url=base_url)
                    self.log_change(request, change, f"{title}; the submitter was emailed.")
            self._report(request, queryset, len(reviewable), done_message(len(reviewable)))
            return None
        selected = list(queryset.select_related("organization"))
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": request.POST.get(
                CHANGE_FORM_ACTION_FIELD, request.POST.get("action", "")
            ),
            "action_field_name": (
                CHANGE_FORM_ACTION_FIELD if CHANGE_FORM_ACTION_FIELD in request.POST else "action"
            ),
        }
        return TemplateResponse(request, "admin/members/profilechange/review_message.html", context)

    @admin.action(
        description=_("Request changes to this profile change…"),
        description_plural=_("Request changes to selected profile changes…"),
        permissions=["change"],
        location=REVIEW_ACTION_LOCATIONS,
    )
    def request_changes(self, request, queryset):
        return self._with_message(
            request,
            queryset,
            step=profile_change_request_changes,
            title=_("Request changes"),
            done_message=lambda count: ngettext(
                "Changes requested to %(count)d profile change; its submitter is emailed.",
                "Changes requested to %(count)d profile changes; their submitters are emailed.",
                count,
            ),
        )

    @admin.action(
        description=_("Decline this profile change…"),
        description_plural=_("Decline selected profile changes…"),
        permissions=["change"],
        location=REVIEW_ACTION_LOCATIONS,
    )
    def decline_selected(self, request, queryset):
        return self._with_message(
            request,
            queryset,
            step=profile_change_decline,
            title=_("Decline"),
            done_message=lambda count: ngettext(
                "%(count)d profile change declined; its submitter is emailed.",
                "%(count)d profile changes declined; their submitters are emailed.",
                count,
            ),
        )

    def _report(self, request, queryset, done: int, done_message: str) -> None:
        skipped = queryset.count() - done
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected profile change was skipped: only submitted or sent-back "
                    "ones are reviewed.",
                    "%(count)d selected profile changes were skipped: only submitted or "
                    "sent-back ones are reviewed.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

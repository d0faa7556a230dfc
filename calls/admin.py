"""The secretariat's calls and the members' responses, in the admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from apap_portal.editing.admin import MarkdownPreviewMixin, export_as_csv, truncated_column
from apap_portal.editing.locking import VersionCheckedAdmin
from apap_portal.translations.admin import TranslatedOriginalAdmin, TranslationAdmin
from calls.forms import CallAdminForm
from calls.models import (
    Call,
    CallDocument,
    CallReminder,
    CallResponse,
    CallResponseAttachment,
    CallTranslation,
)


class CallDocumentInline(admin.TabularInline):
    model = CallDocument
    extra = 0
    fields = ["title", "file", "url", "order"]


class CallReminderInline(admin.TabularInline):
    model = CallReminder
    extra = 0
    fields = ["deadline", "sent_at", "recipient_count"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("reminders sent to members who had not responded")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Call)
class CallAdmin(TranslatedOriginalAdmin, MarkdownPreviewMixin, VersionCheckedAdmin, VersionAdmin):
    form = CallAdminForm
    list_display = [
        truncated_column("title", _("title")),
        "kind",
        "opens_at",
        "deadline",
        "status",
        "response_count",
    ]
    list_filter = ["status", "kind", "eligibility", "work_area"]
    list_select_related = ["work_area"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["countries", "activity"]
    date_hierarchy = "deadline"
    inlines = [CallDocumentInline, CallReminderInline]
    actions = ["publish", "unpublish"]
    markdown_fields = ("body",)
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
        (_("Dates"), {"fields": ["time_zone", "opens_at", "deadline"],
                      "description": _("Give the dates as times of the call's time zone.")}),
        (_("Who may respond"), {"fields": ["eligibility", "countries"]}),
        (_("Related"), {"fields": ["work_area", "activity"]}),
        (_("Publishing"), {"fields": ["status"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(response_total=Count("responses"))

    @admin.display(description=_("responses"), ordering="response_total")
    def response_count(self, obj: Call):
        if not obj.response_total:
            return 0
        return format_html(
            '<a href="{}?call__id__exact={}">{}</a>',
            reverse("admin:calls_callresponse_changelist"),
            obj.pk,
            obj.response_total,
        )

    @admin.action(description=_("Publish the selected calls"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, Call.Status.PUBLISHED)

    @admin.action(description=_("Unpublish the selected calls (back to draft)"))
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Call.Status.DRAFT)

    def _set_status(self, request, queryset, status: str) -> None:
        # Saved one by one: each save moves the version and is a revision of its history.
        changed = 0
        for call in queryset.exclude(status=status):
            call.status = status
            call.save(update_fields=["status", "updated_at"])
            changed += 1
        message = ngettext("%(count)d call changed.", "%(count)d calls changed.", changed) % {
            "count": changed
        }
        self.message_user(request, message, messages.SUCCESS)


@admin.register(CallTranslation)
class CallTranslationAdmin(TranslationAdmin, VersionAdmin):
    search_fields = ["title", "original__title"]
    markdown_fields = ("body",)


class CallResponseAttachmentInline(admin.TabularInline):
    model = CallResponseAttachment
    extra = 0
    fields = ["file", "file_name", "created_at"]
    readonly_fields = ["file_name", "created_at"]


RESPONSE_COLUMNS = [
    ("Call", "call__title"),
    ("Call deadline", "call__deadline"),
    ("Organization", "organization__name"),
    ("Country", "organization__country__name"),
    ("Responded by", "user__username"),
    ("Email", "user__email"),
    ("Received", "created_at"),
    ("Updated", "updated_at"),
    ("Response", "text"),
    ("Attachments", "attachment_names"),
]


@admin.register(CallResponse)
class CallResponseAdmin(VersionCheckedAdmin, VersionAdmin):
    list_display = ["organization", "call", "user", "created_at", "updated_at", "attachment_count"]
    list_filter = [
        ("call", admin.RelatedOnlyFieldListFilter),
        ("organization__country", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["call", "user", "organization"]
    search_fields = ["text", "organization__name", "user__username", "user__email", "call__title"]
    autocomplete_fields = ["call", "user", "organization"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [CallResponseAttachmentInline]
    actions = [export_as_csv(RESPONSE_COLUMNS)]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organization__country")
            .prefetch_related("attachments")
            .annotate(attachment_total=Count("attachments"))
        )

    @admin.display(description=_("attachments"), ordering="attachment_total")
    def attachment_count(self, obj: CallResponse) -> int:
        return obj.attachment_total

"""The outbox in the admin: what was sent, what waits, what failed and why.

Read-only but for one action: send a failed message again (its body is kept until it
has left). No body is shown: a password-reset link is for its reader alone.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apap_portal.outbox.models import Email
from apap_portal.outbox.tasks import send_emails


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "to", "subject", "kind", "status", "attempts", "last_error",
        "created_at", "next_attempt_at", "sent_at",
    ]  # fmt: skip
    readonly_fields = fields
    actions = ["send_again"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the failed emails again"), permissions=["change"])
    def send_again(self, request, queryset):
        with transaction.atomic():
            ids = list(
                queryset.filter(status=Email.Status.FAILED)
                .exclude(body="")
                .values_list("pk", flat=True)
            )
            Email.objects.filter(pk__in=ids).update(
                status=Email.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
            )
            if ids:
                send_emails.enqueue(ids)
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", len(ids))
            % {"count": len(ids)},
            messages.SUCCESS if ids else messages.WARNING,
        )

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from subscriptions.models import Subscriber, Subscription


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Waiting for confirmation"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ["kind", "frequency", "query", "work_areas", "countries", "last_sent_at"]
    readonly_fields = ["last_sent_at"]
    autocomplete_fields = ["work_areas", "countries"]
    extra = 0


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "confirmed_at", "user", "subscription_count", "created_at"]
    list_filter = [ConfirmedFilter, "language"]
    list_select_related = ["user"]
    search_fields = ["email", "user__username", "user__email"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"
    inlines = [SubscriptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(subscription_count=Count("subscriptions"))

    @admin.display(description=_("subscriptions"), ordering="subscription_count")
    def subscription_count(self, subscriber) -> int:
        return subscriber.subscription_count


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "kind", "frequency", "query", "last_sent_at", "created_at"]
    list_filter = ["kind", "frequency", "subscriber__language"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__email", "query"]
    autocomplete_fields = ["subscriber", "work_areas", "countries"]
    readonly_fields = ["last_sent_at", "created_at"]

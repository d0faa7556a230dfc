from django.contrib import admin

from knowledge.models import GbfTarget


@admin.register(GbfTarget)
class GbfTargetAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "short_title"]
    list_display_links = ["number", "code"]
    list_editable = ["short_title"]
    search_fields = ["code", "short_title", "=number"]

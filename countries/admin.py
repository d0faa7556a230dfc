from django.contrib import admin

from countries.models import CountryStatistics


@admin.register(CountryStatistics)
class CountryStatisticsAdmin(admin.ModelAdmin):
    """Protected Planet's figures, to look at: they come from `import_country_statistics`
    (a new release replaces them), never from a form."""

    list_display = [
        "country",
        "pa_land_percent",
        "oecm_pa_land_percent",
        "pa_marine_percent",
        "oecm_pa_marine_percent",
        "as_of",
        "imported_at",
    ]
    list_filter = ["as_of", "country__subregion"]
    list_select_related = ["country"]
    search_fields = ["country__name", "country__iso3"]
    date_hierarchy = "as_of"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

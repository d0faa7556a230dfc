"""Admin actions shared by the sections."""

from django.contrib import admin
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apap_portal.downloads import csv_response


def export_as_csv(columns: list[tuple[str, str]]):
    """An admin action exporting the selected rows; columns are (header, attribute path)."""

    def value_of(obj, path: str):
        for part in path.split("__"):
            if obj is None:
                return ""
            display = getattr(obj, f"get_{part}_display", None)
            obj = display() if callable(display) else getattr(obj, part, None)
        return "" if obj is None else obj

    @admin.action(description=_("Export selected as CSV"))
    def action(modeladmin, request, queryset):
        name = slugify(modeladmin.model._meta.verbose_name_plural)
        stamp = timezone.localdate().isoformat()
        return csv_response(
            f"{name}-{stamp}.csv",
            [header for header, _path in columns],
            ([value_of(obj, path) for _header, path in columns] for obj in queryset),
        )

    action.__name__ = "export_csv"
    return action

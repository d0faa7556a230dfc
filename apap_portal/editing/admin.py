"""Admin actions, columns and form helpers shared by the sections."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apap_portal.downloads import csv_response


def value_at(obj, path: str):
    """The value at an attribute path ("organization__name"), a choice's label for a
    choice field, "" where the path meets None."""
    for part in path.split("__"):
        if obj is None:
            return ""
        display = getattr(obj, f"get_{part}_display", None)
        obj = display() if callable(display) else getattr(obj, part, None)
    return "" if obj is None else obj


def export_as_csv(columns: list[tuple[str, str]]):
    """An admin action exporting the selected rows; columns are (header, attribute path)."""

    @admin.action(description=_("Export selected as CSV"))
    def action(modeladmin, request, queryset):
        name = slugify(modeladmin.model._meta.verbose_name_plural)
        stamp = timezone.localdate().isoformat()
        return csv_response(
            f"{name}-{stamp}.csv",
            [header for header, _path in columns],
            ([value_at(obj, path) for _header, path in columns] for obj in queryset),
        )

    action.__name__ = "export_csv"
    return action


def truncated_column(path: str, description):
    """A changelist column showing a long text on one line, cut with "…" by the admin's CSS
    (.apap-truncate), the whole text in its tooltip: lists stay within a 1280 px screen.

    `path` is an attribute path ("organization__name"), which the column also sorts by.
    """

    @admin.display(description=description, ordering=path)
    def column(obj):
        value = value_at(obj, path)
        if value == "":
            return "—"
        return format_html('<span class="apap-truncate" title="{}">{}</span>', value, value)

    column.__name__ = f"{path}_column"
    return column


class ReviewQueueFilter(admin.SimpleListFilter):
    """The secretariat's to-do list: what waits for a review, and what went back to its
    submitter. For any reviewed model whose `Status` has SUBMITTED and CHANGES_REQUESTED
    (best practices, members' profile changes)."""

    title = _("review queue")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Waiting for review")),
            ("sent-back", _("Sent back to the submitter")),
        ]

    def queryset(self, request, queryset):
        Status = queryset.model.Status
        if self.value() == "waiting":
            return queryset.filter(status=Status.SUBMITTED)
        if self.value() == "sent-back":
            return queryset.filter(status=Status.CHANGES_REQUESTED)
        return queryset


class MarkdownPreviewMixin:
    """Gives the Markdown fields named in `markdown_fields` a Preview button.

    The button (static/js/admin-markdown-preview.js) sends the text to the admin's
    markdown_preview view, which renders it as the public page will.
    """

    markdown_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.markdown_fields:
            formfield.widget.attrs.update(
                {
                    "data-markdown-preview": reverse(f"{self.admin_site.name}:markdown_preview"),
                    "data-preview-label": _("Preview"),
                    "data-hide-label": _("Hide the preview"),
                    "data-failed-label": _("The preview could not be made; try again."),
                }
            )
        return formfield

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-markdown-preview.js"])

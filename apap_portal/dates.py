"""Dates known only to the month or the year, kept as they are known.

The sources often say "November 2014" or "2019" and nothing more. Such a date is stored as
the first day of its month or year, beside a `DatePrecision` that says how much of it is
known: pages write it as it is known ("November 2014", "2019"), and figures by year may
count it. Activities and memberships share this; each date is written in the language's
own format (apap_portal.formats).

Every date field is the browser's own date picker (`DateInput`), the admin's date-only
fields included (apap_portal.editing.widgets).
"""

from __future__ import annotations

import datetime

from django import forms
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    """How much of a date is known: the record keeps "November 2014" as it is."""

    DAY = "day", _("Exact days")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


def date_precision_field(verbose_name, help_text) -> models.CharField:
    """The field that says how much of a model's date(s) is known."""
    return models.CharField(
        verbose_name,
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=help_text,
    )


def first_day(day: datetime.date, precision: str) -> datetime.date:
    """The day a date known to `precision` is stored as: the first of its month or year."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


def date_label(day: datetime.date, precision: str) -> str:
    """One date as it is known: "3 September 2015", "January 2018", "2019"."""
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.MONTH:
        return date_format(day, "YEAR_MONTH_FORMAT")
    return date_format(day, "DATE_FORMAT")


def dates_label(start: datetime.date, end: datetime.date, precision: str) -> str:
    """Two dates as people write them: "13–17 November 2013", "November 2014", "2017–2018".

    The year (and the month) is said once when both dates share it.
    """
    if precision == DatePrecision.YEAR:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if precision == DatePrecision.MONTH:
        if (start.year, start.month) == (end.year, end.month):
            return date_label(start, precision)
        return f"{date_label(start, precision)} – {date_label(end, precision)}"
    if start == end:
        return date_format(start, "DATE_FORMAT")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'DATE_FORMAT')}"
    if start.year == end.year:
        return f"{date_format(start, 'MONTH_DAY_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"


class DateInput(forms.DateInput):
    """The browser's date picker: it shows the visitor's own convention, and sends and
    expects ISO dates (2023-06-30) whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

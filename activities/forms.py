"""Forms of the activities section."""

from __future__ import annotations

from django import forms
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from activities.reports import MAX_REPORT_YEARS, period_bounds, period_choices, years_later
from apap_portal.dates import DateInput
from members.models import Organization


class CooperationReportForm(forms.Form):
    """Which partner and which period the cooperation report covers (a GET form).

    The period is either a quick choice (a half-year or a year) or two dates. When dates
    are given they win, and both are needed; the quick choice is used when both dates are
    empty. Cleaned, `start` and `end` always hold the period's first and last day.
    """

    partner = forms.ModelChoiceField(
        label=_("Partner organization"),
        queryset=Organization.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Choose an organization"),
        error_messages={
            "required": _("Choose the partner organization."),
            "invalid_choice": _("There is no such organization: choose one from the list."),
        },
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        help_text=_(
            "A half-year or a whole year. It is used when both dates below are empty; "
            "dates you give win over it."
        ),
        error_messages={
            "invalid_choice": _("There is no such period: choose one from the list."),
        },
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a real date, e.g. 2023-01-01.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        help_text=_("Both days included."),
        error_messages={"invalid": _("Enter a real date, e.g. 2023-06-30.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        next_year = timezone.localdate().year + 1
        first = Activity.objects.aggregate(first=Min("start_date"))["first"]
        first_year = min(first.year, next_year) if first else next_year - 1
        self.fields["period"].choices = [
            ("", _("Choose a period")),
            *period_choices(first_year, next_year),
        ]

    def clean(self):
        cleaned_data = super().clean()
        if self.has_error("start") or self.has_error("end") or self.has_error("period"):
            return cleaned_data
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        period = cleaned_data.get("period")
        if start is None and end is None:
            if not period:
                raise forms.ValidationError(
                    _("Choose a period, or give the first and the last day."), code="no_period"
                )
            start, end = period_bounds(period)
        elif start is None:
            self.add_error("start", _("Give the first day too, or leave both dates empty."))
            return cleaned_data
        elif end is None:
            self.add_error("end", _("Give the last day too, or leave both dates empty."))
            return cleaned_data
        if end < start:
            self.add_error("end", _("The last day cannot be before the first day."))
            return cleaned_data
        if end >= years_later(start, MAX_REPORT_YEARS):
            raise forms.ValidationError(
                _("A report covers at most %(years)s years: choose a shorter period."),
                code="too_long",
                params={"years": MAX_REPORT_YEARS},
            )
        cleaned_data["start"], cleaned_data["end"] = start, end
        return cleaned_data

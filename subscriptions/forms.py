"""The forms that subscribe: the public's (/subscribe/), a member's, following a search."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from activities.models import WorkArea
from knowledge.filters import BestPracticeFilter, ResourceFilter
from members.models import Country
from subscriptions.models import Subscription
from subscriptions.sources import calls_available

Kind = Subscription.Kind

# What a saved search may be of: the library's lists, each with its own FilterSet.
SEARCHABLE = {Kind.BEST_PRACTICES: BestPracticeFilter, Kind.RESOURCES: ResourceFilter}


def followable_kinds() -> list[tuple[str, str]]:
    """What anyone may follow: stories, activities, and calls once the calls app is here."""
    kinds = [Kind.STORIES, Kind.ACTIVITIES] + ([Kind.CALLS] if calls_available() else [])
    return [(kind.value, kind.label) for kind in kinds]


class FollowForm(forms.Form):
    """What to follow and how often (a member's form; the public's adds the address)."""

    kinds = forms.MultipleChoiceField(
        label=_("What to follow"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing to follow.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    work_areas = forms.ModelMultipleChoiceField(
        label=_("Activities of these work areas"),
        queryset=WorkArea.objects.translated(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: activities of every work area."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Activities in or with these countries"),
        queryset=Country.objects.of_asia().order_by("name"),
        required=False,
        to_field_name="iso3",
        help_text=_("None chosen: activities anywhere. Hold Ctrl (⌘ on a Mac) to choose several."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = followable_kinds()


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={"invalid": _("Enter an email address such as name@example.org.")},
    )

    field_order = ["email", "kinds", "frequency", "work_areas", "countries"]


class PublicSubscribeForm(SubscribeForm, FollowForm):
    """/subscribe/: an address, what to follow, how often."""

    field_order = SubscribeForm.field_order


def saved_query(kind: str, raw: str) -> str:
    """The list's query string as a saved search: only its filters, in a fixed order.

    Raises ValidationError when a filter is not one the list accepts (an unknown theme).
    """
    filterset_class = SEARCHABLE[kind]
    data = QueryDict(raw)
    model = filterset_class._meta.model
    filterset = filterset_class(
        data, queryset=model.objects.none(), request=SimpleNamespace(user=None)
    )
    if not filterset.is_valid():
        raise forms.ValidationError(
            _("This search has a filter the list no longer offers: search again, then follow it.")
        )
    asked = sorted(
        (name, value) for name in filterset.filters for value in data.getlist(name) if value
    )
    return urlencode(asked)


class FollowSearchForm(forms.Form):
    """ "Follow this search" on a library list: its kind and its query string."""

    kind = forms.ChoiceField(choices=[(kind.value, kind.label) for kind in SEARCHABLE])
    query = forms.CharField(
        required=False,
        max_length=1000,
        error_messages={"max_length": _("This search is too long to follow.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        required=False,  # weekly unless said
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("frequency") and "frequency" not in self.errors:
            cleaned["frequency"] = Subscription.Frequency.WEEKLY
        if "kind" in cleaned and "query" in cleaned:
            cleaned["query"] = saved_query(cleaned["kind"], cleaned["query"])
        return cleaned

"""Filters the apps' FilterSets share, each declared once as a class.

A reusable filter's class gives its arguments (`defaults`: label, empty label, choices,
the field filtered when it is not the filter's own name); a FilterSet that uses it may
still override any of them.
"""

from typing import Any, ClassVar

import django_filters
from django.db.models import Model


class DeclaredOnce:
    """Mixin for a filter class whose arguments default to its `defaults`."""

    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**self.default_arguments(), **kwargs})

    def default_arguments(self) -> dict[str, Any]:
        return self.defaults


class ChoiceByKeyFilter(DeclaredOnce, django_filters.ModelChoiceFilter):
    """A record chosen by a readable key, not its primary key: ?country=NPL, ?theme=mangroves."""

    model: ClassVar[type[Model]]
    key: ClassVar[str] = "slug"

    def default_arguments(self) -> dict[str, Any]:
        return {
            "queryset": self.model._default_manager.all(),
            "to_field_name": self.key,
            **self.defaults,
        }


class FixedChoiceFilter(DeclaredOnce, django_filters.ChoiceFilter):
    """A value among fixed choices, an enumeration's: ?language=vi, ?iucn_category=II."""

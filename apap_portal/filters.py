"""Filters the apps' FilterSets share: a record chosen by a key that reads well in a URL."""

from typing import Any, ClassVar

import django_filters
from django.db.models import Model


class ChoiceByKeyFilter(django_filters.ModelChoiceFilter):
    """A record chosen by a readable key, not its primary key: ?country=NPL, ?theme=mangroves.

    A subclass is one reusable filter, declared once: it names the `model`, the `key`
    field and its `defaults` (label, empty label, the field filtered when it is not the
    filter's own name); a FilterSet that uses it may still override any of them.
    """

    model: ClassVar[type[Model]]
    key: ClassVar[str] = "slug"
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args, **kwargs):
        kwargs = {
            "queryset": self.model._default_manager.all(),
            "to_field_name": self.key,
            **self.defaults,
            **kwargs,
        }
        super().__init__(*args, **kwargs)

"""The admin's autocomplete widgets, made safe against values that are not keys.

Django's AutocompleteSelect looks the submitted values up as primary keys when it shows a
form again (after an error), without checking them first: a value like "1e309" or a NUL
byte becomes a server error. These subclasses keep only the values the target field
accepts; the form itself still reports the bad value as an invalid choice.
"""

from django.contrib.admin import options, widgets
from django.core.exceptions import ValidationError
from django.db import connection

BIGINT_RANGE = connection.ops.integer_field_range("BigIntegerField")


class SafeAutocompleteMixin:
    def _is_key(self, value) -> bool:
        target = self.field.target_field
        try:
            key = target.to_python(value)
        except (ValidationError, TypeError, ValueError):
            return False
        if isinstance(key, int):
            low, high = BIGINT_RANGE
            return low <= key <= high
        return "\x00" not in str(key)

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_key(v)], attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, widgets.AutocompleteSelectMultiple):
    pass


def install() -> None:
    """ModelAdmin builds its autocomplete widgets from these module names."""
    options.AutocompleteSelect = SafeAutocompleteSelect
    options.AutocompleteSelectMultiple = SafeAutocompleteSelectMultiple

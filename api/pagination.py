"""Cursor pages: a stable order, and a page's place kept whatever is added before it.

REST framework's cursor marks a place by the first field of the order alone, and counts
an offset past records that share it; when more records share it than a page holds (a
hundred activities starting on one day), its "previous" link cannot find its way back. Our
cursor marks a place by every field of the order, the last of which is unique: the
records after it are those after that whole key, whatever ties come before.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, _reverse_ordering

from api.errors import InvalidParameter


def after(ordering: tuple[str, ...], position: list[str], backwards: bool) -> Q:
    """The records after `position` (one value per field of `ordering`) in that order, or
    before it when `backwards`: a comparison of the keys, field by field."""
    condition = Q()
    equal = Q()
    for field, value in zip(ordering, position, strict=True):
        name = field.lstrip("-")
        descending = field.startswith("-") != backwards
        condition |= equal & Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        equal &= Q(**{name: value})
    return condition


class Cursor(CursorPagination):
    """50 records a page by default, at most 200 (`?page_size=`), in each view's `ordering`
    (whose last field is unique: no record is on two pages, none is skipped)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        return tuple(view.ordering)

    def paginate_queryset(self, queryset, request, view=None):
        # REST framework's own, but for the place a cursor marks (`after`).
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        if self.cursor is None:
            offset, reverse, current_position = 0, False, None
        else:
            offset, reverse, current_position = self.cursor
        ordering = _reverse_ordering(self.ordering) if reverse else self.ordering
        queryset = queryset.order_by(*ordering)
        if current_position is not None:
            try:
                queryset = queryset.filter(after(self.ordering, current_position, reverse))
            except (ValidationError, ValueError, TypeError) as error:  # a cursor made up
                raise self.invalid() from error
        results = list(queryset[offset : offset + self.page_size + 1])
        self.page = results[: self.page_size]
        following = results[self.page_size] if len(results) > self.page_size else None
        following_position = (
            self._get_position_from_instance(following, self.ordering) if following else None
        )
        if reverse:
            self.page.reverse()
            self.has_next = current_position is not None or offset > 0
            self.has_previous = following is not None
            self.next_position = current_position if self.has_next else None
            self.previous_position = following_position
        else:
            self.has_next = following is not None
            self.has_previous = current_position is not None or offset > 0
            self.next_position = following_position
            self.previous_position = current_position if self.has_previous else None
        return self.page

    def _get_position_from_instance(self, instance, ordering) -> list[str]:
        return [str(getattr(instance, field.lstrip("-"))) for field in ordering]

    def encode_cursor(self, cursor):
        if cursor.position is not None:
            cursor = cursor._replace(position=json.dumps(cursor.position))
        return super().encode_cursor(cursor)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
            if cursor is None or cursor.position is None:
                return cursor
            position = json.loads(cursor.position)
            if not (
                isinstance(position, list)
                and len(position) == len(self.ordering)
                and all(isinstance(value, str) for value in position)
            ):
                raise ValueError(position)
        except (NotFound, ValueError) as error:
            raise self.invalid() from error
        return cursor._replace(position=position)

    def invalid(self) -> InvalidParameter:
        return InvalidParameter(
            self.cursor_query_param,
            _("This cursor is not valid: follow the “next” and “previous” links."),
        )

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isdigit() and int(value) > 0):
            raise InvalidParameter(
                self.page_size_query_param,
                _("Give the page size as a whole number from 1 to %(max)s.")
                % {"max": self.max_page_size},
            )
        return super().get_page_size(request)

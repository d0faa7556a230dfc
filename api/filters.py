"""Each list of the API takes the filters its page takes: the page's own FilterSet."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend

from api.errors import InvalidParameter


class PageFilterBackend(DjangoFilterBackend):
    """The page's FilterSet, given the reader (some filters count only what they may see).

    A bad value answers 400 naming the first parameter in error, where the page would show
    the message beside the field.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            parameter, errors = next(iter(filterset.errors.items()))
            raise InvalidParameter(parameter, " ".join(str(error) for error in errors))
        return filterset.qs

"""The API's error bodies: stable, for programs to read.

A bad query parameter (a filter, the language, the cursor) answers 400 with
`{"error": "invalid_filter", "parameter": "year", "message": "…"}`; every other error
keeps REST framework's status and says it as `{"error": "<code>", "message": "…"}`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler


class InvalidParameter(APIException):
    """A query parameter the API cannot use; its body names the parameter."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_filter"

    def __init__(self, parameter: str, message: str, code: str = "invalid_filter"):
        super().__init__(detail=message, code=code)
        self.parameter = parameter
        self.error = code


def exception_handler(exc, context):
    """REST framework's answer (its status and headers, Retry-After on 429), our body."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, InvalidParameter):
        response.data = {
            "error": exc.error,
            "parameter": exc.parameter,
            "message": str(exc.detail),
        }
        return response
    detail = getattr(exc, "detail", None)
    code = exc.get_codes() if isinstance(exc, APIException) else "error"
    response.data = {
        "error": code if isinstance(code, str) else "invalid",
        "message": str(detail) if isinstance(detail, str) else str(_("The request is not valid.")),
    }
    return response

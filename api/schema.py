"""What the OpenAPI description says of the API's authentication: a bearer token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from members.filters import InCountryFilter


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "memberToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A member's personal token, created on /my/api-tokens/: it adds "
            "the members-only records. Without it, the API returns public records.",
        }


# The country filter of the lists (members.filters.InCountryFilter) takes an ISO3 code; its
# rows' queryset decides what "in the country" means, which the description cannot read
# from a model field (a best practice has `countries`, not `country`).
extend_schema_field(OpenApiTypes.STR)(InCountryFilter)


class ErrorSerializer(serializers.Serializer):
    """What every error of the API answers (api/errors.py)."""

    error = serializers.CharField(
        help_text="A stable code: invalid_filter, not_found, authentication_failed, throttled…"
    )
    parameter = serializers.CharField(
        required=False, help_text="With invalid_filter: the query parameter in error."
    )
    message = serializers.CharField(help_text="What went wrong, in the reader's language.")


ERRORS = {
    "400": "A query parameter (a filter, lang, cursor, page_size, geometry) is not valid.",
    "401": "The token is not valid, or was revoked.",
    "404": "No such record, or not one the reader may see.",
    "429": "Too many requests: try again after Retry-After seconds.",
}


class ApiSchema(AutoSchema):
    """Each operation also describes the errors it may answer, with their stable body."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code == "404" and self._is_list_view():
                continue  # a list is never 404
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                ),
            )
        return responses

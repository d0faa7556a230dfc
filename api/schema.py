"""What the OpenAPI description says of the API's authentication: a bearer token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

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

from django import template
from django.utils.safestring import SafeString

from apap_portal.linked_data import json_ld

register = template.Library()


@register.filter(name="json_ld")
def json_ld_filter(data: dict) -> SafeString:
    """A page's schema.org description as a JSON-LD data block (see apap_portal.linked_data)."""
    return json_ld(data)

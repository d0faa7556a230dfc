"""schema.org linked data (JSON-LD) that detail pages carry for search engines and other sites.

Each app says what its records are (`<app>/linked_data.py`); a detail view puts the
description in its context as `structured_data`, and `base.html` writes it in a data block
(`{{ structured_data|json_ld }}`, apap_portal.templatetags.structured_data). A data block
is not executed, so the content security policy allows it; its text is escaped as
`json_script` does, so that no value (a title naming `</script>`) can end it.
"""

from __future__ import annotations

import html
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from apap_portal.markdown import markdown_to_text

SCHEMA_ORG = "https://schema.org"

# What could end the data block, or open a comment in it, written as JSON escapes instead.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def thing(schema_type: str, **properties) -> dict:
    """A schema.org item of `schema_type`, without the properties that have no value."""
    return {
        "@type": schema_type,
        **{name: value for name, value in properties.items() if value not in (None, "", [], ())},
    }


def described(schema_type: str, **properties) -> dict:
    """The page's main item: a `thing` naming the vocabulary."""
    return {"@context": SCHEMA_ORG, **thing(schema_type, **properties)}


def absolute_url(request, url: str) -> str:
    """`url` with the scheme and host the request reached (an absolute one stays as it is)."""
    return request.build_absolute_uri(url) if url else ""


def picture_url(request, field) -> str:
    """The absolute URL of an uploaded picture, or "" when there is none."""
    return absolute_url(request, field.url) if field else ""


def plain_text(markdown: str) -> str:
    """The words of a Markdown text, as the reader sees them (entities read: "&", not "&amp;")."""
    return html.unescape(markdown_to_text(markdown))


def apap(request) -> dict:
    """The partnership itself, as the author or publisher of what it writes."""
    return thing(
        "Organization",
        name=_("Asia Protected Areas Partnership"),
        alternateName="APAP",
        url=absolute_url(request, reverse("home")),
    )


def json_ld(data: dict) -> SafeString:
    """`data` in a `<script type="application/ld+json">` data block, safe in any page."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))

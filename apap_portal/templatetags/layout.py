"""Template helpers of the page layout: long web addresses that wrap, a list's active filters."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# Where a web address may wrap: after its punctuation, never between two letters of a word.
URL_PUNCTUATION = re.compile(r"([/.\-_?&=#~])")
SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)


@register.filter
def breakable_url(url) -> str:
    """A web address to show as text, which a narrow box wraps after / . - _ ? & = # ~ only.

    CSS alone either lets a long address overflow its box or cuts it anywhere, letter by
    letter ("overflow-wrap: anywhere"). A <wbr> after each mark of punctuation gives the
    browser the places where an address reads well when cut. The scheme (https://) and a
    final slash are left out of the text: the link keeps them.
    """
    text = SCHEME.sub("", str(url or "")).rstrip("/")
    pieces = URL_PUNCTUATION.split(text)
    return mark_safe(
        "".join(
            escape(piece) + ("<wbr>" if URL_PUNCTUATION.fullmatch(piece) else "")
            for piece in pieces
        )
    )


@register.simple_tag
def active_filter_count(form) -> int:
    """How many fields of a list's filter form the query sets: the "Filters (2)" on phones."""
    if form is None or not form.is_bound:
        return 0
    return sum(
        1 for name in form.fields if any(str(value).strip() for value in form.data.getlist(name))
    )

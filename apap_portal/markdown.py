"""Markdown written by staff and members, rendered to HTML that is safe to show.

The Markdown library renders; nh3 (an allow-list sanitiser) then keeps only the
tags and attributes below: no script, no event handler, no `javascript:` URL.
"""

import re
from functools import lru_cache

import markdown as markdown_library
import nh3
from django.utils.html import strip_tags

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# The HTML of a text depends on the text alone, and the same texts are shown again and
# again (a best practice's page renders a dozen fields): each process keeps the latest.
@lru_cache(maxsize=2048)
def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML; links get rel="noopener noreferrer"."""
    if not text:
        return ""
    # Control characters have no place in prose and can hide a URL scheme from readers.
    text = CONTROL_CHARACTERS.sub("", text)
    html = markdown_library.markdown(text, extensions=["extra", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def markdown_to_text(text: str) -> str:
    """The words of a Markdown text without its markup, e.g. for a meta description."""
    return " ".join(strip_tags(render_markdown(text)).split())

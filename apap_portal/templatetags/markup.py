from django import template
from django.utils.safestring import mark_safe

from apap_portal.markdown import markdown_to_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render Markdown to sanitised HTML (see apap_portal.markdown)."""
    return mark_safe(render_markdown(text))


@register.filter(name="plaintext")
def plaintext_filter(text: str) -> str:
    """Markdown as plain words (still escaped by the template), e.g. for meta descriptions."""
    return markdown_to_text(text)

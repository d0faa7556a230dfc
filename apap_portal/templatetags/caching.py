"""{% cached_fragment name part… %}…{% endcached_fragment %}: a part of a page, cached.

The block's HTML is a cached value of `apap_portal.caching`: computed again once a table
its rendering read has changed, kept per name, language and the parts given. Whatever the
block shows that was read before it (a count passed in the context) must be among the
parts; what it reads itself (the names of a form's options) is followed by the cache.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from apap_portal.caching import cached

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context) -> str:
        parts = tuple(part.resolve(context) for part in self.parts)
        key = ("fragment", self.name.resolve(context), get_language(), *parts)
        # Rendered by the template engine, which escaped it: not to be escaped again.
        return mark_safe(cached(key, lambda: self.nodelist.render(context)))


@register.tag
def cached_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            "Usage: {% cached_fragment name part… %}…{% endcached_fragment %}"
        )
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )

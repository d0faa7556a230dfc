"""Markdown written by staff and members comes out as inert HTML: through
`render_markdown` itself, and on every public page that shows a Markdown field of the
members and activities sections (the knowledge pages: tests/knowledge/test_markdown_safety.py).

The checks parse the HTML as a browser would read it, rather than only searching for
strings: an escaped `&lt;script&gt;` is text, and an attribute value is not code.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from apap_portal.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from tests.factories import (
    ActivityFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    TransboundaryAreaFactory,
    translation,
    work_area,
)

# (name, Markdown). Each one tries to get a script, an event handler or a dangerous URL
# through the renderer.
PAYLOADS = [
    ("script", "<script>alert('xss')</script>"),
    ("script-uppercase-src", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("nested-script", "<<script>script>alert(1)<</script>/script>"),
    ("img-onerror", '<img src=x onerror="alert(1)">'),
    ("img-onerror-in-emphasis", "*<img src=x onerror=alert(1)>*"),
    ("img-onerror-in-link", "[<img src=x onerror=alert(1)>](https://example.org)"),
    ("markdown-javascript-link", "[click](javascript:alert(1))"),
    ("markdown-javascript-image", "![x](javascript:alert(1))"),
    ("markdown-reference-link", "[x][1]\n\n[1]: javascript:alert(1)"),
    ("mixed-case-scheme", '<a href="JaVaScRiPt:alert(1)">click</a>'),
    ("leading-space-scheme", '<a href=" javascript:alert(1)">x</a>'),
    ("tab-in-scheme", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("newline-in-scheme", "<a href='java\nscript:alert(1)'>x</a>"),
    ("decimal-entity-scheme", '<a href="&#106;avascript:alert(1)">x</a>'),
    ("hex-entity-scheme", '<a href="&#x6A;avascript&colon;alert(1)">x</a>'),
    ("entity-scheme-in-markdown", "[x](&#106;avascript:alert(1))"),
    (
        "all-entities-in-markdown",
        "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    ),
    ("vbscript", "[x](vbscript:msgbox(1))"),
    ("data-url-link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("data-url-html", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("data-url-image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("iframe", '<iframe src="https://evil.example"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object", "<object data=javascript:alert(1)></object>"),
    ("embed", "<embed src=javascript:alert(1)>"),
    ("form-action", '<form action="javascript:alert(1)"><button>x</button></form>'),
    ("input-onfocus", "<input onfocus=alert(1) autofocus>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>"),
    ("div-onmouseover", '<div onmouseover="alert(1)">hover</div>'),
    ("onclick-on-allowed-link", '<a href="https://example.org" onclick="alert(1)">ok</a>'),
    ("style-attribute", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("style-element", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("base", "<base href=javascript:alert(1)//>"),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("autolink", "<javascript:alert(1)>"),
    ("mxss-math", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("mxss-noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    ("textarea", "<textarea><script>alert(1)</script></textarea>"),
    ("comment", "<!-- --><script>alert(1)</script> -->"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("link-in-link", '<a href="https://example.org">[x](javascript:alert(1))</a>'),
]

# Payloads whose inert output still contains the letters "javascript:" as harmless data:
# a NUL byte becomes U+FFFD, which makes the URL a relative path; a quote inside a title
# stays inside the title. The structural checks hold for them; the string check cannot.
LITERAL_EXCEPTIONS = {
    ("nul-before-scheme", '<a href="\x00javascript:alert(1)">x</a>'),
    (
        "quote-in-title",
        '<a href="https://example.org" title="x&quot; onmouseover=&quot;alert(1)">t</a>',
    ),
}


def _tidy_url(value: str) -> str:
    """A URL as a browser's URL parser sees it: without leading or trailing C0 controls
    and spaces, without tabs and newlines anywhere, in lower case."""
    value = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", value)
    return re.sub(r"[\t\n\r]", "", value).lower()


URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "cite", "ping", "longdesc", "srcdoc", "codebase", "manifest", "lowsrc", "dynsrc",
}  # fmt: skip
# A script element of this type is a data block: browsers never run it.
DATA_BLOCK_TYPE = "application/ld+json"
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
ACTIVE_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math",
    "portal", "template",
}  # fmt: skip


class _Elements(HTMLParser):
    """Every start tag with its (unescaped) attributes, and the text inside scripts.

    The text of a data block (`<script type="application/ld+json">`, which browsers do not
    run: the page's schema.org description) is kept apart, in `data_blocks`.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_texts: list[str] = []
        self.data_blocks: list[str] = []
        self._in_script = False
        self._in_data_block = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_data_block = tag == "script" and dict(attrs).get("type") == DATA_BLOCK_TYPE
        self._in_script = tag == "script" and not self._in_data_block

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = self._in_data_block = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_texts.append(data)
        if self._in_data_block:
            self.data_blocks.append(data)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def page_problems(html: str) -> list[str]:
    """What in a whole page could run script: inline scripts, scripts from elsewhere
    than our static files, event handlers, dangerous URLs, embedding elements."""
    problems = []
    parsed = elements(html)
    problems += [f"inline script: {text[:60]!r}" for text in parsed.script_texts]
    for text in parsed.data_blocks:
        try:
            json.loads(text)
        except ValueError:
            problems.append(f"data block that is not JSON: {text[:60]!r}")
    for tag, attrs in parsed.elements:
        if tag == "script" and attrs.get("type") == DATA_BLOCK_TYPE:
            if "src" in attrs:
                problems.append(f"data block from a file: {attrs}")
        elif tag == "script" and not (attrs.get("src") or "").startswith(settings.STATIC_URL):
            problems.append(f"script not from our static files: {attrs}")
        if tag in ACTIVE_TAGS:
            problems.append(f"<{tag}> element")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            problems.append("meta refresh")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and _tidy_url(value or "").startswith(DANGEROUS_SCHEMES):
                problems.append(f"dangerous URL {name}={value!r} on <{tag}>")
            if name == "style" and re.search(r"javascript:|expression\(|url\(", value or "", re.I):
                problems.append(f"active style on <{tag}>: {value!r}")
    return problems


def markdown_problems(html: str) -> list[str]:
    """Rendered Markdown holds only the allowed tags and attributes, and links only to
    http, https, mailto or relative URLs."""
    problems = page_problems(html)
    for tag, attrs in elements(html).elements:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}> is not an allowed tag")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        problems += [f"{name}= is not allowed on <{tag}>" for name in set(attrs) - allowed]
        if "href" in attrs:
            scheme = urlsplit(_tidy_url(attrs["href"] or "")).scheme
            if scheme not in {"", "http", "https", "mailto"}:
                problems.append(f"link scheme {scheme!r}")
    return problems


def without_meta_tags(html: str) -> str:
    """The page without its <meta> tags, whose content is an escaped attribute value
    that the browser never runs (some pages put a record's text in their description),
    nor its schema.org data block, JSON that the browser never runs either (a "<" in it
    is escaped, so a block holding one is not taken out, and fails the checks)."""
    html = re.sub(rf'<script type="{re.escape(DATA_BLOCK_TYPE)}">[^<]*</script>', "", html)
    return re.sub(r"<meta\b[^>]*>", "", html, flags=re.I)


def assert_page_is_safe(html: str) -> None:
    """No script but our own static files, no event handler, no `javascript:` URL."""
    assert page_problems(html) == []
    text = without_meta_tags(html).lower()
    for match in re.finditer(r"<script", text):
        assert text.startswith(f'<script src="{settings.STATIC_URL}', match.start()), text[
            match.start() : match.start() + 80
        ]
    assert " onerror=" not in text
    assert "onload=" not in text
    assert "javascript:" not in text


# The payload for the pages: one Markdown text with a sample of the vectors above, each
# marked, and some Markdown that must still render.
PAGE_PAYLOAD = "\n\n".join(
    [
        "Rangers and **villagers** patrolled *together*; see [the plan](https://example.org/plan).",
        "<script>alert('xss-script')</script>",
        "<<script>script>alert('xss-nested')<</script>/script>",
        "<img src=x onerror=\"alert('xss-img')\">",
        "[a link](javascript:alert('xss-link'))",
        "<a href=\"JaVaScRiPt:alert('xss-case')\">mixed case</a>",
        "<a href=\"&#106;avascript:alert('xss-entity')\">entity</a>",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<svg onload=\"alert('xss-svg')\"></svg>",
        '<iframe src="https://evil.example/"></iframe>',
        "<div onmouseover=\"alert('xss-div')\">hover</div>",
        '<p style="background:url(javascript:alert(1))">styled</p>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-mxss')>",
    ]
)


def assert_payload_rendered_safely(html: str) -> None:
    assert_page_is_safe(html)
    # The Markdown around the payload still renders.
    assert "<strong>villagers</strong>" in html
    assert '<a href="https://example.org/plan" rel="noopener noreferrer">the plan</a>' in html


# render_markdown


@pytest.mark.parametrize(("name", "text"), PAYLOADS, ids=[name for name, _ in PAYLOADS])
def test_a_payload_comes_out_inert(name, text):
    html = render_markdown(text)

    assert markdown_problems(html) == []
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()
    assert "onerror" not in html.lower()
    assert "onload" not in html.lower()


@pytest.mark.parametrize(
    ("name", "text"),
    sorted(LITERAL_EXCEPTIONS),
    ids=[name for name, _ in sorted(LITERAL_EXCEPTIONS)],
)
def test_a_payload_whose_letters_survive_as_data_is_still_inert(name, text):
    html = render_markdown(text)

    assert markdown_problems(html) == []
    assert "<script" not in html.lower()


def test_a_nul_byte_does_not_revive_a_javascript_link():
    html = render_markdown('<a href="\x00javascript:alert(1)">x</a>')

    [(tag, attrs)] = elements(html).elements[1:]  # after the <p>
    assert tag == "a"
    # Control characters are dropped before rendering, and the sanitiser then drops the
    # javascript: URL itself.
    assert "href" not in attrs
    assert "javascript" not in html


def test_a_quote_cannot_break_out_of_a_title():
    html = render_markdown(
        '<a href="https://example.org" title="x&quot; onmouseover=&quot;alert(1)">t</a>'
    )

    [(_, attrs)] = [element for element in elements(html).elements if element[0] == "a"]
    assert set(attrs) == {"href", "title", "rel"}
    assert attrs["title"] == 'x" onmouseover="alert(1)'


def test_every_payload_at_once_comes_out_inert():
    text = "\n\n".join(payload for _, payload in PAYLOADS)

    html = render_markdown(text)

    assert markdown_problems(html) == []
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()


def test_plain_markdown_still_renders():
    html = render_markdown(
        "## Lessons\n\n"
        "**Bold**, *emphasis* and `code`.\n\n"
        "1. First\n2. Second\n\n"
        "| Country | Agency |\n|---|---|\n| Viet Nam | NBCA |\n\n"
        '[IUCN](https://iucn.org/ "IUCN"), [about](/about/) and '
        "[write to us](mailto:secretariat@example.org)."
    )

    assert "<h2>Lessons</h2>" in html
    assert "<strong>Bold</strong>" in html
    assert "<em>emphasis</em>" in html
    assert "<code>code</code>" in html
    assert "<ol>" in html
    assert "<td>NBCA</td>" in html
    assert '<a href="https://iucn.org/" title="IUCN" rel="noopener noreferrer">IUCN</a>' in html
    assert '<a href="/about/" rel="noopener noreferrer">about</a>' in html
    assert 'href="mailto:secretariat@example.org"' in html
    assert markdown_problems(html) == []


def test_script_shown_as_code_stays_text():
    html = render_markdown("```\n<script>alert(1)</script>\n```")

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""


def test_the_page_checks_catch_what_they_are_meant_to_catch():
    """The checks themselves are tested, so that a passing page test means something."""
    static_script = f'<script src="{settings.STATIC_URL}js/map.js"></script>'
    assert page_problems(f"<html><body>{static_script}</body></html>") == []
    assert page_problems("<script>alert(1)</script>")
    assert page_problems('<script src="https://evil.example/x.js"></script>')
    assert page_problems('<img src="x" onerror="alert(1)">')
    assert page_problems(f'<script type="{DATA_BLOCK_TYPE}">alert(1)</script>')
    assert page_problems(f'<script type="{DATA_BLOCK_TYPE}" src="https://evil.example/x.js">')
    assert page_problems(f'<script type="{DATA_BLOCK_TYPE}">{{"name": "x"}}</script>') == []
    assert page_problems('<a href="  JAVA&#x09;SCRIPT:alert(1)">x</a>')
    assert page_problems("<svg></svg>")
    assert markdown_problems('<a href="ftp://example.org">x</a>')
    assert markdown_problems('<p class="x">x</p>')
    with pytest.raises(AssertionError):
        assert_page_is_safe('<p><a href="javascript:alert(1)">x</a></p>')
    with pytest.raises(AssertionError):
        assert_page_is_safe(f'<script type="{DATA_BLOCK_TYPE}">{{"x": "</script><script>"}}')


# Public pages of the members and activities sections


def _organization(text):
    return MemberOrganizationFactory(description=text)


def _protected_area(text):
    return ProtectedAreaFactory(description=text)


def _transboundary_area(text):
    return TransboundaryAreaFactory(
        description=text, protected_areas=ProtectedAreaFactory.create_batch(2)
    )


def _work_area(text):
    area = work_area("knowledge-capacity")
    area.description = text
    area.save()
    return area


def _activity_body(text):
    return ActivityFactory(body=text)


def _activity_outcomes(text):
    return ActivityFactory(outcomes=text)


def _translated(factory, field):
    """A published Vietnamese translation whose `field` holds the text, shown on the
    original's page in its language."""

    def make(text):
        original = factory("")
        made = translation(original, **{field: text})
        made.get_absolute_url = lambda: "/vi" + original.get_absolute_url()
        return made

    return make


# (model label, field): how to make a public record whose field holds the text. Its page
# is the record's get_absolute_url().
PAGE_CASES = {
    ("members.Organization", "description"): _organization,
    ("members.ProtectedArea", "description"): _protected_area,
    ("members.TransboundaryArea", "description"): _transboundary_area,
    ("activities.WorkArea", "description"): _work_area,
    ("activities.Activity", "body"): _activity_body,
    ("activities.Activity", "outcomes"): _activity_outcomes,
    # Translations, on the original's page in their language.
    ("members.OrganizationTranslation", "description"): _translated(_organization, "description"),
    ("members.ProtectedAreaTranslation", "description"): _translated(
        _protected_area, "description"
    ),
    ("activities.WorkAreaTranslation", "description"): _translated(_work_area, "description"),
    ("activities.ActivityTranslation", "body"): _translated(_activity_body, "body"),
    ("activities.ActivityTranslation", "outcomes"): _translated(_activity_outcomes, "outcomes"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(PAGE_CASES), ids=".".join)
def test_a_markdown_field_is_safe_on_its_public_page(client, case):
    record = PAGE_CASES[case](PAGE_PAYLOAD)

    response = client.get(record.get_absolute_url())

    assert response.status_code == 200
    assert_payload_rendered_safely(response.text)


def test_a_text_is_rendered_once_per_process():
    """Pages show the same texts again and again: the second rendering is remembered."""
    text = "A *karst* forest, rendered twice. \u2603"
    render_markdown.cache_clear()
    first = render_markdown(text)
    assert render_markdown(text) == first
    assert render_markdown.cache_info().hits == 1

"""Search snippets that explain a result: a whole phrase around the matched words.

The database marks every matched word of a row's text (ts_headline, which knows the
search's stems, accents and phrases) and sends only a window around the first match
(`SnippetWindow`), for the rows of the page shown. Python then picks the phrase: the
sentence holding the first match, with the next ones while they fit, cut at words with
"…" where a sentence had to be cut (`phrase`). The text is escaped before the marks
become <mark> tags, so whatever HTML the text holds stays inert (`snippet_html`).

Each searchable model lists the fields its snippets come from, in order of importance,
as `search_snippet_fields`; the title is shown beside the snippet and is not among them.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import models
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Coalesce, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Marks are control characters, stripped from the source text first, so that a text
# cannot mark words itself: the start and end of a matched word, and where the window
# cut the text.
_START, _STOP, _CUT = "\x02", "\x03", "\x04"
_MARKERS = _START + _STOP + _CUT
ELLIPSIS = "…"
# Each field a snippet may come from is read up to this length, and all of them up to the
# second: ts_headline reads every character it is given, so this bounds its cost per row.
SNIPPET_SOURCE_CHARS, SNIPPET_TEXT_CHARS = 4000, 6000
# The window around the first match that the database sends (SnippetWindow).
SNIPPET_BEFORE, SNIPPET_SPAN = 400, 1000
# A snippet takes further whole sentences up to this length, and never passes the maximum.
SNIPPET_LENGTH, SNIPPET_MAX = 160, 300
# How much of a long sentence is kept before its first match when it must be cut.
LEAD_IN = 60


def searchable_text(fields: tuple[str, ...]) -> Left:
    """The text a snippet is cut from: the fields in order, each a paragraph of its own."""
    parts = [
        Func(
            Left(Coalesce(F(field), Value(""), output_field=TextField()), SNIPPET_SOURCE_CHARS),
            Value(_MARKERS),
            Value(""),
            function="translate",
            output_field=models.TextField(),
        )
        for field in fields
    ]
    text = Func(Value("\n\n"), *parts, function="concat_ws", output_field=models.TextField())
    return Left(text, SNIPPET_TEXT_CHARS)


class SnippetWindow(Func):
    """The part of a text around its first marked word, flagged where it was cut.

    A scalar subquery holds the text while it is measured, so it is computed once per
    row: from `SNIPPET_BEFORE` characters before the first mark (or the start),
    `SNIPPET_SPAN` characters, with `_CUT` at either end where the text goes on.
    """

    template = (
        "(SELECT CASE WHEN w.first > 1 THEN chr(4) ELSE '' END"
        f" || substr(w.h, w.first, {SNIPPET_SPAN})"
        f" || CASE WHEN w.first + {SNIPPET_SPAN} <= length(w.h) THEN chr(4) ELSE '' END"
        f" FROM (SELECT h, greatest(strpos(h, chr(2)) - {SNIPPET_BEFORE}, 1) AS first"
        " FROM (SELECT %(expressions)s AS h) AS snippet_text) AS w)"
    )
    output_field = models.TextField()


def snippet_of(
    fields: tuple[str, ...],
    query: SearchQuery | models.Expression | None,
    config: models.Expression | None = None,
) -> SnippetWindow:
    """The snippet of a row: where `query` matches its `fields`, every matched word marked.

    The text is read in `config` (the query's own by default), which must be the row's:
    a word is marked when it becomes one of the query's terms in that configuration.
    Without a query (a near miss of the title: nothing in the text to mark) it is the
    start of the text.
    """
    text = searchable_text(fields)
    if query is None:
        return SnippetWindow(text)
    marked = SearchHeadline(
        text,
        query,
        config=query.config if config is None else config,
        start_sel=_START,
        stop_sel=_STOP,
        highlight_all=True,
    )
    return SnippetWindow(marked)


class HighlightedSnippet(models.TextField):
    """A snippet read as HTML (`snippet_html`)."""

    def from_db_value(self, value, expression, connection):
        return snippet_html(value)


# Markdown that would show as punctuation: links keep their text, emphasis and the
# markers of headings, lists and quotes go.
_MARKDOWN = (
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"(?m)^[ \t]{0,3}(?:#{1,6}|[-*+>]|\d{1,2}[.)])[ \t]+"), ""),
    (re.compile(r"\*\*|__|`"), ""),
)
# Where a sentence ends: after . ! ? … (and a closing quote or bracket) before a space,
# except in "e.g." and "i.e.", and at every line break (a paragraph, a list item).
_SENTENCE_END = re.compile(
    r"(?<![\s(]e\.g\.)(?<![\s(]i\.e\.)(?<=[.!?…])[\"'”’)\]]*[ \t]+|[ \t]*\n\s*"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of `text`, its closing punctuation included."""
    spans, start = [], 0
    for boundary in _SENTENCE_END.finditer(text):
        end = boundary.start() + len(boundary.group().rstrip())
        if end > start:
            spans.append((start, end))
        start = boundary.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _word_start_after(text: str, position: int) -> int:
    """The start of the first word at or after `position`."""
    space = re.compile(r"\s+").search(text, position)
    return space.end() if space else position


def _word_end_before(text: str, position: int) -> int:
    """The end of the last word that ends by `position`."""
    cut = max(text.rfind(" ", 0, position + 1), text.rfind("\n", 0, position + 1))
    return cut if cut > 0 else position


def phrase(window: str) -> str:
    """The whole phrase of `window` around its first mark, "…" where a sentence is cut.

    The phrase is the sentence holding the first mark (the first sentence without one),
    with the next sentences of its paragraph while it is short; a sentence longer than
    `SNIPPET_MAX` is cut at words around the mark.

    `window` is a `SnippetWindow`: `_CUT` at an end says the text goes on there, so the
    sentence at that end is a part of one.
    """
    cut_before, cut_after = window.startswith(_CUT), window.endswith(_CUT)
    text = window.strip(_CUT)
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    spans = sentences(text)
    if not spans:
        return ""
    mark = text.find(_START)
    first = next((i for i, (_s, end) in enumerate(spans) if mark < end), 0) if mark >= 0 else 0
    last = first
    start, end = spans[first]
    # The next sentences of the same paragraph (a field, a list item), while short.
    while (
        end - start < SNIPPET_LENGTH
        and last + 1 < len(spans)
        and spans[last + 1][1] - start <= SNIPPET_MAX
        and "\n" not in text[end : spans[last + 1][0]]
    ):
        last += 1
        end = spans[last][1]
    opened = first == 0 and cut_before
    closed = not (last == len(spans) - 1 and cut_after)
    if mark - start > LEAD_IN and end - start > SNIPPET_MAX:
        start, opened = _word_start_after(text, mark - LEAD_IN), True
    if end - start > SNIPPET_MAX:
        end, closed = _word_end_before(text, start + SNIPPET_MAX), False
    snippet = re.sub(r"\s+", " ", text[start:end]).strip()
    if snippet.count(_START) > snippet.count(_STOP):  # cut inside a marked word
        snippet += _STOP
    return f"{ELLIPSIS if opened else ''}{snippet}{'' if closed else ELLIPSIS}"


def snippet_html(snippet: str | None) -> SafeString:
    """A snippet from the database as HTML: a whole phrase, the matched words in <mark>."""
    text = escape(phrase(snippet or ""))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # escaped above

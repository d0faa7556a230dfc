"""Snippets that explain a result: a whole phrase around the matched words, highlighted,
with "…" where a sentence is cut — on the site search and on every searched list.

Anna is an anonymous visitor (conftest.py).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apap_portal.fulltext.snippets import SNIPPET_MAX, phrase, sentences, snippet_html
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

CUT = "\x04"  # where the database cut the text (SnippetWindow)

LONG_SENTENCE = (
    "Over three dry seasons the rangers of the eastern sector walked the old trails with "
    "the villagers of four communes, mapped every spring and salt lick they were shown, "
    "talked through which of them the herds of gaur still visited at night and which the "
    "cattle had taken over since the road was built, and agreed with the commune leaders "
    "on a calendar of grazing that keeps the cattle away from the kelp-coloured salt licks "
    "during the calving months, which the district then wrote into its own regulations "
    "so that the agreement would outlast the project that had paid for the first meetings."
)


def snippet_text(html: str) -> str:
    """The snippet as a visitor reads it, with the marked words in [brackets]."""
    return html.replace("<mark>", "[").replace("</mark>", "]")


# The phrase, picked from the window the database sends


def test_the_phrase_is_the_sentence_holding_the_first_match():
    window = (
        "The park lies on a plateau. Its rangers count \x02elephants\x03 every spring. "
        "Visitors come in winter."
    )
    assert (
        phrase(window)
        == "Its rangers count \x02elephants\x03 every spring. Visitors come in winter."
    )


def test_a_short_phrase_takes_the_next_sentences_of_its_paragraph_only():
    window = "Rangers count \x02gaur\x03.\n\nA second field that is another paragraph."
    assert phrase(window) == "Rangers count \x02gaur\x03."


def test_a_long_sentence_is_cut_at_words_around_the_match_with_ellipses():
    marked = LONG_SENTENCE.replace("herds", "\x02herds\x03")
    result = phrase(marked)

    assert result.startswith("…")
    assert result.endswith("…")
    assert "\x02herds\x03" in result
    inner = result.strip("…")
    assert len(inner) <= SNIPPET_MAX
    # Cut between words: what is shown starts and ends with whole words of the sentence.
    words = LONG_SENTENCE.split()
    shown = inner.replace("\x02", "").replace("\x03", "").split()
    assert shown[0] in words
    assert shown[-1] in words
    assert " ".join(shown) in " ".join(words)


def test_a_window_cut_by_the_database_says_so_where_the_sentence_is_partial():
    # The window starts inside a sentence and ends inside another.
    assert phrase(f"{CUT}ers walked with \x02gaur\x03 herds.{CUT}").startswith("…")
    assert phrase(f"Rangers walked with \x02gaur\x03 herds and{CUT}").endswith("…")
    # A whole sentence needs no ellipsis, even when the text goes on after its paragraph.
    assert (
        phrase(f"Rangers walked with \x02gaur\x03.\n\nMore{CUT}")
        == "Rangers walked with \x02gaur\x03."
    )


def test_without_a_match_the_snippet_is_the_first_sentence():
    assert phrase("Kelp forests recover. Divers count them.") == (
        "Kelp forests recover. Divers count them."
    )
    assert phrase("") == ""


def test_sentences_end_at_punctuation_and_line_breaks_not_in_abbreviations():
    text = "Reefs, e.g. corals, grow. Why? Because!\n- a list item"
    assert [text[start:end] for start, end in sentences(text)] == [
        "Reefs, e.g. corals, grow.",
        "Why?",
        "Because!",
        "- a list item",
    ]


def test_markdown_shows_as_text_and_markers_stay_balanced():
    window = "## Results\n\nThe **\x02kelp\x03** came back ([report](https://example.org/r))."
    assert phrase(window) == "The \x02kelp\x03 came back (report)."
    html = snippet_html("Kelp " * 200 + "\x02kelp\x03 " + "forest " * 200)
    assert html.count("<mark>") == html.count("</mark>") == 1


def test_snippet_html_escapes_everything_but_the_marks():
    html = snippet_html('<b onclick="x()">Rangers</b> & \x02villagers\x03')
    assert html == "&lt;b onclick=&quot;x()&quot;&gt;Rangers&lt;/b&gt; &amp; <mark>villagers</mark>"


# In the pages: every kind, on the site search and on the searched lists


def search_snippets(client, q) -> dict[str, str]:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return {result.title: snippet_text(result.snippet) for result in response.context["results"]}


def test_a_match_deep_in_a_best_practice_shows_its_whole_phrase_highlighted(client):
    BestPracticeFactory(
        title="Grazing calendar",
        summary="A grazing calendar agreed with four communes.",
        context=f"The plateau was grazed year-round. {LONG_SENTENCE} It still holds.",
    )

    snippet = search_snippets(client, "herds")["Grazing calendar"]

    assert "[herds]" in snippet
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert len(snippet) <= SNIPPET_MAX + 2


def test_every_kind_shows_the_sentence_of_its_match_from_any_searched_field(client):
    ActivityFactory(
        title="Ranger training",
        summary="Two weeks in the field.",
        outcomes="Rangers now record gaur sightings on tablets. The data go to the district.",
    )
    StoryFactory(
        title="Back in the valley",
        lead="A story of return.",
        body="After ten years the gaur are back. Villagers saw them at dawn.",
    )
    BestPracticeFactory(
        title="Salt licks",
        summary="Licks kept apart from cattle.",
        impacts="Gaur visit the licks again at night.",
    )
    ResourceFactory(title="Field guide", summary="A field guide to gaur and banteng.")
    ProtectedAreaFactory(name="Cat Tien", description="Lowland forest. Home to gaur herds.")

    assert search_snippets(client, "gaur") == {
        "Ranger training": (
            "Rangers now record [gaur] sightings on tablets. The data go to the district."
        ),
        "Back in the valley": "After ten years the [gaur] are back. Villagers saw them at dawn.",
        "Salt licks": "[Gaur] visit the licks again at night.",
        "Field guide": "A field guide to [gaur] and banteng.",
        "Cat Tien": "Home to [gaur] herds.",
    }


@pytest.mark.parametrize(
    ("url", "make"),
    [
        (
            "/knowledge/best-practices/",
            lambda: BestPracticeFactory(title="Licks", summary="Cattle kept out. Gaur came back."),
        ),
        (
            "/activities/",
            lambda: ActivityFactory(title="Count", summary="Cattle kept out. Gaur came back."),
        ),
        (
            "/stories/",
            lambda: StoryFactory(title="Return", lead="Cattle kept out. Gaur came back."),
        ),
        (
            "/knowledge/resources/",
            lambda: ResourceFactory(title="Guide", summary="Cattle kept out. Gaur came back."),
        ),
        (
            "/protected-areas/",
            lambda: ProtectedAreaFactory(
                name="Licks", description="Cattle kept out. Gaur came back."
            ),
        ),
    ],
)
def test_the_searched_lists_show_the_same_snippets(client, url, make):
    make()
    response = client.get(url, {"q": "gaur"})
    assert response.status_code == 200
    assert "<mark>Gaur</mark> came back." in response.text
    assert "Cattle kept out." not in response.text


def test_the_text_cannot_mark_words_itself(client):
    BestPracticeFactory(title="Markers", summary="A \x02forged\x03 mark beside the gaur.")
    snippet = search_snippets(client, "gaur")["Markers"]
    assert snippet == "A forged mark beside the [gaur]."


def test_snippets_are_made_for_the_page_shown_only_in_its_one_query(client):
    """Intended to keep ts_headline off the ranking: it costs CPU for every row it sees."""
    for number in range(30):
        BestPracticeFactory(title=f"Gaur {number}", summary="Gaur herds.")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "gaur"})

    assert len(response.context["results"]) == 20
    with_headline = [query["sql"] for query in queries if "ts_headline" in query["sql"]]
    assert len(with_headline) == 1  # the page's rows; not the ranking
    # ... and in it, for the page's keys only.
    assert re.search(r"= ANY\(", with_headline[0])

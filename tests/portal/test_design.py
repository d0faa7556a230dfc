"""The site's frame and layout helpers: the header's menu button, the footer that says who
runs the site, the privacy and accessibility statements, web addresses that wrap at their
punctuation, the list filters behind a button, and the home page's fixes (issue 16)."""

import re

import pytest
from django.http import QueryDict
from django.template import Context, Template

from activities.models import FocalActivity
from apap_portal.templatetags.layout import active_filter_count, breakable_url
from members.filters import OrganizationFilter
from tests.factories import MemberOrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


# Web addresses


def test_a_web_address_may_wrap_after_its_punctuation_only():
    assert str(breakable_url("https://www.iucn.org/our-work/region/asia")) == (
        "www.<wbr>iucn.<wbr>org/<wbr>our-<wbr>work/<wbr>region/<wbr>asia"
    )


def test_a_web_address_shown_as_text_is_escaped():
    shown = str(breakable_url('http://example.org/?a=<script>&b="x"'))
    assert "<script>" not in shown
    assert "&lt;script&gt;" in shown
    assert "&amp;<wbr>" in shown


def test_an_empty_address_gives_nothing():
    assert str(breakable_url("")) == ""
    assert str(breakable_url(None)) == ""


def test_a_member_page_shows_its_website_breakable(client):
    organization = MemberOrganizationFactory(website="https://www.dnp.go.th/parkreserve/")
    html = client.get(organization.get_absolute_url()).text
    assert (
        '<a href="https://www.dnp.go.th/parkreserve/" rel="noopener">'
        "www.<wbr>dnp.<wbr>go.<wbr>th/<wbr>parkreserve</a>"
    ) in html


# The list filters behind a button


def test_the_filter_button_counts_the_filters_set():
    assert active_filter_count(OrganizationFilter(QueryDict("")).form) == 0
    query = QueryDict("country=VNM&category=&page=2&subregion=south-east-asia")
    assert active_filter_count(OrganizationFilter(query).form) == 2
    assert active_filter_count(None) == 0


def test_a_list_shows_its_results_first_and_its_filters_behind_a_button(client):
    MemberOrganizationFactory()
    html = client.get("/members/", {"country": "VNM"}).text
    panel = html.index('<details class="filters-panel" data-filters-panel>')
    button = html.index('<summary class="filters-panel__toggle button button--secondary">')
    form = html.index('<form class="filters"')
    results = html.index('<section class="results"')
    assert panel < button < form < results
    assert "(1 set)" in html


# Header and footer


def test_the_header_menu_opens_from_a_button_without_javascript(client):
    html = client.get("/about/").text
    menu = html[html.index('<details class="site-menu"') : html.index("</details>")]
    assert '<summary class="site-menu__toggle">' in menu
    assert '<nav class="site-nav" aria-label="Main">' in menu
    assert 'role="search"' in menu
    assert '<script src="/static/js/site.js" defer></script>' in html


def test_the_footer_says_who_runs_the_site_and_how_to_reach_them(client, settings):
    settings.SECRETARIAT_EMAIL = "apap@iucn.example"
    html = client.get("/").text
    footer = html[html.index("<footer") :]
    assert "run by the APAP secretariat, hosted by IUCN's Asia Regional Office" in footer
    assert '<a href="mailto:apap@iucn.example">apap@iucn.example</a>' in footer
    assert '<a href="/privacy/">Privacy statement</a>' in footer
    assert '<a href="/accessibility/">Accessibility statement</a>' in footer


# The statements


def test_the_privacy_statement_names_the_cookies_and_settings_it_describes(client, settings):
    settings.SESSION_COOKIE_NAME = "apap_session"
    settings.SESSION_COOKIE_AGE = 7 * 24 * 60 * 60
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = client.get("/privacy/")
    assert response.status_code == 200
    text = response.text
    assert "<code>apap_session</code>" in text
    assert "<code>csrftoken</code>" in text
    assert "after 7 days" in text
    assert "tiles.example.org" in text
    assert "after 5 failures for one username from one address" in text


def test_the_privacy_statement_names_every_cookie_the_portal_sets(client, settings, monkeypatch):
    from apap_portal import views

    text = client.get("/privacy/").text
    assert "<code>messages</code>" in text  # a form's confirmation, shown on the next page
    assert "<code>apap_primary</code>" not in text  # set only where replicas are configured
    assert "Only csrftoken can be read by a script" in text

    settings.DATABASE_REPLICA_PIN_SECONDS = 15
    monkeypatch.setattr(views, "replica_aliases", lambda: ["replica_0"])
    text = client.get("/privacy/").text
    assert "<code>apap_primary</code>" in text
    assert "Set for 15 seconds after you send a form" in text


def test_the_privacy_statement_says_what_requests_emails_and_subscriptions_keep(client, settings):
    settings.OUTBOX_KEEP_DAYS = 14
    text = client.get("/privacy/").text
    assert "kept for 14 days" in text  # sent emails, without their text
    assert "Asking for an account" in text
    assert "A response to a call" in text
    assert "delete your address and subscriptions from the portal yourself" in text
    assert "as one file, and erase it" in text


def test_the_accessibility_statement_says_the_standard_and_how_it_is_tested(client):
    text = client.get("/accessibility/").text
    assert "WCAG) 2.2, level AA" in text
    for tool in ("axe-core", "Nu HTML Checker", "Lighthouse"):
        assert tool in text
    assert 'href="mailto:' in text


def test_the_statements_exist_in_vietnamese_and_in_the_sitemap(client):
    assert client.get("/vi/privacy/").status_code == 200
    assert client.get("/vi/accessibility/").status_code == 200
    sitemap = client.get("/sitemap-pages.xml").text
    assert "/privacy/</loc>" in sitemap
    assert "/accessibility/</loc>" in sitemap


# Home


def test_home_shows_the_focal_activities_whole(client):
    """FocalActivity.__str__ cuts a long description at 90 characters ("co…")."""
    long_one = FocalActivity.objects.filter(description__regex=r"^.{91,}").first()
    assert long_one is not None
    html = client.get("/").text
    assert long_one.description in re.sub(r"\s+", " ", html)
    assert "…</li>" not in html


def test_home_offers_ways_to_take_part_instead_of_repeating_the_menu(client):
    html = client.get("/").text
    assert "Explore</h2>" not in html[: html.index("<footer")]
    assert 'href="/about/#join"' in html
    assert 'href="/knowledge/best-practices/submit/"' in html


def test_a_template_can_use_the_layout_helpers():
    rendered = Template("{% load layout %}{{ url|breakable_url }}").render(
        Context({"url": "https://a.b/c"})
    )
    assert rendered == "a.<wbr>b/<wbr>c"


def test_a_phone_leaves_out_every_other_year_of_a_long_axis_and_grouped_values():
    """Labels drawn for 640 units are unreadable at 390 px: site.css enlarges them on a
    phone and hides the texts marked minor, which must leave room for the others."""
    from in_numbers.charts import Series, Table, column_chart

    table = Table(caption="", corner="", columns=(), rows=())
    years = [str(year) for year in range(2013, 2028)]
    grouped = column_chart(
        id="c",
        title="t",
        description="d",
        categories=years,
        series=[Series("a", (1,) * 15), Series("b", (2,) * 15)],
        table=table,
    )
    labels = [text for text in grouped.texts if text.kind == "label"]
    assert [text.text for text in labels if not text.minor] == years[::2]
    assert all(text.minor for text in grouped.texts if text.kind == "value")

    single = column_chart(
        id="c", title="t", description="d", categories=years[:5],
        series=[Series("a", (1, 2, 3, 4, 5))], table=table,
    )  # fmt: skip
    assert not any(text.minor for text in single.texts)

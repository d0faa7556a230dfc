"""What search engines and link previews read on every page."""

import pytest

from tests.factories import ProtectedAreaFactory

pytestmark = pytest.mark.django_db


def test_page_has_title_description_canonical_and_open_graph(client):
    area = ProtectedAreaFactory(name="Chitwan National Park & Buffer Zone")
    html = client.get(area.get_absolute_url(), {"utm_source": "newsletter"}).text

    assert "<title>Chitwan National Park &amp; Buffer Zone · APAP</title>" in html
    assert '<meta property="og:title" content="Chitwan National Park &amp; Buffer Zone">' in html
    assert '<meta name="description" content="Chitwan National Park &amp; Buffer Zone, a ' in html
    canonical = f"http://testserver{area.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:image" content="http://testserver/static/img/apap-card.png">' in html


def test_each_page_names_its_other_language_version(client):
    html = client.get("/members/").text
    assert '<link rel="alternate" hreflang="en" href="http://testserver/members/">' in html
    assert '<link rel="alternate" hreflang="vi" href="http://testserver/vi/members/">' in html
    vietnamese = client.get("/vi/members/").text
    assert '<meta property="og:locale" content="vi_VN">' in vietnamese
    assert '<link rel="canonical" href="http://testserver/vi/members/">' in vietnamese

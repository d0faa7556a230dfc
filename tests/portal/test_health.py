from unittest import mock

import pytest
from django.db import OperationalError, connections


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    down = mock.Mock()
    down.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("apap_portal.views.connection", down):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content


def test_healthz_answers_503_when_the_database_server_is_unreachable(client, django_db_blocker):
    """With a real connection attempt to a port where nothing listens."""
    wrapper = connections["default"]
    original = wrapper.settings_dict.copy()
    wrapper.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1", "NAME": "apap_missing"})
    try:
        with django_db_blocker.unblock():
            wrapper.close()
            response = client.get("/healthz")
    finally:
        wrapper.close()
        wrapper.settings_dict.clear()
        wrapper.settings_dict.update(original)
    assert response.status_code == 503

"""Reading the lists' downloads (`?format=csv`, `?format=geojson`) in tests."""

import csv
import io
import json


def body_of(response) -> str:
    """A streamed download's text (UTF-8, its byte-order mark kept)."""
    assert response.streaming, "a list's download is streamed"
    return b"".join(response.streaming_content).decode("utf-8")


def csv_table(response) -> list[dict[str, str]]:
    """The rows of a CSV download as dicts by header, checked as a spreadsheet reads it."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="apap-')
    assert "private" in response["Cache-Control"]  # members get rows the public does not
    text = body_of(response)
    assert text.startswith("\ufeff"), "a byte-order mark, which spreadsheets need for ư"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def csv_header(response) -> list[str]:
    text = body_of(response).removeprefix("\ufeff")
    return next(csv.reader(io.StringIO(text)))


def geojson_of(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "private" in response["Cache-Control"]
    return json.loads(body_of(response))

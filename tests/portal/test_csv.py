import datetime
import json

from apap_portal.downloads import (
    csv_lines,
    csv_response,
    geojson_lines,
    point_feature,
    streamed_csv,
)


def test_csv_cells_that_look_like_formulas_stay_text():
    response = csv_response(
        "x.csv", ["Title", "Amount"], [['=HYPERLINK("http://evil")', -5], ["@SUM(A1)", 3]]
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://evil"")",-5'
    assert lines[2] == "'@SUM(A1),3"


def test_a_streamed_csv_is_the_same_file_written_as_its_rows_are_read():
    rows = [['=HYPERLINK("http://evil")', -5], ["@SUM(A1)", 3]]
    built = csv_response("x.csv", ["Title", "Amount"], rows).content
    read = []

    def one_at_a_time():
        for row in rows:
            read.append(row)
            yield row

    response = streamed_csv("x.csv", ["Title", "Amount"], one_at_a_time())
    assert response.streaming
    assert read == []  # nothing read before it is sent
    assert b"".join(response.streaming_content) == built
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_csv_cells_show_dates_in_iso_8601_and_lists_joined():
    moment = datetime.datetime(2024, 5, 1, 8, 30, tzinfo=datetime.UTC)
    rows = [[datetime.date(2023, 4, 27), moment, ["LAO", "VNM"], ["=1", None]]]
    text = "".join(csv_lines(["day", "moment", "countries", "odd"], rows))
    assert text.splitlines()[1] == "2023-04-27,2024-05-01T08:30:00+00:00,LAO;VNM,'=1"


def test_a_geojson_download_is_one_collection_written_feature_by_feature():
    features = (
        point_feature(84.3, 27.5, {"name": n, "day": datetime.date(2024, 1, n)}) for n in (1, 2)
    )
    collection = json.loads("".join(geojson_lines(features)))
    assert collection["type"] == "FeatureCollection"
    assert [f["geometry"]["coordinates"] for f in collection["features"]] == [[84.3, 27.5]] * 2
    assert collection["features"][1]["properties"] == {"name": 2, "day": "2024-01-02"}

from apap_portal.downloads import csv_response


def test_csv_cells_that_look_like_formulas_stay_text():
    response = csv_response(
        "x.csv", ["Title", "Amount"], [['=HYPERLINK("http://evil")', -5], ["@SUM(A1)", 3]]
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://evil"")",-5'
    assert lines[2] == "'@SUM(A1),3"

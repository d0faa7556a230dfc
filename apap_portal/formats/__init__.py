"""The portal's date formats, one per context, in each language (FORMAT_MODULE_PATH).

Templates never spell a format out: they name the one for their context, and each
language gives it its own convention (English, then Vietnamese):

- a day, anywhere on a page (text, cards, facts, reports): `DATE_FORMAT`, the default
  of `{{ day|date }}` — "1 December 2023", "1 tháng 12 năm 2023";
- a date known only to its month, a month of statistics: `YEAR_MONTH_FORMAT` —
  "December 2023", "tháng 12 năm 2023";
- the first day of a range whose year is said once: `MONTH_DAY_FORMAT` — "1 December",
  "1 tháng 12" (apap_portal.dates.dates_label);
- a moment (an edit, a lock, an import): `DATETIME_FORMAT` — "1 December 2023, 14:05",
  "14:05, 1 tháng 12 năm 2023";
- the admin's dense lists may use `SHORT_DATE_FORMAT` and `SHORT_DATETIME_FORMAT` —
  "1 Dec 2023", "01/12/2023".

A year alone is written as a number. Date fields are native `<input type="date">`
everywhere (apap_portal.dates.DateInput), which send ISO dates whatever the language.
Machine-readable dates (`<time datetime>`, CSV, iCalendar) stay ISO 8601.
"""

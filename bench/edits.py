"""The edits of the "first visit after an edit" measurement, and the pages it times.

The portal's caches follow the tables each value read, so an edit should make the next
visitor pay only on the pages that show what was edited: saving an activity must leave
the library's counts, rankings and whole pages cached, and saving a best practice must
not. Each edit here changes one record through the ORM, as an editor's save in the admin
would (so the portal's SQL watcher, or any other query cache, sees the UPDATE), and then
puts every column back (the scale database is reused across runs).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import models

from activities.models import Activity
from bench.pages import ANONYMOUS, PAGES, Page, first_by_slug, fixed, visible_practices
from members.models import ProtectedArea

EDITED_MARK = " (edited by the benchmark)"


@dataclass(frozen=True)
class Edit:
    name: str  # the key in latest.json
    label: str  # the column of the table
    record: Callable[[], models.Model]  # the record to change, in the current database
    field: str  # the text field changed


EDITS = [
    Edit(
        "activity",
        "an activity",
        lambda: first_by_slug(Activity.objects.visible_to(ANONYMOUS)),
        "title",
    ),
    Edit(
        "protected_area",
        "a protected area",
        lambda: first_by_slug(ProtectedArea.objects.visible_to(ANONYMOUS)),
        "name",
    ),
    Edit("best_practice", "a best practice", lambda: first_by_slug(visible_practices()), "title"),
]

# The library's pages (what an activity's edit should leave cached), and one page of each
# other kind edited, which must pay: the check that the edit is seen at all.
LIBRARY_PAGES = (
    "best-practices",
    "best-practices-filtered",
    "best-practices-search-theme",
    "best-practices-deep",
    "resources",
    "knowledge",
    "search-common",
    "search-common-kind",
)
CONTROL_PAGES = ("activities", "protected-areas")
EXTRA_PAGES = [
    Page("resources", "list", fixed("/knowledge/resources/")),
    Page("knowledge", "other", fixed("/knowledge/")),
]


def pages_after_edits() -> list[Page]:
    by_name = {page.name: page for page in [*PAGES, *EXTRA_PAGES]}
    return [by_name[name] for name in (*LIBRARY_PAGES, *CONTROL_PAGES)]


@contextlib.contextmanager
def edited(edit: Edit) -> Iterator[models.Model]:
    """The record of `edit` changed and saved (`save()`, as the admin does), put back after.

    Put back with `QuerySet.update()` of every concrete column as it was (the version,
    the time of the last update), which a query cache sees as a write too.
    """
    record = edit.record()
    model = type(record)
    columns = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.generated
    ]
    original = {field.attname: getattr(record, field.attname) for field in columns}
    setattr(record, edit.field, getattr(record, edit.field) + EDITED_MARK)
    record.save()
    try:
        yield record
    finally:
        model._base_manager.filter(pk=record.pk).update(**original)

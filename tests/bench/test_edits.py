"""The benchmark's edits (bench/edits.py): seen as writes, and undone.

The benchmark measures the first visit after an edit on the scale database, which every
later run reuses: an edit that a query cache did not see would measure nothing, and one
left behind would change what the next run measures.
"""

import pytest

from apap_portal.caching.tables import generations
from bench.edits import EDITED_MARK, EDITS, edited, pages_after_edits
from tests.factories import ActivityFactory, BestPracticeFactory, ProtectedAreaFactory

pytestmark = pytest.mark.django_db


def stored(record) -> dict:
    model = type(record)
    columns = [field.attname for field in model._meta.concrete_fields if not field.generated]
    return model._base_manager.filter(pk=record.pk).values(*columns).get()


@pytest.fixture
def records():
    return [ActivityFactory(), ProtectedAreaFactory(), BestPracticeFactory()]


@pytest.mark.parametrize("edit", EDITS, ids=[edit.name for edit in EDITS])
def test_an_edit_is_a_write_to_its_table_and_is_undone(records, edit):
    record = edit.record()
    table = type(record)._meta.db_table
    before = stored(record)
    generation = generations([table])[table]

    with edited(edit):
        during = stored(record)
        assert during[edit.field] == before[edit.field] + EDITED_MARK
        assert during["version"] == before["version"] + 1
        assert generations([table])[table] > generation

    assert stored(record) == before
    assert generations([table])[table] > generation  # putting it back is a write too


def test_every_page_measured_after_the_edits_is_named():
    names = [page.name for page in pages_after_edits()]

    assert "best-practices" in names
    assert "resources" in names
    assert len(names) == len(set(names))

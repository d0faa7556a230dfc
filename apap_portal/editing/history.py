"""Revision history of the content, kept by django-reversion.

Every content model registers in its app's models.py with `@reversion.register`,
following the rows it owns (an activity's organizers and documents, a best practice's
building blocks…) so that one revision holds a record together with its parts, and
its many-to-many tags as lists of ids. The admins are `reversion.admin.VersionAdmin`:
their change, add and changelist views (admin actions included) record a revision by
the signed-in user, shown on each record's History page, with "Recover deleted" on
each list.

Code that writes outside those views opens a revision with `revision()`: the
workflow services, the member's submission form, the demo loader, the WDPA import.
Reading adds no query: revisions are only written where something is saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import reversion
from django.db import models
from reversion.models import Revision, Version


@contextmanager
def revision(comment: str, *, user=None) -> Iterator[None]:
    """Record what is saved inside as one revision, by `user`, with `comment`.

    Like `transaction.atomic()`, which it opens: when it exits with an exception,
    nothing inside is kept and no revision is written. Inside another revision (an
    admin view, a command) it joins that one, and the user and comment given here win.
    """
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield


def latest_revision(obj: models.Model) -> Revision | None:
    """The latest revision that recorded `obj`, with its user, or None when none did."""
    if not reversion.is_registered(type(obj)):
        return None
    version = (
        Version.objects.get_for_object(obj)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
        .first()
    )
    return version.revision if version is not None else None

"""The plumbing's models in the admin: the outbox of emails.

The worker's own queue (django-tasks-db's task results) is not shown: what staff need to
know of background work is whether each email left, which the outbox says; an operator
reads the queue in the database or the worker's log.
"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from apap_portal.outbox import admin as outbox_admin  # noqa: F401 - registers EmailAdmin

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

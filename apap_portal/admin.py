"""The plumbing's models in the admin: the outbox of emails."""

from apap_portal.outbox import admin as outbox_admin  # noqa: F401 - registers EmailAdmin

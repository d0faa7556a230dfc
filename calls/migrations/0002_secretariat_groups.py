"""Editors keep calls and read the responses; managers may also delete a response
(members/permissions.py)."""

from django.db import migrations

from members.permissions import create_all_permissions, sync_groups


def grant(apps, schema_editor):
    create_all_permissions(apps)
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        # After every earlier migration that sets the groups: each sets them to exactly
        # the table of its time, and the last one to run must know the calls.
        ("members", "0019_account_requests_profile_changes"),
        ("api", "0002_secretariat_groups"),
        ("countries", "0002_secretariat_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

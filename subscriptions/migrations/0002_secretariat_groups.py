"""Managers keep the subscribers in the admin (members/permissions.py)."""

from django.db import migrations

from members.permissions import create_all_permissions, sync_groups


def grant(apps, schema_editor):
    create_all_permissions(apps)
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("members", "0018_outbox_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

from django.db import migrations

from members.permissions import create_all_permissions, sync_groups


def grant(apps, schema_editor):
    """The secretariat's groups edit the translations of records (members/permissions.py)."""
    create_all_permissions(apps)
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0014_translations"),
        ("members", "0017_translations"),
        ("activities", "0009_translations"),
        ("countries", "0002_secretariat_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

from django.db import migrations

from members.permissions import create_all_permissions, sync_groups


def grant(apps, schema_editor):
    """The secretariat's groups see the outbox of emails; managers send failed ones again."""
    create_all_permissions(apps)
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0017_translations"),
        ("apap_portal", "0001_outbox"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

from django.db import migrations

from members.permissions import create_all_permissions, sync_groups


def grant(apps, schema_editor):
    """The secretariat's groups may choose the home page's picture (members/permissions.py)."""
    create_all_permissions(apps)
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0011_cover_credit_licence_sizes_and_home_hero"),
        ("members", "0015_organization_logo"),
        ("activities", "0008_activity_cover_image"),
        ("countries", "0002_secretariat_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

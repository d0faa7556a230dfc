"""The secretariat's groups may view the country statistics (members/permissions.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from members.permissions import sync_groups


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations: here first, for every model
    # known at this point (the table names models of every app).
    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module; the historical
        # registry's app configs have none.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("countries", "0001_initial"),
        ("members", "0006_secretariat_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

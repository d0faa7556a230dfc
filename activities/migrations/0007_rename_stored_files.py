"""Activity documents uploaded before names were random get one (see
knowledge/migrations/0010_rename_stored_files.py and apap_portal.uploads)."""

from django.db import migrations

from apap_portal.uploads import rename_stored_files


def rename_files(apps, schema_editor):
    rename_stored_files(
        apps.get_model("activities", "ActivityDocument"),
        "file",
        kind="document",
        original_name_field="file_name",
    )


class Migration(migrations.Migration):
    dependencies = [("activities", "0006_files_under_random_names")]

    operations = [migrations.RunPython(rename_files, migrations.RunPython.noop)]

"""Files uploaded before names were random get one, keeping their bytes and original name.

See apap_portal.uploads.rename_stored_files: a file that is not where its record says is
left alone, one whose type cannot be told is kept as a download; nothing is deleted
before the migration commits.
"""

from django.db import migrations

from apap_portal.uploads import rename_stored_files


def rename_files(apps, schema_editor):
    rename_stored_files(
        apps.get_model("knowledge", "Resource"),
        "file",
        kind="document",
        original_name_field="file_name",
    )
    rename_stored_files(apps.get_model("knowledge", "BestPractice"), "cover_image", kind="image")
    rename_stored_files(apps.get_model("knowledge", "Story"), "image", kind="image")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0009_files_under_random_names")]

    operations = [migrations.RunPython(rename_files, migrations.RunPython.noop)]

"""The secretariat's groups, "Secretariat editors" and "Secretariat managers".

What each group may do is the table of members/permissions.py. Permissions are
normally created after all migrations (post_migrate): they are created here first,
for every model known at this point, so that the groups can be given them.
"""

from django.db import migrations

from members.permissions import EDITORS, MANAGERS, create_all_permissions, sync_groups


def create_groups(apps, schema_editor):
    create_all_permissions(apps)
    sync_groups(apps)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, MANAGERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0005_protectedarea_search"),
        ("activities", "0003_activity_search"),
        ("knowledge", "0004_taxonomies"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]

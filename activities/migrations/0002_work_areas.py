from django.db import migrations

from activities.reference import WORK_AREAS


def add_work_areas(apps, schema_editor):
    WorkArea = apps.get_model("activities", "WorkArea")
    FocalActivity = apps.get_model("activities", "FocalActivity")
    alias = schema_editor.connection.alias
    for order, (slug, name, focal_activities) in enumerate(WORK_AREAS, start=1):
        area, created = WorkArea.objects.using(alias).get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
        if created:
            for position, description in enumerate(focal_activities, start=1):
                FocalActivity.objects.using(alias).create(
                    work_area=area, description=description, order=position
                )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(add_work_areas, migrations.RunPython.noop)]

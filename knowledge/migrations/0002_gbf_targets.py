from django.db import migrations

from knowledge.reference import GBF_TARGETS, gbf_code


def add_targets(apps, schema_editor):
    GbfTarget = apps.get_model("knowledge", "GbfTarget")
    for number, short_title in GBF_TARGETS:
        GbfTarget.objects.using(schema_editor.connection.alias).get_or_create(
            number=number, defaults={"code": gbf_code(number), "short_title": short_title}
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(add_targets, migrations.RunPython.noop)]

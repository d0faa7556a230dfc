from django.db import migrations
from django.utils.text import slugify

from knowledge.reference import CHALLENGES, ECOSYSTEMS, THEMES


def add_taxonomies(apps, schema_editor):
    for model_name, names in (("Theme", THEMES), ("Ecosystem", ECOSYSTEMS), ("Challenge", CHALLENGES)):
        model = apps.get_model("knowledge", model_name)
        for order, name in enumerate(names, start=1):
            model.objects.using(schema_editor.connection.alias).get_or_create(slug=slugify(name), defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_library")]

    operations = [migrations.RunPython(add_taxonomies, migrations.RunPython.noop)]

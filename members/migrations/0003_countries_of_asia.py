from django.db import migrations

from members.reference import ASIAN_COUNTRIES


def add_countries(apps, schema_editor):
    Country = apps.get_model("members", "Country")
    countries = Country.objects.using(schema_editor.connection.alias)
    for iso3, name, subregion in ASIAN_COUNTRIES:
        countries.update_or_create(
            iso3=iso3, defaults={"name": name, "subregion": subregion}
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_postgres_extensions")]

    operations = [migrations.RunPython(add_countries, migrations.RunPython.noop)]

from django.db import migrations


class Migration(migrations.Migration):
    """A text search configuration that ignores diacritics: "cuc phuong" finds "Cúc Phương".

    Words with non-ASCII letters go through unaccent before English stemming. Because the
    configuration is named in each search vector, the vectors can be generated columns
    (to_tsvector with a fixed configuration is immutable, unaccent() on its own is not).
    """

    dependencies = [("members", "0003_countries_of_asia")]

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE TEXT SEARCH CONFIGURATION apap (COPY = pg_catalog.english)",
                "ALTER TEXT SEARCH CONFIGURATION apap "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
            ],
            reverse_sql=["DROP TEXT SEARCH CONFIGURATION apap"],
        ),
    ]

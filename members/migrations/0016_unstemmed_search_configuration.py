from django.db import migrations


class Migration(migrations.Migration):
    """A text search configuration for records not written in English: "bao ton" finds "bảo tồn".

    Like `apap` (0004) it ignores diacritics (unaccent maps "đ" to "d" too), but it keeps
    every word as written: no English stemming and no English stop words, which would drop
    Vietnamese words such as "thẻ" (read as "the") from the index.
    """

    dependencies = [("members", "0015_organization_logo")]

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE TEXT SEARCH CONFIGURATION apap_simple (COPY = pg_catalog.simple)",
                "ALTER TEXT SEARCH CONFIGURATION apap_simple "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
            ],
            reverse_sql=["DROP TEXT SEARCH CONFIGURATION apap_simple"],
        ),
    ]

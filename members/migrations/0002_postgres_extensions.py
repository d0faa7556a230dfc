from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """The PostgreSQL extensions the portal's search relies on."""

    dependencies = [("members", "0001_initial")]

    operations = [UnaccentExtension(), TrigramExtension()]

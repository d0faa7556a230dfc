"""Make the sizes of pictures stored before sizes were made on upload.

A picture uploaded since then has its sizes and its width and height; one stored before
is shown as stored (no `srcset`) until this command has run once, after deploying. It
reads each such picture from the storage, writes its sizes beside it and records its
width and height. It can run again: a record that has its width is skipped.
"""

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from PIL import Image, UnidentifiedImageError

from apap_portal.media import record_files
from apap_portal.pictures import make_sizes
from apap_portal.uploads import PictureField


class Command(BaseCommand):
    help = "Make the sizes of pictures stored before sizes were made on upload."

    def handle(self, *args, **options):
        for files in record_files():
            field = files.field
            if not (isinstance(field, PictureField) and field.widths):
                continue
            made = missing = 0
            width_name, height_name = f"{field.attname}_width", f"{field.attname}_height"
            waiting = files.model._default_manager.exclude(**{field.attname: ""}).filter(
                **{f"{width_name}__isnull": True}
            )
            for pk, name in waiting.values_list("pk", field.attname).iterator():
                if not field.storage.exists(name):
                    missing += 1
                    continue
                with field.storage.open(name, "rb") as stored:
                    content = ContentFile(stored.read(), name=name)
                try:
                    with Image.open(content) as image:
                        width, height = image.size
                except (UnidentifiedImageError, OSError):
                    missing += 1
                    continue
                make_sizes(name, content, field.widths, storage=field.storage, replace=True)
                files.model._default_manager.filter(pk=pk).update(
                    **{width_name: width, height_name: height}
                )
                made += 1
            label = f"{files.model._meta.label}.{field.name}"
            self.stdout.write(f"{label}: {made} pictures sized, {missing} missing or unreadable.")

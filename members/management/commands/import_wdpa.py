"""manage.py import_wdpa FILE.csv: create or update protected areas from a WDPA export."""

from django.core.management.base import BaseCommand, CommandError

from members.wdpa import ImportResult, WdpaFileError, import_file

SKIPPED_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Create or update protected areas, keyed on their WDPA id, from a WDPA CSV export "
        "(legacy WDPAID or newer SITE_ID column names). Bad rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The WDPA CSV file, UTF-8.")

    def handle(self, *args, path: str, verbosity: int = 1, **options) -> None:
        progress = self.stdout.write if verbosity >= 1 else (lambda message: None)
        try:
            result = import_file(path, progress=progress)
        except WdpaFileError as error:
            raise CommandError(str(error)) from error
        self._report(result)

    def _report(self, result: ImportResult) -> None:
        summary = (
            f"{result.rows_read} rows read: created {result.created}, "
            f"updated {result.updated}, unchanged {result.unchanged}, "
            f"skipped {len(result.skipped)}"
        )
        self.stdout.write(summary, self.style.WARNING if result.skipped else self.style.SUCCESS)
        for skipped in result.skipped[:SKIPPED_SHOWN]:
            self.stdout.write(f"  line {skipped.line}: {skipped.reason}", self.style.WARNING)
        if len(result.skipped) > SKIPPED_SHOWN:
            self.stdout.write(f"  … and {len(result.skipped) - SKIPPED_SHOWN} more skipped rows")

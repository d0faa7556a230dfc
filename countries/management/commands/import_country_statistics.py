"""manage.py import_country_statistics FILE.csv --as-of YYYY-MM: Protected Planet's country
statistics (land and sea covered by protected areas and OECMs), for the country profiles."""

from django.core.management.base import BaseCommand, CommandError

from countries.statistics import ImportResult, StatisticsFileError, import_file, parse_month

SKIPPED_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Load Protected Planet's country statistics (CSV) for the countries the portal lists, "
        "replacing what an earlier import gave them. Bad rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The country statistics CSV file, UTF-8.")
        parser.add_argument(
            "--as-of",
            required=True,
            help="The month of Protected Planet's release, YYYY-MM (the pages show it).",
        )

    def handle(self, *args, path: str, as_of: str, **options) -> None:
        try:
            result = import_file(path, parse_month(as_of))
        except StatisticsFileError as error:
            raise CommandError(str(error)) from error
        self._report(result)

    def _report(self, result: ImportResult) -> None:
        summary = (
            f"{result.rows_read} rows read: {result.created} countries created, "
            f"{result.replaced} replaced, {len(result.skipped)} rows skipped"
        )
        self.stdout.write(summary, self.style.WARNING if result.skipped else self.style.SUCCESS)
        for skipped in result.skipped[:SKIPPED_SHOWN]:
            self.stdout.write(f"  line {skipped.line}: {skipped.reason}", self.style.WARNING)
        if len(result.skipped) > SKIPPED_SHOWN:
            self.stdout.write(f"  … and {len(result.skipped) - SKIPPED_SHOWN} more skipped rows")
        if result.not_listed:
            self.stdout.write(
                f"{len(result.not_listed)} rows of countries the portal does not list were "
                f"left out: {', '.join(result.not_listed)}"
            )

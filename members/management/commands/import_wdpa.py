"""manage.py import_wdpa FILE: create or update protected areas from a WDPA download."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from members.wdpa import ImportResult, Progress, WdpaFileError, import_file

SKIPPED_SHOWN = 50
BAR_WIDTH = 30


class ProgressBar(Progress):
    """A bar redrawn in place on a terminal; plain lines elsewhere (a log, a pipe)."""

    def __init__(self, out, *, terminal: bool):
        self.out = out
        self.terminal = terminal
        self.drawn = ""

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.terminal:
            of_total = f" of {total}" if total is not None else ""
            self.out.write(f"… {stage}: {done}{of_total}")
            return
        if total:
            filled = BAR_WIDTH * min(done, total) // total
            bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
        else:
            bar = f"{done}"
        line = f"\r{stage:<8} {bar}"
        self.out.write(line, ending="")
        self.out.flush()
        self.drawn = stage

    def finish(self) -> None:
        if self.terminal and self.drawn:
            self.out.write("")


class Command(BaseCommand):
    help = (
        "Create or update protected areas, keyed on their WDPA id, from a WDPA download: "
        "the CSV export (legacy WDPAID or current SITE_ID column names), Protected Planet's "
        "shapefile ZIP (nested ZIPs of points and polygons), a GeoPackage or GeoJSON. "
        "Bad rows are reported and skipped; each import is kept as a record of what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The WDPA file: .csv (UTF-8), .zip, .gpkg or .geojson.")
        parser.add_argument("--user", help="The username of the person importing, for the record.")
        parser.add_argument(
            "--partial",
            action="store_true",
            help=(
                "The file is a selection of sites, not a country's whole download: flag no "
                "area as missing from the WDPA because the file does not name it."
            ),
        )

    def handle(
        self,
        *args,
        path: str,
        user: str | None = None,
        partial: bool = False,
        verbosity: int = 1,
        **options,
    ):
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user is called {user!r}.")
        progress = ProgressBar(self.stdout, terminal=self.stdout.isatty())
        try:
            result = import_file(
                path, progress if verbosity >= 1 else None, user=importer, partial=partial
            )
        except WdpaFileError as error:
            raise CommandError(str(error)) from error
        finally:
            progress.finish()
        self._report(result, partial=partial)

    def _report(self, result: ImportResult, *, partial: bool) -> None:
        summary = (
            f"{result.rows_read} rows read: created {result.created}, "
            f"updated {result.updated}, unchanged {result.unchanged}, "
            f"skipped {len(result.skipped)}"
        )
        if result.missing or result.returned:
            summary += (
                f"; {result.missing} no longer in the WDPA (kept, flagged), "
                f"{result.returned} back in it"
            )
        if partial:
            summary += "; a partial file: no area flagged as missing from the WDPA"
        self.stdout.write(summary, self.style.WARNING if result.skipped else self.style.SUCCESS)
        for skipped in result.skipped[:SKIPPED_SHOWN]:
            self.stdout.write(f"  {skipped.record}: {skipped.reason}", self.style.WARNING)
        if len(result.skipped) > SKIPPED_SHOWN:
            self.stdout.write(f"  … and {len(result.skipped) - SKIPPED_SHOWN} more skipped rows")
        if result.record is not None:
            self.stdout.write(f"Kept as WDPA import #{result.record.pk}.")

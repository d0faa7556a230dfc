"""The command that generates large synthetic data for benchmarks, in a database of its own.

    createdb -h 127.0.0.1 -U postgres apap_portal_scale
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/apap_portal_scale
    manage.py migrate && python -m bench.generate_scale_data

The benchmark is not part of the product, so this is not a management command of an
installed app: `bench/generate_scale_data.py` runs it (`make bench` does, on first use).

It tops each table up to the counts asked for (running it twice adds nothing), or with
`--reset` first removes every synthetic row (slugs starting with `scale-`). The same
`--seed` always gives the same rows. See bench/scale_data.py and
docs/performance.md.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from bench.scale_data import (
    SEARCH_TERMS,
    VIETNAMESE_SEARCH_TERM,
    VIETNAMESE_SEARCH_TERM_UNMARKED,
    ScaleCounts,
    ScaleDataGenerator,
    vacuum_analyze,
)

DEFAULTS = ScaleCounts()
SCALE_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/apap_portal_scale"


def count(value: str) -> int:
    number = int(value.replace("_", "").replace(",", ""))
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate large synthetic data for benchmarks (best practices, protected areas, "
        "activities, resources, stories, organizations) in a database named *scale*."
    )

    def add_arguments(self, parser):
        options = [
            ("--best-practices", "best_practices"),
            ("--protected-areas", "protected_areas"),
            ("--activities", "activities"),
            ("--resources", "resources"),
            ("--stories", "stories"),
            ("--organizations", "organizations"),
        ]
        for flag, name in options:
            parser.add_argument(
                flag,
                type=count,
                default=getattr(DEFAULTS, name),
                metavar="N",
                help=f"How many to have (default {getattr(DEFAULTS, name):,}).",
            )
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of the random content (default 1)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove every synthetic row (slug starting with scale-) first.",
        )
        parser.add_argument(
            "--allow-any-database",
            action="store_true",
            help='Write even when the database name does not contain "scale".',
        )

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if "scale" not in name and not options["allow_any_database"]:
            raise CommandError(
                f"Refusing to write synthetic data into the database {name!r}: its name does "
                f'not contain "scale". Point DATABASE_URL at a database of its own, e.g. '
                f"DATABASE_URL={SCALE_DATABASE_URL} (createdb it, then migrate), or pass "
                "--allow-any-database."
            )
        counts = ScaleCounts(
            organizations=options["organizations"],
            protected_areas=options["protected_areas"],
            activities=options["activities"],
            best_practices=options["best_practices"],
            resources=options["resources"],
            stories=options["stories"],
        )
        verbose = options["verbosity"] >= 1
        tty = verbose and self.stdout.isatty()

        def write(text: str, ending: str) -> None:
            if verbose:
                self.stdout.write(text, ending=ending)
                self.stdout.flush()

        started = time.perf_counter()
        generator = ScaleDataGenerator(counts, seed=options["seed"], write=write, tty=tty)
        write(f"Synthetic data in {name} (seed {options['seed']}):", "\n")
        # With DEBUG on (development), the debug cursor would keep the SQL of thousands of
        # multi-megabyte INSERTs in memory (gigabytes at the default counts).
        with override_settings(DEBUG=False):
            created = generator.run(reset=options["reset"])
            if any(created.values()) or options["reset"]:
                seconds = vacuum_analyze(generator.written_models())
                write(f"  VACUUM (ANALYZE) in {seconds:.1f} s", "\n")
        elapsed = time.perf_counter() - started
        terms = ", ".join(f"{level} {term!r}" for level, term in SEARCH_TERMS.items())
        terms += f"; on /vi/ {VIETNAMESE_SEARCH_TERM!r} and {VIETNAMESE_SEARCH_TERM_UNMARKED!r}"
        write(f"  search terms: {terms}", "\n")
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {sum(created.values()):,} rows (and their relations) "
                    f"in {elapsed:.1f} s."
                )
            )

"""Load the demo data: real facts about APAP that a newcomer sees after `make run`.

Safe to run again: each section's loader finds its records by their natural keys and
writes only what is missing or differs, so a second run changes nothing. What a run
writes is one revision of history, "Demo data", and moves each record's version.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apap_portal.editing.history import revision
from demo.activities import load_activities_demo
from demo.calls import load_calls_demo
from demo.countries import load_countries_demo
from demo.knowledge import load_knowledge_demo
from demo.members import load_members_demo
from demo.translations import load_translations_demo

# Each section's loader, in dependency order (activities and knowledge refer to members;
# the translations, last, to the records of every other section).
# A loader takes `stdout` (None for quiet) and returns, per kind of record, the number
# created, updated and unchanged: {"organizations": {"created": 13, ...}, ...}.
DEMO_LOADERS = [
    ("members", load_members_demo),
    ("activities", load_activities_demo),
    ("knowledge", load_knowledge_demo),
    ("countries", load_countries_demo),
    ("calls", load_calls_demo),
    ("translations", load_translations_demo),
]


class Command(BaseCommand):
    help = "Load the demo data (members, activities, demo accounts); safe to re-run."

    def handle(self, *args, verbosity=1, **options):
        if not settings.ALLOW_DEMO_DATA:
            # The demo accounts have passwords printed in the README.
            raise CommandError(
                "load_demo creates accounts with published passwords and is off in "
                "production; set DJANGO_ALLOW_DEMO_DATA=true to load it anyway."
            )
        details = self.stdout if verbosity >= 2 else None
        # One revision in each record's history; a run that changes nothing records none.
        with revision("Demo data"):
            results = [(section, loader(stdout=details)) for section, loader in DEMO_LOADERS]
        if verbosity >= 1:
            for section, counts in results:
                self.stdout.write(self.style.SUCCESS(f"{section}: {summarize(counts)}"))


def summarize(counts: dict[str, dict[str, int]]) -> str:
    """E.g. "organizations 13, users 2 (15 created, 0 updated, 0 unchanged)"."""
    records = ", ".join(f"{label} {sum(tally.values())}" for label, tally in counts.items())
    totals = {
        outcome: sum(tally[outcome] for tally in counts.values())
        for outcome in ("created", "updated", "unchanged")
    }
    outcomes = ", ".join(f"{number} {outcome}" for outcome, number in totals.items())
    return f"{records} ({outcomes})"

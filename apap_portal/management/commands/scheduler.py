"""Run the periodic tasks of PERIODIC_TASKS: `manage.py scheduler` (beside `db_worker`).

`--once` enqueues every periodic task once and exits, for a cron job instead of the
long-running scheduler (each task decides itself what is due).
"""

import signal

from django.core.management.base import BaseCommand

from apap_portal import scheduler


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (digests, reminders, email retries) at their intervals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Enqueue each periodic task once and exit."
        )

    def handle(self, *args, once: bool = False, **options):
        tasks = scheduler.periodic_tasks()
        if once:
            scheduler.enqueue_all(tasks)
            return
        running = True

        def stop(signum, frame):
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        names = ", ".join(f"{task.name} every {task.every_seconds} s" for task in tasks)
        self.stdout.write(f"Scheduler started: {names}.")
        scheduler.run(tasks=tasks, keep_going=lambda: running)

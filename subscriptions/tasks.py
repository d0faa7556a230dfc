"""The digests' periodic task: the scheduler enqueues it (settings.PERIODIC_TASKS)."""

from django.tasks import task

from subscriptions.digests import send_due_digests


@task()
def send_digests() -> int:
    """Queue the digests that are due; each run decides itself who is due (digests.py)."""
    return send_due_digests()

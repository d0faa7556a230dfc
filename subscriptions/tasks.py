"""The subscriptions' periodic tasks: the scheduler enqueues them (settings.PERIODIC_TASKS)."""

import logging

from django.tasks import task
from django.utils import timezone

from subscriptions.digests import send_due_digests
from subscriptions.links import CONFIRMATION_VALID_FOR
from subscriptions.models import Subscriber

logger = logging.getLogger("subscriptions")


@task()
def send_digests() -> int:
    """Queue the digests that are due; each run decides itself who is due (digests.py)."""
    return send_due_digests()


@task()
def forget_unconfirmed() -> int:
    """Delete the addresses nobody confirmed before their link expired (the privacy page
    promises it): they were never sent anything but that link, and it no longer works.
    Asking again stores the address again; confirming recreates it if it is gone."""
    expired = timezone.now() - CONFIRMATION_VALID_FOR
    deleted, _ = Subscriber.objects.filter(
        confirmed_at__isnull=True, user__isnull=True, created_at__lt=expired
    ).delete()
    if deleted:
        logger.info("Deleted %s subscriber records never confirmed.", deleted)
    return deleted

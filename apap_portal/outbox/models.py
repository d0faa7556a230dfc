"""The outbox: every email the portal sends, kept until it has left.

A message is written here in the transaction of what caused it (a submission, an
approval, a digest), and a task to send it is enqueued in the same transaction
(django-tasks-db keeps the queue in PostgreSQL too). So a rolled-back change sends
nothing, and a committed one survives a worker that stops or is killed: the message is
still here, `queued` or with an expired claim, and the periodic `resend_due` sends it.

Bodies are dropped once a message has left: a password-reset link is nobody's to read
afterwards, and what stays (to, subject, kind, when, attempts, the last error) is what
the secretariat needs to see that a message went, or why it did not.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailQuerySet(models.QuerySet):
    def due(self, now):
        """Messages a worker should (re)try now: queued and due, or claimed by a worker
        that has not finished in time (stopped or killed while sending)."""
        return self.filter(
            models.Q(status=Email.Status.QUEUED, next_attempt_at__lte=now)
            | models.Q(status=Email.Status.SENDING, claimed_until__lt=now)
        )


class Email(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    kind = models.CharField(
        _("kind"), max_length=100, blank=True, help_text=_("What the message is, e.g. a digest.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        indexes = [
            # What the periodic resend reads: unfinished messages by when they are due.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_unfinished_due",
                condition=models.Q(status__in=["queued", "sending"]),
            ),
            models.Index(fields=["to"], name="outbox_to"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

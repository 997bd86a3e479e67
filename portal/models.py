"""Portal-wide records that more than one app writes: the outbox of notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message to one person about one thing, sent at most once.

    `key` names the subject and the occasion ("hour-account:12:threshold:25pct"); the unique
    (recipient, kind, key) makes a sweep that runs twice, or a retried task, create no second row.
    The row holds the rendered text, so sending is only mailing it and stamping `sent_at`.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    # An optional file sent with the e-mail (a booking's .ics invite), kept as text like the body.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="notification_once_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_outbox")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.subject}"

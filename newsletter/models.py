"""The biannual newsletter: a TA admin composes an issue for a program from the period's content,
the worker renders its PDF, and publishing files it in the library and e-mails the people of
the program who opted in (each e-mail carries an unsubscribe link that needs no sign-in)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grantees.models import Program
from portal.uploads import PrivateStorage


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        GENERATING = "generating", "Making the PDF"
        READY = "ready", "PDF ready"
        FAILED = "failed", "PDF failed"
        PUBLISHED = "published", "Published"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="newsletters")
    title = models.CharField(max_length=200)
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    highlights = models.TextField(help_text="The period's highlights, a paragraph or a list.")
    spotlight_title = models.CharField(max_length=200, blank=True)
    spotlight_body = models.TextField(blank=True, help_text="A grantee's story.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    pdf = models.FileField(storage=PrivateStorage, upload_to="newsletters/", blank=True)
    error = models.TextField(blank=True)
    resource = models.ForeignKey(
        "library.Resource", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0, help_text="E-mails queued on publishing.")

    class Meta:
        ordering = ["-period_ends_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_ends_on__gte=models.F("period_starts_on")),
                name="newsletter_period_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status != self.Status.PUBLISHED


class Subscription(models.Model):
    """Whether a person wants the newsletter by e-mail. No row: not subscribed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsletter"
    )
    subscribed = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} {'subscribed' if self.subscribed else 'unsubscribed'}"

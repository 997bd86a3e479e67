"""The audit log: an append-only record of sign-ins, refused access, role changes, hour-ledger
postings and exports. Rows are never changed or deleted by the application (save() refuses an
update, delete() refuses) and, on PostgreSQL, a trigger refuses UPDATE and DELETE outright."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        ACCESS_DENIED = "access_denied", "Access refused"
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_CHANGED = "role_changed", "Role changed"
        ROLE_REVOKED = "role_revoked", "Role revoked"
        LEDGER_POSTED = "ledger_posted", "Hour-ledger posting"
        EXPORT = "export", "Export or download"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # The record outlives the person: no constraint, and deleting a user touches no row
        # here (an UPDATE would be refused by the append-only trigger anyway).
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_email = models.CharField(max_length=254, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    target = models.CharField(max_length=200, blank=True, help_text="What it was about.")
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.actor_email}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")

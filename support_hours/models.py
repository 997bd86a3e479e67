"""Support requests, coaching sessions and the grantee's hour ledger (DESIGN §4).

The ledger is insert-only: an `HourAccount` per grantee carries running balances that only
`support_hours.ledger.ledger_post` changes, under a row lock, in the same transaction as the
entry it inserts; so the balances always equal the sums of the entries. On PostgreSQL a trigger
refuses UPDATE and DELETE of entries (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from grantees.models import Grantee, Topic

SESSION_STEP_MINUTES = 15
SESSION_MAX_MINUTES = 8 * 60


class HourAccount(models.Model):
    """A grantee's individualized-support hours for its program period."""

    grantee = models.OneToOneField(Grantee, on_delete=models.PROTECT, related_name="hour_account")
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    # Running balances in minutes; changed only by ledger_post while this row is locked.
    allocated_minutes = models.IntegerField(default=0)  # allocations and adjustments
    held_minutes = models.IntegerField(default=0)  # booked, not yet delivered
    used_minutes = models.IntegerField(default=0)  # delivered
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(period_ends_on__gt=models.F("period_starts_on")),
                name="hour_account_period_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Hours of {self.grantee}"

    @property
    def available_minutes(self) -> int:
        return self.allocated_minutes - self.held_minutes - self.used_minutes


class LedgerEntry(models.Model):
    """One posting. Never changed: a mistake is corrected by a reversal that points back to it."""

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", "Allocation"
        HOLD = "hold", "Hold"
        RELEASE = "release", "Release"
        DEBIT = "debit", "Debit"
        ADJUSTMENT = "adjustment", "Adjustment"
        REVERSAL = "reversal", "Reversal"

    class Bucket(models.TextChoices):
        """Which balance an entry moves; a reversal moves the bucket of the entry it reverses."""

        ALLOCATED = "allocated", "Allocated"
        HELD = "held", "Held"
        USED = "used", "Used"

    account = models.ForeignKey(HourAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    bucket = models.CharField(max_length=10, choices=Bucket.choices)
    minutes = models.IntegerField(help_text="Signed: + adds to the available hours, − draws.")
    available_after_minutes = models.IntegerField()
    effective_on = models.DateField(help_text="The day the hours count for (a session's date).")
    idempotency_key = models.CharField(max_length=200, unique=True)
    reason = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True, help_text="Why a TA admin let this posting take the balance below zero."
    )
    session = models.ForeignKey(
        "CoachingSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        help_text="The hold a release frees, or the entry a reversal undoes (once each).",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for postings made by the portal itself.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(grantee="account__grantee")

    class Meta:
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=~Q(minutes=0), name="ledger_entry_not_zero"),
            models.CheckConstraint(
                condition=(
                    Q(kind="allocation", minutes__gt=0, bucket="allocated")
                    | Q(kind="adjustment", bucket="allocated")
                    | Q(kind="hold", minutes__lt=0, bucket="held")
                    | Q(kind="release", minutes__gt=0, bucket="held", corrects__isnull=False)
                    | Q(kind="debit", minutes__lt=0, bucket="used")
                    | Q(kind="reversal", corrects__isnull=False)
                ),
                name="ledger_entry_kind_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["adjustment", "reversal"]) | ~Q(reason=""),
                name="ledger_entry_reason_required",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "created_at"], name="ledger_entry_account_time"),
            models.Index(fields=["account", "effective_on"], name="ledger_entry_account_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.minutes:+d} min ({self.idempotency_key})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Ledger entries are insert-only; post a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger entries are insert-only; post a reversal instead.")


class SupportRequest(models.Model):
    """A grantee asks for individualized help; a TA admin matches it to a coach."""

    class Urgency(models.TextChoices):
        LOW = "low", "Flexible (within a month)"
        NORMAL = "normal", "Soon (within two weeks)"
        HIGH = "high", "Urgent (this week)"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        MATCHED = "matched", "Matched"
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="support_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_requests"
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("short title", max_length=150)
    description = models.TextField("what you need")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    preferred_times = models.CharField(max_length=300, blank=True)
    desired_expertise = models.ManyToManyField(Topic, blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    assigned_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_support_requests",
    )
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["grantee", "-created_at"], name="support_request_grantee"),
            models.Index(fields=["status", "created_at"], name="support_request_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class SupportRequestEvent(models.Model):
    """The request's timeline: each status change, who made it and why."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=SupportRequest.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(grantee="request__grantee")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.created_at:%Y-%m-%d %H:%M}"


class CoachingSession(models.Model):
    """A delivered coaching session. Recording it draws its minutes from the grantee's hours."""

    class Mode(models.TextChoices):
        VIRTUAL = "virtual", "Virtual meeting"
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"
        ASYNC = "async", "Asynchronous / document review"

    class Status(models.TextChoices):
        RECORDED = "recorded", "Awaiting confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        DISPUTED = "disputed", "Disputed"
        RESOLVED = "resolved", "Dispute resolved"

    grantee = models.ForeignKey(Grantee, on_delete=models.PROTECT, related_name="sessions")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coached_sessions"
    )
    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    plan_goal = models.ForeignKey(
        "assessments.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        help_text="The TA-plan goal this session worked on.",
    )
    started_at = models.DateTimeField()
    minutes = models.PositiveIntegerField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.VIRTUAL)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="attended_sessions"
    )
    guests = models.TextField(blank=True, help_text="Other attendees, one per line.")
    topics = models.ManyToManyField(Topic, related_name="+")
    summary = models.TextField(help_text="Shared with the grantee.")
    internal_notes = models.TextField(blank=True, help_text="TA staff only.")
    next_steps = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    awaiting_since = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dispute_comment = models.TextField(blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    idempotency_key = models.CharField(max_length=64, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=SESSION_STEP_MINUTES, minutes__lte=SESSION_MAX_MINUTES),
                name="session_minutes_range",
            ),
        ]
        indexes = [
            models.Index(fields=["grantee", "-started_at"], name="session_grantee_time"),
            models.Index(fields=["coach", "-started_at"], name="session_coach_time"),
            models.Index(fields=["status", "awaiting_since"], name="session_status_age"),
        ]

    def __str__(self) -> str:
        return f"Session with {self.grantee} on {self.started_at:%Y-%m-%d}"

    @property
    def guest_list(self) -> list[str]:
        return [line.strip() for line in self.guests.splitlines() if line.strip()]


class SessionRevision(models.Model):
    """What a session looked like before an edit, so history is never lost."""

    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    before = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(grantee="session__grantee")

    class Meta:
        ordering = ["-revision"]
        constraints = [
            models.UniqueConstraint(fields=["session", "revision"], name="session_revision_once")
        ]

    def __str__(self) -> str:
        return f"Revision {self.revision} of session {self.session_id}"


class ActionItem(models.Model):
    """A follow-up agreed in a session: who does what by when."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=150)
    due_on = models.DateField("due date", null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)

    objects = ScopedManager(grantee="session__grantee")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

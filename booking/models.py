"""Office hours, coaches' 1:1 availability, bookings and calendar feeds.

Times are stored in UTC. Recurring office hours and weekly availability are kept as local wall-clock
rules (time + IANA zone) and expanded in that zone, so "10:00 every 2nd Tuesday" stays 10:00 across
daylight-saving changes. A slot or seat is taken at most once: the services lock a row (the
occurrence, or the coach's schedule) and the partial unique constraints below back that up; on
PostgreSQL an exclusion constraint also refuses overlapping 1:1 bookings of one coach.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from grantees.models import Grantee, Program, Topic

DEFAULT_TIME_ZONE = "America/Los_Angeles"
WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class CoachSchedule(models.Model):
    """A coach's rules for 1:1 bookings: when they can meet and how much."""

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_schedule"
    )
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE)
    session_minutes = models.PositiveSmallIntegerField(
        "session length (minutes)",
        default=60,
        choices=[(30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1.5 hours")],
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        "buffer between sessions (minutes)",
        default=15,
        choices=[
            (0, "None"),
            (5, "5 minutes"),
            (10, "10 minutes"),
            (15, "15 minutes"),
            (30, "30 minutes"),
        ],
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        "minimum notice (hours)", default=24, help_text="Nobody can book sooner than this."
    )
    max_sessions_per_day = models.PositiveSmallIntegerField("most 1:1 sessions in a day", default=4)
    horizon_days = models.PositiveSmallIntegerField("bookable up to (days ahead)", default=60)
    meeting_url = models.URLField(
        "video-meeting link", blank=True, help_text="Shown only to people with a booking."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(max_sessions_per_day__gte=1), name="coach_schedule_max_per_day"
            ),
            models.CheckConstraint(
                condition=Q(horizon_days__gte=1, horizon_days__lte=365),
                name="coach_schedule_horizon",
            ),
        ]

    def __str__(self) -> str:
        return f"Schedule of {self.coach}"


class WeeklyAvailability(models.Model):
    """A recurring weekly window (local time in the schedule's zone) when 1:1s can be booked."""

    schedule = models.ForeignKey(CoachSchedule, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    starts_at = models.TimeField("from")
    ends_at = models.TimeField("until")

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name_plural = "weekly availability"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="weekly_window_valid"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekly_window_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class AvailabilityException(models.Model):
    """Days a coach cannot take 1:1s (vacation, conference), inclusive, in the schedule's zone."""

    schedule = models.ForeignKey(CoachSchedule, on_delete=models.CASCADE, related_name="exceptions")
    starts_on = models.DateField("first day away")
    ends_on = models.DateField("last day away")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="availability_exception_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Away {self.starts_on}–{self.ends_on}"


class OfficeHourSeries(models.Model):
    """Recurring virtual office hours of a program, e.g. "2nd Tuesday, 10:00–12:00 Pacific"."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly, on the nth weekday"
        WEEKLY = "weekly", "Weekly"

    class Format(models.TextChoices):
        SLOTS = "slots", "Individual slots"
        DROP_IN = "drop_in", "Group drop-in"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="office_hours")
    title = models.CharField(max_length=200)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    description = models.TextField(blank=True)
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="hosted_office_hours")
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    week_of_month = models.SmallIntegerField(
        null=True,
        blank=True,
        choices=[(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (-1, "Last")],
    )
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    starts_at = models.TimeField("from")
    ends_at = models.TimeField("until")
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE)
    first_date = models.DateField("first date on or after")
    last_date = models.DateField("last date on or before")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.SLOTS)
    slot_minutes = models.PositiveSmallIntegerField("slot length (minutes)", null=True, blank=True)
    capacity = models.PositiveSmallIntegerField("seats", null=True, blank=True)
    meeting_url = models.URLField(
        "video-meeting link", blank=True, help_text="Shown only to people with a booking."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "title"]
        verbose_name_plural = "office-hour series"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="office_hours_times_valid"
            ),
            models.CheckConstraint(
                condition=Q(last_date__gte=models.F("first_date")),
                name="office_hours_dates_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(format="slots", slot_minutes__gte=10, capacity__isnull=True)
                    | Q(format="drop_in", capacity__gte=1, slot_minutes__isnull=True)
                ),
                name="office_hours_format_shape",
            ),
            models.CheckConstraint(
                condition=(
                    Q(frequency="weekly", week_of_month__isnull=True)
                    | Q(frequency="monthly", week_of_month__isnull=False)
                ),
                name="office_hours_frequency_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rule_label(self) -> str:
        day = self.get_weekday_display()
        when = f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
        if self.frequency == self.Frequency.WEEKLY:
            return f"Every {day}, {when}"
        return f"{self.get_week_of_month_display()} {day} of the month, {when}"


class OfficeHourOccurrence(models.Model):
    """One date of a series, materialised so it can be skipped or moved on its own."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SKIPPED = "skipped", "Skipped"

    series = models.ForeignKey(
        OfficeHourSeries, on_delete=models.CASCADE, related_name="occurrences"
    )
    rule_date = models.DateField(help_text="The date the rule gives (kept when moved).")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    change_note = models.CharField(max_length=300, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # bumped when moved

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "rule_date"], name="office_hours_occurrence_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="occurrence_times_valid"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="occurrence_start")]

    def __str__(self) -> str:
        return f"{self.series} on {self.rule_date}"

    @property
    def is_moved(self) -> bool:
        return self.sequence > 0

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Booking(models.Model):
    """A person of a grantee booked into an office-hour slot/seat or a 1:1 with a coach."""

    class Kind(models.TextChoices):
        OFFICE_HOURS = "office_hours", "Office hours"
        ONE_ON_ONE = "one_on_one", "1:1 session"

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        LATE_CANCELLED = "late_cancelled", "Cancelled late"
        NO_SHOW = "no_show", "No-show"
        COMPLETED = "completed", "Completed"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grantee = models.ForeignKey(Grantee, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    occurrence = models.ForeignKey(
        OfficeHourOccurrence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coach_bookings",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    seat = models.PositiveSmallIntegerField(default=1)
    note = models.TextField("what do you want to work on?", blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.BOOKED)
    sequence = models.PositiveIntegerField(default=0)  # RFC 5545 SEQUENCE: bumped on each change
    hold = models.OneToOneField(
        "support_hours.LedgerEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booking",
    )
    session = models.OneToOneField(
        "support_hours.CoachingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking",
    )
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    scheduled_at = models.DateTimeField(
        default=timezone.now, help_text="When the current time was set (booked or rescheduled)."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_times_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="office_hours", occurrence__isnull=False, coach__isnull=True)
                    | Q(kind="one_on_one", coach__isnull=False, occurrence__isnull=True)
                ),
                name="booking_kind_shape",
            ),
            # The backstop under the row locks: a slot or seat is taken at most once …
            models.UniqueConstraint(
                fields=["occurrence", "starts_at", "seat"],
                condition=Q(status="booked", kind="office_hours"),
                name="booking_office_hours_seat_once",
            ),
            models.UniqueConstraint(
                fields=["coach", "starts_at"],
                condition=Q(status="booked", kind="one_on_one"),
                name="booking_coach_slot_once",
            ),
            # … and one person holds one place per office-hour date.
            models.UniqueConstraint(
                fields=["occurrence", "booked_by"],
                condition=Q(status="booked", kind="office_hours"),
                name="booking_one_place_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="booking_status_start"),
            models.Index(fields=["coach", "starts_at"], name="booking_coach_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.grantee} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def starts_within(self, hours: int, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (self.starts_at - now).total_seconds() < hours * 3600


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's secret calendar-feed address. Only its hash is stored; a new one revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_token(token)

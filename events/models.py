"""Events: regional trainings, communities of practice, webinars and the statewide convening,
with registrations, per-grantee caps and a waiting list.

An event belongs to a program; its registrations belong to grantees (the tenant). Capacity holds
under concurrency: registering locks the event row, counts, and either takes the lowest free seat
number or joins the waiting list at the next position; partial unique constraints on (event, seat)
and (event, waitlist position) back the lock up, and a person holds at most one live registration.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from grantees.models import Grantee, Program, Region, Topic
from portal.uploads import PrivateStorage


class EventSeries(models.Model):
    """Sessions that belong together, such as the quarterly communities of practice. People
    register for the whole series at once, or for each session, as the TA admin chooses."""

    class RegistrationMode(models.TextChoices):
        SERIES = "series", "One registration for the whole series"
        SESSION = "session", "Register for each session"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="event_series")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    registration_mode = models.CharField(
        max_length=8, choices=RegistrationMode.choices, default=RegistrationMode.SERIES
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "event series"

    def __str__(self) -> str:
        return self.title

    @property
    def whole_series(self) -> bool:
        return self.registration_mode == self.RegistrationMode.SERIES


class Event(models.Model):
    class Kind(models.TextChoices):
        REGIONAL_TRAINING = "regional_training", "Regional training"
        COMMUNITY_OF_PRACTICE = "community_of_practice", "Community of practice"
        WEBINAR = "webinar", "Webinar"
        CONVENING = "convening", "Statewide convening"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIRTUAL = "virtual", "Virtual"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=25, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    series = models.ForeignKey(
        EventSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    audience_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="+",
        help_text="Open only to grantees in these regions; none ticked: the whole program.",
    )
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    parking = models.TextField(blank=True)
    accessibility_notes = models.TextField("accessibility", blank=True)
    meeting_url = models.URLField(
        "video-meeting link", blank=True, help_text="Shown only to people registered."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="America/Los_Angeles")
    capacity = models.PositiveIntegerField()
    per_grantee_cap = models.PositiveSmallIntegerField(
        "seats per grantee", null=True, blank=True, help_text="Empty: no limit per consortium."
    )
    registration_opens_at = models.DateTimeField(default=timezone.now)
    registration_closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    sequence = models.PositiveIntegerField(default=0)  # RFC 5545 SEQUENCE for time/place changes
    feedback_requested_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organized_events",
        help_text="Coaches who run it on the day: they see the roster and check people in.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_times_valid"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(per_grantee_cap__isnull=True) | Q(per_grantee_cap__gte=1),
                name="event_per_grantee_cap_positive",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_window_valid",
            ),
        ]
        indexes = [models.Index(fields=["program", "starts_at"], name="event_program_start")]

    def __str__(self) -> str:
        return self.title

    def open_to(self, grantee: Grantee) -> bool:
        """Whether the grantee is in the audience (uses the prefetched audience regions)."""
        regions = {region.pk for region in self.audience_regions.all()}
        return not regions or grantee.region_id in regions

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.registration_opens_at <= now < self.registration_closes_at
            and now < self.starts_at
        )


class SeriesEnrollment(models.Model):
    """A person registered for a whole series: they get a registration for each session, present
    and future, until they leave it."""

    series = models.ForeignKey(EventSeries, on_delete=models.CASCADE, related_name="enrollments")
    grantee = models.ForeignKey(Grantee, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    needs = models.TextField("accessibility or dietary needs", blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["series", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "person"],
                condition=Q(left_at__isnull=True),
                name="series_enrollment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.series}"


class Registration(models.Model):
    """One person's place at an event: confirmed (with a seat) or on the waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    grantee = models.ForeignKey(Grantee, on_delete=models.PROTECT, related_name="registrations")
    # Empty only for a walk-in without an account, who is known by name (and e-mail) instead.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    walk_in = models.BooleanField(default=False)
    walk_in_name = models.CharField(max_length=200, blank=True)
    walk_in_email = models.EmailField(blank=True)
    enrollment = models.ForeignKey(
        SeriesEnrollment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    seat = models.PositiveIntegerField(null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    needs = models.TextField(
        "accessibility or dietary needs", blank=True, help_text="Seen only by the organizers."
    )
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["event", "status", "seat", "waitlist_position"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="confirmed", seat__isnull=False, waitlist_position__isnull=True)
                    | Q(status="waitlisted", seat__isnull=True, waitlist_position__isnull=False)
                    | Q(status="cancelled", seat__isnull=True, waitlist_position__isnull=True)
                ),
                name="registration_status_shape",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(walk_in_name=""),
                name="registration_has_a_person",
            ),
            # The backstop under the event row lock: a seat and a waiting-list place once each,
            models.UniqueConstraint(
                fields=["event", "seat"],
                condition=Q(status="confirmed"),
                name="registration_seat_once",
            ),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"],
                condition=Q(status="waitlisted"),
                name="registration_waitlist_place_once",
            ),
            # … and a person is never both confirmed and wait-listed (one live registration).
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_live_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.event} ({self.status})"

    @property
    def attendee_name(self) -> str:
        if self.person_id is None:
            return self.walk_in_name
        return self.person.full_name or self.person.email

    @property
    def attendee_email(self) -> str:
        return self.person.email if self.person_id else self.walk_in_email

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)


class AgendaItem(models.Model):
    """One part of an event's agenda, with its speakers (employer and intermediary guests too)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    speakers = models.TextField(
        blank=True, help_text="One per line, for example “Dana Ruiz, Valley Health (employer)”."
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="agenda_item_times_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


def _material_upload_to(material: Material, filename: str) -> str:
    # The stored name is random; the sanitized original is kept in `file_name` for downloads.
    return f"events/{uuid.uuid4().hex}/{filename}"


class Material(models.Model):
    """Slides, a handout or a recording — an uploaded file or a link — shown to people with a
    seat, before the event or only once it is over. Recordings and slide decks are also filed in
    the library (`resource`), so the session stays useful after the day."""

    class Release(models.TextChoices):
        BEFORE = "before", "Before the event"
        AFTER = "after", "After the event"

    class Kind(models.TextChoices):
        SLIDES = "slides", "Slides"
        RECORDING = "recording", "Recording"
        HANDOUT = "handout", "Handout"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HANDOUT)
    url = models.URLField("link", blank=True, max_length=500)
    file = models.FileField(storage=PrivateStorage, upload_to=_material_upload_to, blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    file_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    release = models.CharField(max_length=6, choices=Release.choices, default=Release.BEFORE)
    resource = models.ForeignKey(
        "library.Resource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Its copy in the library.",
    )
    # Filed before the event ended: the library copy is a draft until the sweep publishes it.
    library_pending = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-release", "added_at"]  # "before" first, then "after"
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="material_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Feedback(models.Model):
    """An attendee's answer to the short survey after the event (one per registration)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField()
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.registration.event}"

"""Programs, regions, grantees (the tenant), people and their roles.

Tenant-owned rows are reached through django-scopes managers: outside a `scope(grantee=...)`
(set per request by portal.middleware.TenantScopeMiddleware; tasks use `scopes_disabled()` and
select by id) a query on them raises ScopeError instead of returning every tenant's data.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_scopes import ScopedManager

DEFAULT_ALLOCATION_MINUTES = 100 * 60


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with e-mail; what they may see comes from memberships and staff roles."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("Django admin access", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    time_zone = models.CharField(max_length=64, default="America/Los_Angeles")
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Region(models.Model):
    """One of California's eight community-college economic regions."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    counties_summary = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """The shared TA topic taxonomy: coach expertise, requests, library, events all use it."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Occupation(models.Model):
    """A healthcare occupation (SOC code) with public California wage facts."""

    soc_code = models.CharField("SOC code", max_length=10, unique=True)
    title = models.CharField(max_length=200)
    ca_median_annual_wage = models.PositiveIntegerField(null=True, blank=True)
    wage_year = models.PositiveSmallIntegerField(null=True, blank=True)
    typical_entry_education = models.TextField(blank=True)
    licensing_body = models.CharField(
        max_length=200, blank=True, help_text="Who licenses or certifies it in California."
    )
    title_es = models.CharField(
        "title (Spanish)", max_length=200, blank=True, help_text="Shown on Spanish pathway maps."
    )
    licensing_body_es = models.CharField(
        "licensing body (Spanish)",
        max_length=200,
        blank=True,
        help_text="Shown on Spanish pathway maps.",
    )
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.soc_code})"


def parse_reminder_hours(value: str) -> list[int]:
    """ "24, 1" → [24, 1]: the hours before a booking when reminders go out, largest first."""
    hours = sorted({int(part) for part in value.replace(" ", "").split(",") if part}, reverse=True)
    return hours


def validate_reminder_hours(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        hours = parse_reminder_hours(value)
    except ValueError:
        raise ValidationError("List whole hours separated by commas, for example 24, 1.") from None
    if any(h < 1 or h > 24 * 14 for h in hours):
        raise ValidationError("Each reminder must be between 1 hour and 14 days (336 hours).")


class Program(models.Model):
    """A funded initiative: its period, default hour allocation and grantees."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    default_allocation_minutes = models.PositiveIntegerField(default=DEFAULT_ALLOCATION_MINUTES)
    session_auto_confirm_days = models.PositiveSmallIntegerField(
        "days before a recorded session counts as confirmed",
        default=7,
        help_text="A grantee lead may confirm or dispute a session within this many days.",
    )
    # Booking policy (office hours and 1:1 sessions).
    booking_cancel_cutoff_hours = models.PositiveSmallIntegerField(
        "cancel or reschedule up to (hours before)",
        default=24,
        help_text="Later than this, a cancellation follows the late-cancellation policy.",
    )
    late_cancel_policy = models.CharField(
        "late cancellation or no-show",
        max_length=10,
        choices=[
            ("release", "Release the held hours"),
            ("charge", "Charge the held hours"),
        ],
        default="release",
    )
    office_hours_draw_hours = models.BooleanField(
        "office hours draw support hours",
        default=False,
        help_text="Off: office hours are free. On: a booked seat holds its length like a 1:1.",
    )
    reminder_hours = models.CharField(
        "reminders (hours before, comma-separated)",
        max_length=40,
        default="24,1",
        validators=[validate_reminder_hours],
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="program_period_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def default_allocation_hours(self) -> int:
        return self.default_allocation_minutes // 60

    @property
    def reminder_hours_list(self) -> list[int]:
        return parse_reminder_hours(self.reminder_hours)

    def due_reminder_hours(self, *, starts_at, since, now) -> list[int]:
        """The reminder hours whose moment (start − hours) has passed by `now` but came after
        `since` (when the booking or seat was made): a reminder due before then is skipped,
        the confirmation just said the same."""
        due = []
        for hours in self.reminder_hours_list:
            moment = starts_at - timedelta(hours=hours)
            if since <= moment <= now:
                due.append(hours)
        return due


class Grantee(models.Model):
    """A consortium funded by a program: the tenant every grantee-owned row points to."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="grantees")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="grantees")
    member_agencies = models.TextField(
        blank=True, help_text="One member agency per line (districts, colleges, partners)."
    )
    contact_name = models.CharField("main contact", max_length=150, blank=True)
    contact_email = models.EmailField("contact e-mail", blank=True)
    contact_phone = models.CharField("contact phone", max_length=32, blank=True)
    pathway_focus = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="pk")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"], name="grantee_name_unique_in_program"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def member_agency_list(self) -> list[str]:
        return [line.strip() for line in self.member_agencies.splitlines() if line.strip()]


class Membership(models.Model):
    """A person's place on a grantee's team."""

    class Role(models.TextChoices):
        LEAD = "lead", "Grantee lead"
        STAFF = "staff", "Grantee staff"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    title = models.CharField("job title", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["grantee", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "grantee"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.grantee}"


class CoachProfile(models.Model):
    """A TA coach/expert: expertise drawn from the shared topic taxonomy."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_profile"
    )
    title = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True)
    expertise = models.ManyToManyField(Topic, blank=True, related_name="coaches")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"Coach {self.user}"


class CoachAssignment(models.Model):
    """A coach assigned to a grantee: the coach may see and serve that grantee."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="coach_assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["grantee", "coach__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "grantee"], name="coach_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.grantee}"


class ProgramRole(models.Model):
    """A TA admin (runs the program) or state office admin (funder, read-only) of a program."""

    class Role(models.TextChoices):
        TA_ADMIN = "ta_admin", "TA admin"
        STATE_ADMIN = "state_admin", "State office admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_roles"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "role"], name="program_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.program}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """A single-use, expiring invitation to join a grantee's team with a role.

    Only a hash of the token is stored, so a database leak does not leak working links.
    """

    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("e-mail address")
    full_name = models.CharField("name", max_length=150, blank=True)
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.STAFF
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one open invitation per address and grantee: re-inviting replaces it.
            models.UniqueConstraint(
                Lower("email"),
                "grantee",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.grantee}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_token(token)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"

"""A grantee's partners (schools, colleges, employers, workforce boards, community groups,
unions), how far each relationship has come, and what each partner has committed to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django_scopes import ScopedManager

from grantees.models import Grantee


class Partner(models.Model):
    class Kind(models.TextChoices):
        ADULT_SCHOOL = "adult_school", "Adult school"
        COLLEGE = "college", "College"
        EMPLOYER = "employer", "Employer"
        WORKFORCE_BOARD = "workforce_board", "Workforce board / AJCC"
        COMMUNITY = "community", "Community organization"
        UNION = "union", "Union"

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        CONTACTED = "contacted", "Contacted"
        ENGAGED = "engaged", "Engaged"
        COMMITTED = "committed", "Committed (MOU)"
        ACTIVE_WBL = "active_wbl", "Active work-based learning"

    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    stage = models.CharField(
        "relationship stage", max_length=12, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    contact_name = models.CharField("contact", max_length=150, blank=True)
    contact_title = models.CharField("contact's title", max_length=150, blank=True)
    contact_email = models.EmailField("contact e-mail", blank=True)
    contact_phone = models.CharField("contact phone", max_length=32, blank=True)
    notes = models.TextField(blank=True)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "grantee", Lower("name"), name="partner_name_unique_per_grantee"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stage_index(self) -> int:
        return list(self.Stage.values).index(self.stage)


class StageChange(models.Model):
    """One move of a partner along the relationship stages: the pipeline's history."""

    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=Partner.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Partner.Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.from_stage or 'new'} → {self.to_stage}"


class Commitment(models.Model):
    """Something a partner has promised: clinical or WBL slots, speakers, interviews, hires, kit."""

    class Kind(models.TextChoices):
        WBL_SLOTS = "wbl_slots", "Clinical / work-based learning slots"
        GUEST_SPEAKING = "guest_speaking", "Guest speaking"
        INTERVIEWS = "interviews", "Interview commitment"
        HIRING = "hiring", "Hiring commitment"
        EQUIPMENT = "equipment", "Equipment"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        FULFILLED = "fulfilled", "Fulfilled"
        WITHDRAWN = "withdrawn", "Withdrawn"

    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    quantity = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many: slots, visits, interviews, hires or items."
    )
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    starts_on = models.DateField("from", null=True, blank=True)
    ends_on = models.DateField("until", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["partner", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="commitment_dates_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_kind_display()}"

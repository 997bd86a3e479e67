"""Labor-market data for choosing a pathway: the grantee's priority occupations (with why), and
the regional living wage each program's TA admins set, which occupation wages are compared with.

The occupations themselves (SOC code, California median wage, entry education, licensing body)
are portal-wide reference facts in `grantees.Occupation`; TA admins refresh them by CSV import.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from grantees.models import Grantee, Occupation, Program, Region

HOURS_PER_YEAR = 2080  # full-time year: how annual medians become hourly wages


class LivingWage(models.Model):
    """The hourly living wage a program uses for one region (e.g. one adult, no children)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="living_wages")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="living_wages")
    hourly_cents = models.PositiveIntegerField("hourly living wage (cents)")
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "region__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "region"], name="living_wage_one_per_region"
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_cents__gt=0), name="living_wage_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: ${self.hourly_cents / 100:.2f}/h ({self.year})"

    @property
    def annual(self) -> int:
        return self.hourly_cents * HOURS_PER_YEAR // 100


class PriorityOccupation(models.Model):
    """An occupation the grantee has chosen to build its pathway toward, and why."""

    grantee = models.ForeignKey(
        Grantee, on_delete=models.CASCADE, related_name="priority_occupations"
    )
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField(
        help_text="Why this occupation: demand in the region, wages, employer partners, "
        "how reachable it is for English learners."
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["grantee", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grantee", "occupation"], name="priority_occupation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grantee}: {self.occupation.title}"

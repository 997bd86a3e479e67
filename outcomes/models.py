"""Learner outcomes: each quarter a grantee reports aggregate counts for its pathway learners.

Counts only, never a person. Every count after `enrolled` is a part of the quarter's enrolled
learners, so none may exceed it (the database refuses it too). The quarter is a calendar quarter
named by its first day (Jul 1 = July–September).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django_scopes import ScopedManager

from grantees.models import Grantee

# (field, label) of the enrolled-by-English-level counts, NRS ESL levels 1–6.
LEVEL_FIELDS = (
    ("enrolled_esl_1", "Beginning ESL literacy"),
    ("enrolled_esl_2", "Low beginning ESL"),
    ("enrolled_esl_3", "High beginning ESL"),
    ("enrolled_esl_4", "Low intermediate ESL"),
    ("enrolled_esl_5", "High intermediate ESL"),
    ("enrolled_esl_6", "Advanced ESL"),
)
# (field, label) of the outcome counts, each a part of `enrolled`.
OUTCOME_FIELDS = (
    ("skill_gains", "Measurable skill gains"),
    ("completed_bridge_iet", "Completed a bridge or IET"),
    ("credentials_earned", "Earned an industry credential"),
    ("placed_wbl", "Placed in clinical or work-based learning"),
    ("employed_healthcare", "Employed in healthcare within 2 quarters"),
)
COUNT_FIELDS = (
    ("enrolled",) + tuple(f for f, _ in LEVEL_FIELDS) + tuple(f for f, _ in OUTCOME_FIELDS)
)
# A median starting wage is an hourly wage between $1 and $200 (in cents).
WAGE_MIN_CENTS, WAGE_MAX_CENTS = 100, 20_000


def _count(verbose_name: str, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(verbose_name, default=0, help_text=help_text)


class QuarterlyOutcome(models.Model):
    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="outcomes")
    quarter_start = models.DateField(help_text="First day of the calendar quarter.")
    enrolled = _count("Learners enrolled", "In the pathway's bridge, IET or training this quarter.")
    enrolled_esl_1 = _count(LEVEL_FIELDS[0][1])
    enrolled_esl_2 = _count(LEVEL_FIELDS[1][1])
    enrolled_esl_3 = _count(LEVEL_FIELDS[2][1])
    enrolled_esl_4 = _count(LEVEL_FIELDS[3][1])
    enrolled_esl_5 = _count(LEVEL_FIELDS[4][1])
    enrolled_esl_6 = _count(LEVEL_FIELDS[5][1])
    skill_gains = _count(
        OUTCOME_FIELDS[0][1], "Learners with at least one EFL gain (pre/post test)."
    )
    completed_bridge_iet = _count(OUTCOME_FIELDS[1][1])
    credentials_earned = _count(
        OUTCOME_FIELDS[2][1], "Learners who earned one or more (CNA, CPT I, CCMA, …)."
    )
    placed_wbl = _count(OUTCOME_FIELDS[3][1])
    employed_healthcare = _count(
        OUTCOME_FIELDS[4][1], "Of this quarter's learners; update it as you learn more."
    )
    median_wage_cents = models.PositiveIntegerField(
        "median starting hourly wage (cents)", null=True, blank=True
    )
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["grantee", "-quarter_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["grantee", "quarter_start"], name="outcome_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter_start__day=1, quarter_start__month__in=[1, 4, 7, 10]),
                name="outcome_quarter_start_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    enrolled__gte=F("enrolled_esl_1")
                    + F("enrolled_esl_2")
                    + F("enrolled_esl_3")
                    + F("enrolled_esl_4")
                    + F("enrolled_esl_5")
                    + F("enrolled_esl_6")
                ),
                name="outcome_levels_within_enrolled",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(enrolled__gte=F(name)), name=f"outcome_{name}_within_enrolled"
                )
                for name, _ in OUTCOME_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(median_wage_cents__isnull=True) | Q(employed_healthcare__gt=0),
                name="outcome_wage_needs_employed",
            ),
            models.CheckConstraint(
                condition=Q(median_wage_cents__isnull=True)
                | Q(median_wage_cents__gte=WAGE_MIN_CENTS, median_wage_cents__lte=WAGE_MAX_CENTS),
                name="outcome_wage_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantee}: quarter of {self.quarter_start:%b %Y}"

    @property
    def level_not_recorded(self) -> int:
        return self.enrolled - sum(getattr(self, name) for name, _ in LEVEL_FIELDS)

    @property
    def rates(self) -> dict:
        """Each outcome as a share of the learners enrolled (None when nobody enrolled)."""
        from decimal import Decimal

        return {
            name: Decimal(getattr(self, name)) / self.enrolled if self.enrolled else None
            for name, _ in OUTCOME_FIELDS
        }

    @property
    def quarter_label(self) -> str:
        from outcomes import quarters

        return quarters.label(self.quarter_start)

    @property
    def quarter_slug(self) -> str:
        from outcomes import quarters

        return quarters.slug(self.quarter_start)

"""Pathway concepts: a grantee's drafted career pathway, kept as numbered versions.

A concept holds versions; the newest unfrozen one is the working draft and earlier ones are
frozen records. Steps carry a `key` that stays the same when a version is copied, so a coach's
comment on a step follows it into later versions. The labels a student sees on the pathway map
are translated (strings in pathways/locale/es/LC_MESSAGES/django.po); the grantee's own texts
have an optional Spanish copy beside each English one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from grantees.models import Grantee, Occupation


class PathwayModel(models.TextChoices):
    BRIDGE = "bridge", _("Bridge program")
    IET = "iet", _("Integrated education and training (IET)")
    PRE_APPRENTICESHIP = "pre_apprenticeship", _("Pre-apprenticeship")
    APPRENTICESHIP = "apprenticeship", _("Registered apprenticeship")


class EnglishLevel(models.TextChoices):
    """NRS ESL educational functioning levels (CASAS places learners at entry)."""

    ESL_1 = "esl_1", _("Beginning ESL literacy")
    ESL_2 = "esl_2", _("Low beginning ESL")
    ESL_3 = "esl_3", _("High beginning ESL")
    ESL_4 = "esl_4", _("Low intermediate ESL")
    ESL_5 = "esl_5", _("High intermediate ESL")
    ESL_6 = "esl_6", _("Advanced ESL")


class PathwayConcept(models.Model):
    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="pathways")
    title = models.CharField(max_length=200)
    # The concept's title is shared by every version, and so is its Spanish copy.
    title_es = models.CharField("title (Spanish)", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class PathwayVersion(models.Model):
    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="+")
    concept = models.ForeignKey(PathwayConcept, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    model = models.CharField(
        "pathway model", max_length=20, choices=PathwayModel.choices, default=PathwayModel.BRIDGE
    )
    summary = models.TextField(blank=True, help_text="Who it is for and where it leads.")
    summary_es = models.TextField("summary (Spanish)", blank=True)
    supports = models.TextField(
        blank=True, help_text="Supports learners get: childcare, transportation, fees, tutoring."
    )
    supports_es = models.TextField("supports (Spanish)", blank=True)
    target_occupations = models.ManyToManyField(Occupation, blank=True, related_name="+")
    change_note = models.CharField("what changed", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["concept", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "number"], name="pathway_version_number"),
            # One working draft per concept: every other version is frozen.
            models.UniqueConstraint(
                fields=["concept"],
                condition=models.Q(frozen_at__isnull=True),
                name="pathway_one_open_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concept} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.frozen_at is None


class PathwayStep(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        CREDENTIAL = "credential", _("Credential")
        WORK_BASED_LEARNING = "wbl", _("Work-based learning")
        NEXT_STEP = "next_step", _("Next step")

    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PathwayVersion, on_delete=models.CASCADE, related_name="steps")
    key = models.UUIDField(default=uuid.uuid4, help_text="The same step across versions.")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    title_es = models.CharField("title (Spanish)", max_length=200, blank=True)
    detail = models.TextField(
        blank=True, help_text="What the learner does and earns; articulation into credit."
    )
    detail_es = models.TextField("detail (Spanish)", blank=True)
    duration = models.CharField(max_length=80, blank=True, help_text="For example: 12 weeks.")
    duration_es = models.CharField("duration (Spanish)", max_length=80, blank=True)
    partners = models.ManyToManyField("partners.Partner", blank=True, related_name="+")

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="pathway_step_key_once")
        ]

    def __str__(self) -> str:
        return self.title


class EntryPoint(models.Model):
    """Where a learner at one English level starts the pathway, and what they need first."""

    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        PathwayVersion, on_delete=models.CASCADE, related_name="entry_points"
    )
    english_level = models.CharField(max_length=6, choices=EnglishLevel.choices)
    step_key = models.UUIDField(help_text="The step they start at.")
    note = models.CharField(max_length=300, blank=True)
    note_es = models.CharField("note (Spanish)", max_length=300, blank=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["version", "english_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "english_level"], name="pathway_entry_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.get_english_level_display()}"


class StepComment(models.Model):
    """A coach's (or the grantee's reply) comment on one step, kept across versions."""

    grantee = models.ForeignKey(Grantee, on_delete=models.CASCADE, related_name="+")
    concept = models.ForeignKey(PathwayConcept, on_delete=models.CASCADE, related_name="comments")
    step_key = models.UUIDField()
    version_number = models.PositiveSmallIntegerField(help_text="The version it was made on.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["concept", "created_at", "id"]
        indexes = [models.Index(fields=["concept", "step_key"])]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.concept} v{self.version_number}"

"""Needs assessments (the baseline desk interview and its follow-ups) and the instruments they use.

An instrument has numbered versions; a version holds domains, and a domain holds items, each with a
four-level rubric. A version that any assessment uses is frozen: changing the instrument means a
new version (a copy), so past assessments keep the exact wording and scoring they were given.

An assessment belongs to one grantee (the tenant). Its answers are rows per (item, source): the
coach's rating from the interview and the grantee's own pre-interview self-rating. Finalizing locks
it and stores the domain scores, which `assessments.scoring` recomputes from the answers alone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager

from grantees.models import Grantee, Topic


class Level(models.IntegerChoices):
    """The rubric's four levels, the same for every item."""

    EXPLORING = 1, "Exploring"
    DEVELOPING = 2, "Developing"
    IMPLEMENTING = 3, "Implementing"
    SUSTAINING = 4, "Sustaining"


class Instrument(models.Model):
    """A needs-assessment instrument, e.g. "ELL healthcare pathways needs assessment"."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    notes = models.TextField(blank=True, help_text="What changed from the previous version.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="instrument_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument.name}, version {self.number}"


class Domain(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="domains")
    # Stays the same across versions, so growth compares a domain with itself.
    key = models.SlugField(max_length=60)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="+", help_text="Library and expert topics this covers."
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="domain_key_unique"),
            models.UniqueConstraint(fields=["version", "position"], name="domain_position_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """One question of the interview, rated on the four-level rubric."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    prompt = models.CharField(max_length=300)
    exploring = models.TextField(help_text="What level 1 looks like.")
    developing = models.TextField(help_text="What level 2 looks like.")
    implementing = models.TextField(help_text="What level 3 looks like.")
    sustaining = models.TextField(help_text="What level 4 looks like.")
    probes = models.TextField(blank=True, help_text="Questions for the interviewer to ask.")

    class Meta:
        ordering = ["domain__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "position"], name="item_position_unique")
        ]

    def __str__(self) -> str:
        return self.prompt

    @property
    def rubric(self) -> list[tuple[int, str, str]]:
        texts = (self.exploring, self.developing, self.implementing, self.sustaining)
        return [
            (level, label, text) for (level, label), text in zip(Level.choices, texts, strict=True)
        ]


class Assessment(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        MIDPOINT = "midpoint", "Midpoint"
        END_OF_YEAR = "end_of_year", "End of year"

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        FINALIZED = "finalized", "Finalized"

    grantee = models.ForeignKey(Grantee, on_delete=models.PROTECT, related_name="assessments")
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments_conducted"
    )
    interview_on = models.DateField(null=True, blank=True)
    # The interview's narrative, shared with the grantee …
    regional_strategy = models.TextField(blank=True)
    implementation_challenges = models.TextField(blank=True)
    system_capacity = models.TextField(blank=True)
    # … and the coach's own notes, which stay with TA staff.
    internal_notes = models.TextField(blank=True)
    # Who last saved a narrative field, to name them when two editors collide.
    narrative_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    narrative_updated_at = models.DateTimeField(null=True, blank=True)
    overall_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", finalized_at__isnull=True)
                | Q(status="finalized", finalized_at__isnull=False, overall_score__isnull=False),
                name="assessment_finalized_has_score",
            ),
            # One assessment of each kind in progress at a time per grantee.
            models.UniqueConstraint(
                fields=["grantee", "kind"],
                condition=Q(status="draft"),
                name="assessment_one_draft_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} assessment of {self.grantee}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINALIZED


class Answer(models.Model):
    """A rating of one item: the coach's (from the interview) or the grantee's (self-assessment)."""

    class Source(models.TextChoices):
        COACH = "coach", "Coach"
        GRANTEE = "grantee", "Self-assessment"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=8, choices=Source.choices)
    level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=Level.choices,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    evidence = models.TextField(blank=True)
    # The self-assessment's "we want help with this" flag; plans start from it.
    flagged = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="assessment__grantee")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "source"], name="answer_one_per_source"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4),
                name="answer_level_in_rubric",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} answer to item {self.item_id}"


class DomainScore(models.Model):
    """A finalized assessment's score for one domain: the mean of the coach's item levels."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="domain_scores"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=3, decimal_places=2)

    objects = ScopedManager(grantee="assessment__grantee")

    class Meta:
        ordering = ["domain__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="domain_score_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="domain_score_in_rubric"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} on domain {self.domain_id}"


class Plan(models.Model):
    """A grantee's TA plan, made from a finalized assessment: goals with actions."""

    grantee = models.ForeignKey(Grantee, on_delete=models.PROTECT, related_name="ta_plans")
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="plan")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(grantee="grantee")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"TA plan of {self.grantee}"


class Goal(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ta_plan_goals",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(grantee="plan__grantee")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="goal_position_unique")
        ]

    def __str__(self) -> str:
        return self.title


class GoalAction(models.Model):
    """One step toward a goal: who does it, by when, done or not."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(grantee="goal__plan__grantee")

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description

"""Reads for instruments and assessments, each scoped to one grantee or to TA admins."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from assessments import scoring
from assessments.models import (
    Answer,
    Assessment,
    Domain,
    DomainScore,
    Goal,
    GoalAction,
    Instrument,
    InstrumentVersion,
    Item,
    Plan,
)
from grantees.models import CoachProfile, Grantee, Program, User
from portal.charts import BarChart, bar_chart
from portal.roles import Roles

# --- Instruments ----------------------------------------------------------------------------------


def instruments() -> list[Instrument]:
    """Every instrument with its versions (newest first) and how many assessments used each."""
    versions = InstrumentVersion.objects.annotate(used=Count("assessments")).order_by("-number")
    return list(
        Instrument.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by(
            "name"
        )
    )


def version_by_id(version_id: int) -> InstrumentVersion:
    version = (
        InstrumentVersion.objects.select_related("instrument", "created_by")
        .annotate(used=Count("assessments"))
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise Http404("No such instrument version.")
    return version


def version_domains(version: InstrumentVersion) -> list[Domain]:
    return list(version.domains.prefetch_related("items", "topics"))


def domain_in(version: InstrumentVersion, domain_id: int) -> Domain:
    domain = version.domains.filter(pk=domain_id).first()
    if domain is None:
        raise Http404("No such domain.")
    return domain


def item_in(version: InstrumentVersion, item_id: int) -> Item:
    item = Item.objects.filter(pk=item_id, domain__version=version).select_related("domain").first()
    if item is None:
        raise Http404("No such item.")
    return item


def versions_to_use() -> QuerySet[InstrumentVersion]:
    """Versions an assessment can start from: those with at least one item, newest first."""
    return (
        InstrumentVersion.objects.filter(domains__items__isnull=False)
        .select_related("instrument")
        .distinct()
        .order_by("instrument__name", "-number")
    )


# --- Assessments ----------------------------------------------------------------------------------


def assessments_for(grantee: Grantee) -> list[Assessment]:
    return list(
        Assessment.objects.filter(grantee=grantee)
        .select_related("coach", "version__instrument")
        .order_by("-created_at")
    )


def assessment_in(grantee: Grantee, assessment_id: int) -> Assessment:
    assessment = (
        Assessment.objects.filter(grantee=grantee, pk=assessment_id)
        .select_related("coach", "finalized_by", "version__instrument", "grantee__program")
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


@dataclass
class ItemRow:
    item: Item
    coach: Answer | None
    grantee: Answer | None


@dataclass
class DomainRows:
    domain: Domain
    items: list[ItemRow] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return any(row.grantee and row.grantee.flagged for row in self.items)


def interview_rows(assessment: Assessment) -> list[DomainRows]:
    """Every domain and item of the assessment's version with both answers (3 queries)."""
    answers = {
        (answer.item_id, answer.source): answer
        for answer in Answer.objects.filter(assessment=assessment).select_related("updated_by")
    }
    rows = []
    for domain in Domain.objects.filter(version=assessment.version_id).prefetch_related("items"):
        rows.append(
            DomainRows(
                domain,
                [
                    ItemRow(
                        item,
                        answers.get((item.pk, Answer.Source.COACH)),
                        answers.get((item.pk, Answer.Source.GRANTEE)),
                    )
                    for item in domain.items.all()
                ],
            )
        )
    return rows


@dataclass
class ScoreRow:
    domain: Domain
    score: Decimal
    baseline: Decimal | None = None
    self_rating: Decimal | None = None

    @property
    def growth(self) -> Decimal | None:
        return None if self.baseline is None else self.score - self.baseline


@dataclass
class ScoreReport:
    assessment: Assessment
    rows: list[ScoreRow]
    baseline: Assessment | None
    chart: BarChart

    @property
    def band(self) -> str:
        return scoring.band(self.assessment.overall_score)

    @property
    def overall_growth(self) -> Decimal | None:
        if self.baseline is None or self.baseline.overall_score is None:
            return None
        return self.assessment.overall_score - self.baseline.overall_score


def _baseline_for(assessment: Assessment) -> Assessment | None:
    if assessment.kind == Assessment.Kind.BASELINE:
        return None
    return (
        Assessment.objects.filter(
            grantee=assessment.grantee_id,
            kind=Assessment.Kind.BASELINE,
            status=Assessment.Status.FINALIZED,
            finalized_at__lt=assessment.finalized_at,
        )
        .order_by("-finalized_at")
        .first()
    )


def score_report(assessment: Assessment) -> ScoreReport | None:
    """A finalized assessment's domain scores, the grantee's self-ratings per domain, and — for a
    follow-up — growth since the latest earlier baseline, matched by domain key."""
    if not assessment.is_final:
        return None
    scores = list(DomainScore.objects.filter(assessment=assessment).select_related("domain"))
    baseline = _baseline_for(assessment)
    earlier: dict[str, Decimal] = {}
    if baseline is not None:
        earlier = dict(
            DomainScore.objects.filter(assessment=baseline).values_list("domain__key", "score")
        )
    self_levels: dict[int, list[int]] = {}
    for domain_id, level in Answer.objects.filter(
        assessment=assessment, source=Answer.Source.GRANTEE, level__isnull=False
    ).values_list("item__domain_id", "level"):
        self_levels.setdefault(domain_id, []).append(level)
    self_scores = scoring.domain_scores(self_levels)
    rows = [
        ScoreRow(
            domain=row.domain,
            score=row.score,
            baseline=earlier.get(row.domain.key),
            self_rating=self_scores.get(row.domain_id),
        )
        for row in scores
    ]
    chart = bar_chart(
        [(row.domain.title, row.score, row.baseline) for row in rows],
        scale=(1, 4),
        value_label="Score",
        compare_label="Baseline" if baseline else "",
    )
    return ScoreReport(assessment=assessment, rows=rows, baseline=baseline, chart=chart)


# --- TA plans -------------------------------------------------------------------------------------


@dataclass
class Priority:
    domain: Domain
    score: Decimal
    flagged: bool
    proposed: bool

    @property
    def reason(self) -> str:
        reasons = []
        if self.proposed and not self.flagged:
            reasons.append("among the lowest scores")
        if self.flagged:
            reasons.append("flagged by the grantee")
        return " and ".join(reasons)


LOWEST = 3


def propose_priorities(assessment: Assessment) -> list[Priority]:
    """Every scored domain, the proposed ones first: the lowest three scores (ties included)
    and any domain the grantee flagged in its self-assessment."""
    scores = list(
        DomainScore.objects.filter(assessment=assessment)
        .select_related("domain")
        .order_by("score", "domain__position")
    )
    flagged = set(
        Answer.objects.filter(
            assessment=assessment, source=Answer.Source.GRANTEE, flagged=True
        ).values_list("item__domain_id", flat=True)
    )
    cutoff = scores[min(LOWEST, len(scores)) - 1].score if scores else Decimal(0)
    priorities = [
        Priority(
            domain=row.domain,
            score=row.score,
            flagged=row.domain_id in flagged,
            proposed=row.score <= cutoff or row.domain_id in flagged,
        )
        for row in scores
    ]
    return sorted(priorities, key=lambda p: (not p.proposed, p.score, p.domain.position))


def latest_plan(grantee: Grantee) -> Plan | None:
    return (
        Plan.objects.filter(grantee=grantee)
        .select_related("assessment", "created_by")
        .order_by("-created_at")
        .first()
    )


def plan_in(grantee: Grantee, plan_id: int) -> Plan:
    plan = Plan.objects.filter(grantee=grantee, pk=plan_id).select_related("assessment").first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def goal_in(grantee: Grantee, goal_id: int) -> Goal:
    goal = (
        Goal.objects.filter(plan__grantee=grantee, pk=goal_id)
        .select_related("plan__assessment", "plan__grantee", "domain", "owner")
        .first()
    )
    if goal is None:
        raise Http404("No such goal.")
    return goal


def action_in(grantee: Grantee, action_id: int) -> GoalAction:
    action = (
        GoalAction.objects.filter(goal__plan__grantee=grantee, pk=action_id)
        .select_related("goal__plan__grantee", "owner")
        .first()
    )
    if action is None:
        raise Http404("No such action.")
    return action


def open_goals(*, grantee: Grantee) -> QuerySet[Goal]:
    """Goals a session can work on: the latest plan's, not done or dropped."""
    plan = Plan.objects.filter(grantee=grantee).order_by("-created_at").values("pk")[:1]
    return Goal.objects.filter(plan__in=plan).exclude(
        status__in=[Goal.Status.DONE, Goal.Status.DROPPED]
    )


def goals_by_ids(*, grantee: Grantee, ids: list[int]) -> QuerySet[Goal]:
    return Goal.objects.filter(plan__grantee=grantee, pk__in=ids)


def plan_people(grantee: Grantee) -> QuerySet[User]:
    return (
        User.objects.filter(Q(memberships__grantee=grantee) | Q(coach_assignments__grantee=grantee))
        .distinct()
        .order_by("full_name")
    )


@dataclass
class Recommendations:
    resources: list = field(default_factory=list)
    events: list = field(default_factory=list)
    experts: list = field(default_factory=list)


@dataclass
class GoalProgress:
    sessions: int = 0
    minutes: int = 0


@dataclass
class PlanView:
    plan: Plan
    goals: list[Goal]  # each with .progress (GoalProgress) and .recommendations


PER_GOAL = 3


def plan_view(*, plan: Plan, roles: Roles, now=None) -> PlanView:
    """The plan's goals with their actions, the sessions recorded against each, and what to use
    next per goal: library resources this person may see, upcoming events of the program and
    coaches, matched by the goal's domain topics. A fixed number of queries however many goals."""
    from events.models import Event
    from events.selectors import open_to_grantee
    from library.models import Resource
    from library.selectors import visible_resources
    from support_hours.models import CoachingSession

    now = now or timezone.now()
    goals = list(
        plan.goals.select_related("domain", "owner").prefetch_related(
            "domain__topics",
            Prefetch("actions", queryset=GoalAction.objects.select_related("owner")),
        )
    )
    progress = {
        row["plan_goal"]: GoalProgress(row["n"], row["minutes"] or 0)
        for row in CoachingSession.objects.filter(plan_goal__plan=plan)
        .values("plan_goal")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
    }
    topics_of = {
        goal.pk: {topic.pk for topic in goal.domain.topics.all()} if goal.domain else set()
        for goal in goals
    }
    wanted = set().union(*topics_of.values()) if topics_of else set()
    # (resource, topic) and (expert, topic) pairs straight from the link tables: one query each.
    resource_links = list(
        Resource.topics.through.objects.filter(
            topic_id__in=wanted, resource__in=visible_resources(roles)
        )
        .select_related("resource")
        .order_by("-resource__published_at", "resource_id")[:150]
    )
    events = list(
        open_to_grantee(
            Event.objects.filter(
                program_id=plan.grantee.program_id,
                status=Event.Status.PUBLISHED,
                topic_id__in=wanted,
                ends_at__gt=now,
            ),
            plan.grantee,
        ).order_by("starts_at")[:30]
    )
    expert_links = list(
        CoachProfile.expertise.through.objects.filter(
            topic_id__in=wanted, coachprofile__is_active=True
        )
        .select_related("coachprofile__user")
        .order_by("coachprofile__user__full_name", "coachprofile_id")
    )

    def pick(links, topics, attr):
        picked = []
        for link in links:
            thing = getattr(link, attr)
            if link.topic_id in topics and thing not in picked:
                picked.append(thing)
        return picked[:PER_GOAL]

    for goal in goals:
        topics = topics_of[goal.pk]
        goal.progress = progress.get(goal.pk, GoalProgress())
        goal.recommendations = Recommendations(
            resources=pick(resource_links, topics, "resource"),
            events=[e for e in events if e.topic_id in topics][:PER_GOAL],
            experts=pick(expert_links, topics, "coachprofile"),
        )
    return PlanView(plan=plan, goals=goals)


# --- Program heatmap ------------------------------------------------------------------------------


@dataclass
class HeatColumn:
    key: str
    title: str


@dataclass
class HeatRow:
    label: str
    cells: list[Decimal | None]
    overall: Decimal | None = None
    grantee: Grantee | None = None
    kind: str = ""
    interview_on: object = None
    is_summary: bool = False


@dataclass
class Heatmap:
    columns: list[HeatColumn]
    rows: list[HeatRow]  # grantees, grouped by region, each region followed by its average


def _average(values: list[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return scoring.mean(present) if present else None


def program_heatmap(*, program: Program, kind: str = "") -> Heatmap:
    """Domain scores of each grantee's latest finalized assessment (of one kind, if given),
    grantees grouped by region with the region's and the program's averages. Two queries."""
    latest = Assessment.objects.filter(
        grantee=OuterRef("assessment__grantee"), status=Assessment.Status.FINALIZED
    )
    if kind:
        latest = latest.filter(kind=kind)
    latest = latest.order_by("-finalized_at").values("pk")[:1]
    scores = (
        DomainScore.objects.filter(
            assessment__grantee__program=program, assessment=Subquery(latest)
        )
        .values(
            "assessment__grantee_id",
            "assessment__kind",
            "assessment__interview_on",
            "assessment__overall_score",
            "domain__key",
            "domain__title",
            "domain__position",
            "score",
        )
        .order_by("domain__position")
    )
    columns: dict[str, HeatColumn] = {}
    by_grantee: dict[int, dict] = {}
    for row in scores:
        columns.setdefault(row["domain__key"], HeatColumn(row["domain__key"], row["domain__title"]))
        entry = by_grantee.setdefault(
            row["assessment__grantee_id"],
            {
                "kind": row["assessment__kind"],
                "interview_on": row["assessment__interview_on"],
                "overall": row["assessment__overall_score"],
                "scores": {},
            },
        )
        entry["scores"][row["domain__key"]] = row["score"]
    keys = list(columns)
    kinds = dict(Assessment.Kind.choices)
    rows: list[HeatRow] = []
    everyone: list[HeatRow] = []
    grantees = (
        Grantee.objects.filter(program=program, is_active=True)
        .select_related("region")
        .order_by("region__name", "name")
    )
    region_rows: list[HeatRow] = []
    region = None
    for grantee in list(grantees) + [None]:
        if region_rows and (grantee is None or grantee.region_id != region.pk):
            rows.append(_summary(f"{region.name} average", region_rows, len(keys)))
            region_rows = []
        if grantee is None:
            break
        region = grantee.region
        entry = by_grantee.get(grantee.pk, {"scores": {}, "overall": None, "kind": ""})
        row = HeatRow(
            label=grantee.name,
            cells=[entry["scores"].get(key) for key in keys],
            overall=entry["overall"],
            grantee=grantee,
            kind=kinds.get(entry["kind"], ""),
            interview_on=entry.get("interview_on"),
        )
        rows.append(row)
        region_rows.append(row)
        everyone.append(row)
    if everyone:
        rows.append(_summary("Program average", everyone, len(keys)))
    return Heatmap(columns=list(columns.values()), rows=rows)


def _summary(label: str, rows: list[HeatRow], width: int) -> HeatRow:
    return HeatRow(
        label=label,
        cells=[_average([row.cells[i] for row in rows]) for i in range(width)],
        overall=_average([row.overall for row in rows]),
        is_summary=True,
    )

"""Reads for instruments and assessments, each scoped to one grantee or to TA admins."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from assessments import scoring
from assessments.models import (
    Answer,
    Assessment,
    Domain,
    DomainScore,
    Instrument,
    InstrumentVersion,
    Item,
)
from grantees.models import Grantee
from portal.charts import BarChart, bar_chart

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

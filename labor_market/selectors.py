"""Scoped reads for the labor-market page, the dashboard and the regional-training preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django_scopes import scopes_disabled

from grantees.models import Grantee, Occupation, Program, Region
from labor_market.models import HOURS_PER_YEAR, LivingWage, PriorityOccupation


def priority_occupations(*, grantee: Grantee) -> QuerySet[PriorityOccupation]:
    return PriorityOccupation.objects.filter(grantee=grantee).select_related("occupation")


def living_wage_for(*, program_id: int, region_id: int) -> LivingWage | None:
    return LivingWage.objects.filter(program_id=program_id, region_id=region_id).first()


@dataclass
class OccupationRow:
    occupation: Occupation
    priority: PriorityOccupation | None
    hourly_cents: int | None  # the CA median as an hourly wage
    gap_cents: int | None  # hourly median minus the living wage (negative: below it)

    @property
    def above_living_wage(self) -> bool | None:
        return None if self.gap_cents is None else self.gap_cents >= 0

    @property
    def gap_abs_cents(self) -> int | None:
        return None if self.gap_cents is None else abs(self.gap_cents)


def hourly_cents(annual: int | None) -> int | None:
    return None if annual is None else round(annual * 100 / HOURS_PER_YEAR)


def occupation_rows(
    *, grantee: Grantee, living_wage: LivingWage | None, query: str = "", above_only: bool = False
) -> list[OccupationRow]:
    """Every occupation with its hourly median compared with the region's living wage, and the
    grantee's priority on it if any. Priorities come first, in the grantee's order."""
    occupations = Occupation.objects.order_by("title")
    if query:
        occupations = occupations.filter(
            Q(title__icontains=query)
            | Q(soc_code__icontains=query)
            | Q(typical_entry_education__icontains=query)
            | Q(licensing_body__icontains=query)
        )
    priorities = {p.occupation_id: p for p in PriorityOccupation.objects.filter(grantee=grantee)}
    rows = []
    for occupation in occupations:
        hourly = hourly_cents(occupation.ca_median_annual_wage)
        gap = None
        if hourly is not None and living_wage is not None:
            gap = hourly - living_wage.hourly_cents
        if above_only and (gap is None or gap < 0):
            continue
        rows.append(OccupationRow(occupation, priorities.get(occupation.pk), hourly, gap))
    rows.sort(key=lambda r: (r.priority is None, r.priority.position if r.priority else 0))
    return rows


def living_wage_table(*, program: Program) -> list[tuple[Region, LivingWage | None]]:
    wages = {w.region_id: w for w in LivingWage.objects.filter(program=program)}
    return [(region, wages.get(region.pk)) for region in Region.objects.all()]


# An organizer (a coach not assigned to these grantees) reads the preview only around the
# event: from when registration opens until a week after it ends, and never once cancelled.
PREVIEW_DAYS_AFTER = 7


def preview_open_to_organizers(event) -> bool:
    now = timezone.now()
    return (
        event.status == event.Status.PUBLISHED
        and event.registration_opens_at <= now
        and now <= event.ends_at + timedelta(days=PREVIEW_DAYS_AFTER)
    )


@dataclass
class RegionGranteeWorkspace:
    grantee: Grantee
    priorities: list[PriorityOccupation]
    pathways: list  # the newest version of each pathway concept


def region_workspaces(*, program: Program, region_ids: list[int]) -> list[RegionGranteeWorkspace]:
    """For an event organizer before a regional training: each grantee of the program in the
    regions, with its priority occupations and the newest version of each pathway draft.

    The organizer may not be assigned to these grantees, so this read opens the scope itself and
    returns only what the preview shows (no notes, comments or contacts)."""
    from pathways.models import PathwayVersion

    with scopes_disabled():
        grantees = Grantee.objects.filter(program=program, is_active=True).select_related("region")
        if region_ids:
            grantees = grantees.filter(region_id__in=region_ids)
        grantees = list(
            grantees.order_by("region__position", "name").prefetch_related(
                Prefetch(
                    "priority_occupations",
                    queryset=PriorityOccupation.objects.select_related("occupation").order_by(
                        "position", "id"
                    ),
                )
            )
        )
        newest_number = (
            PathwayVersion.objects.filter(concept=OuterRef("concept"))
            .order_by("-number")
            .values("number")[:1]
        )
        newest: dict[int, list] = {}
        for version in (
            PathwayVersion.objects.filter(grantee__in=grantees, number=Subquery(newest_number))
            .select_related("concept")
            .prefetch_related("target_occupations", "steps")
            .order_by("concept__title")
        ):
            newest.setdefault(version.grantee_id, []).append(version)
    return [
        RegionGranteeWorkspace(g, list(g.priority_occupations.all()), newest.get(g.pk, []))
        for g in grantees
    ]

"""Scoped reads for partners: every query starts from the grantee the request resolved, so another
grantee's partner or commitment is a 404, never a page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from grantees.models import Grantee
from partners.map import natural_key, shorten
from partners.models import Commitment, Partner, StageChange

STAGES = list(Partner.Stage)
LIVE = [s for s in Commitment.Status if s != Commitment.Status.WITHDRAWN]
COMMITTED = [Commitment.Status.CONFIRMED, Commitment.Status.FULFILLED]

# How a commitment of each kind is counted in a summary: (one, many); a kind without a quantity
# is named by the word alone.
UNITS: dict[str, tuple[str, str]] = {
    Commitment.Kind.WBL_SLOTS: ("clinical/WBL slot", "clinical/WBL slots"),
    Commitment.Kind.GUEST_SPEAKING: ("guest talk", "guest talks"),
    Commitment.Kind.INTERVIEWS: ("interview", "interviews"),
    Commitment.Kind.HIRING: ("hire", "hires"),
    Commitment.Kind.EQUIPMENT: ("equipment item", "equipment items"),
    Commitment.Kind.OTHER: ("other commitment", "other commitments"),
}
WORDS: dict[str, str] = {
    Commitment.Kind.WBL_SLOTS: "clinical/WBL slots",
    Commitment.Kind.GUEST_SPEAKING: "guest speaking",
    Commitment.Kind.INTERVIEWS: "interviews",
    Commitment.Kind.HIRING: "hiring",
    Commitment.Kind.EQUIPMENT: "equipment",
    Commitment.Kind.OTHER: "other",
}


def commitment_summary(commitments) -> str:
    """ "6 clinical/WBL slots · 2 hires · guest speaking": what a partner has promised, withdrawn
    commitments left out, in the order of the commitment types."""
    totals: dict[str, int] = {}
    for commitment in commitments:
        if commitment.status == Commitment.Status.WITHDRAWN:
            continue
        totals[commitment.kind] = totals.get(commitment.kind, 0) + (commitment.quantity or 0)
    parts = []
    for kind in Commitment.Kind:
        if kind not in totals:
            continue
        one, many = UNITS[kind]
        count = totals[kind]
        if kind == Commitment.Kind.OTHER and count == 0:
            others = [c for c in commitments if c.kind == kind and c.status != "withdrawn"]
            described = [c.description for c in others if c.description]
            if len(others) == 1 and described:
                parts.append(shorten(described[0], 48))
                continue
        parts.append(WORDS[kind] if count == 0 else f"{count} {one if count == 1 else many}")
    return " · ".join(parts)


# The list page's headings and the map's rows: partner types in the plural.
KIND_PLURALS: dict[str, str] = {
    Partner.Kind.ADULT_SCHOOL: "Adult schools",
    Partner.Kind.COLLEGE: "Colleges",
    Partner.Kind.EMPLOYER: "Employers",
    Partner.Kind.WORKFORCE_BOARD: "Workforce boards / AJCCs",
    Partner.Kind.COMMUNITY: "Community organizations",
    Partner.Kind.UNION: "Unions",
}
KIND_PLURAL_CHOICES = [(value, KIND_PLURALS[value]) for value in Partner.Kind.values]


# A partner this long in one stage (before the last) is flagged on the pipeline: time to
# follow up.
LINGER_DAYS = 60


def days_in_stage(partner: Partner, now: datetime.datetime | None = None) -> int:
    since = partner.stage_changed_at or partner.created_at
    return max(0, ((now or timezone.now()) - since).days)


def days_text(days: int) -> str:
    if days == 0:
        return "New in this stage today"
    return f"{days} day{'s' if days != 1 else ''} in this stage"


def _with_summaries(partners: list[Partner]) -> list[Partner]:
    now = timezone.now()
    for partner in partners:
        partner.summary = commitment_summary(partner.commitments.all())
        partner.days_in_stage = days_in_stage(partner, now)
        partner.days_text = days_text(partner.days_in_stage)
        # Active work-based learning is where a partnership should stay: never "stalled".
        partner.lingering = (
            partner.days_in_stage >= LINGER_DAYS and partner.stage != Partner.Stage.ACTIVE_WBL
        )
    return partners


def partners_of(grantee: Grantee, *, kind: str = "", stage: str = "") -> QuerySet[Partner]:
    """The grantee's partners with their commitments, optionally one type and one stage."""
    partners = Partner.objects.filter(grantee=grantee).prefetch_related("commitments")
    if kind:
        partners = partners.filter(kind=kind)
    if stage:
        partners = partners.filter(stage=stage)
    return partners.order_by("name")


@dataclass
class KindGroup:
    kind: str
    label: str
    partners: list[Partner]


def partners_by_kind(grantee: Grantee, *, kind: str = "", stage: str = "") -> list[KindGroup]:
    """The list page: partners grouped by type in the types' order, each with its summary."""
    partners = _with_summaries(list(partners_of(grantee, kind=kind, stage=stage)))
    partners.sort(key=lambda p: natural_key(p.name))
    groups = []
    for value, label in KIND_PLURAL_CHOICES:
        members = [p for p in partners if p.kind == value]
        if members:
            groups.append(KindGroup(value, label, members))
    return groups


def stage_counts(grantee: Grantee, *, kind: str = "") -> list[tuple[str, str, int]]:
    """(stage, label, how many partners) for every stage, zeros included."""
    partners = Partner.objects.filter(grantee=grantee)
    if kind:
        partners = partners.filter(kind=kind)
    counts = dict(partners.values_list("stage").annotate(n=Count("pk")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in Partner.Stage.choices]


def partner_in(grantee: Grantee, partner_id: int) -> Partner:
    partner = Partner.objects.filter(grantee=grantee, pk=partner_id).first()
    if partner is None:
        raise Http404("No such partner.")
    return partner


def partner_page(grantee: Grantee, partner_id: int) -> Partner:
    """A partner with its commitments and stage history (who moved it when) in three queries."""
    partner = (
        Partner.objects.filter(grantee=grantee, pk=partner_id)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("changed_by").order_by(
                    "-changed_at", "-id"
                ),
            ),
            Prefetch("commitments", queryset=Commitment.objects.order_by("kind", "id")),
        )
        .first()
    )
    if partner is None:
        raise Http404("No such partner.")
    _with_summaries([partner])
    return partner


def pathway_steps_naming(partner: Partner) -> int:
    """How many steps of working drafts name this partner (deleting it takes it off them)."""
    from pathways.models import PathwayStep

    return PathwayStep.objects.filter(
        grantee_id=partner.grantee_id, partners=partner, version__frozen_at__isnull=True
    ).count()


def frozen_pathways_naming(partner: Partner) -> list[tuple[str, list[int]]]:
    """The pathways with a frozen version that names this partner on a step, by title, each
    with the numbers of those versions: [("Medical assistant IET", [1, 2]), ...]."""
    from pathways.models import PathwayStep

    rows = (
        PathwayStep.objects.filter(
            grantee_id=partner.grantee_id, partners=partner, version__frozen_at__isnull=False
        )
        .values_list("version__concept_id", "version__concept__title", "version__number")
        .distinct()
        .order_by("version__concept__title", "version__concept_id", "version__number")
    )
    named: dict[int, tuple[str, list[int]]] = {}
    for concept_id, title, number in rows:
        named.setdefault(concept_id, (title, []))[1].append(number)
    return list(named.values())


def commitment_in(grantee: Grantee, commitment_id: int) -> Commitment:
    commitment = (
        Commitment.objects.filter(grantee=grantee, partner__grantee=grantee, pk=commitment_id)
        .select_related("partner")
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment.")
    return commitment


def last_move(partner: Partner) -> StageChange | None:
    return partner.stage_changes.select_related("changed_by").order_by("-changed_at", "-id").first()


# --- The employer pipeline ------------------------------------------------------------------------


@dataclass
class PipelineColumn:
    stage: str
    label: str
    partners: list[Partner]
    previous: tuple[str, str] | None  # (stage, label) a card moves back to
    next: tuple[str, str] | None  # and forward to


@dataclass
class Pipeline:
    columns: list[PipelineColumn]
    committed_slots: int = 0
    proposed_slots: int = 0
    committed_hires: int = 0
    proposed_hires: int = 0
    employers: int = 0
    stage_counts: list[tuple[str, int]] = field(default_factory=list)


def employer_pipeline(grantee: Grantee) -> Pipeline:
    """Employers in a column per stage (longest in the stage first, so stalled ones stand out),
    with what they have committed to: slots and hires confirmed or fulfilled, and proposed."""
    employers = _with_summaries(
        list(
            partners_of(grantee, kind=Partner.Kind.EMPLOYER).order_by(
                "stage_changed_at", "created_at", "name"
            )
        )
    )
    choices = Partner.Stage.choices
    columns = []
    for i, (value, label) in enumerate(choices):
        columns.append(
            PipelineColumn(
                stage=value,
                label=label,
                partners=[p for p in employers if p.stage == value],
                previous=choices[i - 1] if i > 0 else None,
                next=choices[i + 1] if i + 1 < len(choices) else None,
            )
        )
    totals = {
        (kind, status): n or 0
        for kind, status, n in Commitment.objects.filter(
            grantee=grantee,
            partner__kind=Partner.Kind.EMPLOYER,
            kind__in=[Commitment.Kind.WBL_SLOTS, Commitment.Kind.HIRING],
            status__in=LIVE,
        )
        .values_list("kind", "status")
        .annotate(n=Sum("quantity"))
        .order_by()
    }

    def total(kind, statuses):
        return sum(totals.get((kind, s), 0) for s in statuses)

    return Pipeline(
        columns=columns,
        committed_slots=total(Commitment.Kind.WBL_SLOTS, COMMITTED),
        proposed_slots=total(Commitment.Kind.WBL_SLOTS, [Commitment.Status.PROPOSED]),
        committed_hires=total(Commitment.Kind.HIRING, COMMITTED),
        proposed_hires=total(Commitment.Kind.HIRING, [Commitment.Status.PROPOSED]),
        employers=len(employers),
        stage_counts=[(c.label, len(c.partners)) for c in columns],
    )


def map_partners(grantee: Grantee) -> list[Partner]:
    """Every partner's name, type and stage: what the map draws and its table lists."""
    return list(
        Partner.objects.filter(grantee=grantee).only("pk", "name", "kind", "stage").order_by("name")
    )


@dataclass
class MapTableRow:
    kind: str
    label: str
    cells: list[list[Partner]]


def map_table(partners: list[Partner]) -> list[MapTableRow]:
    """The map as a table: a row per type, a cell per stage listing its partners."""
    return [
        MapTableRow(
            value,
            label,
            [[p for p in partners if p.kind == value and p.stage == s] for s in Partner.Stage],
        )
        for value, label in KIND_PLURAL_CHOICES
    ]

"""Reads for pathway concepts: the grantee's list, one version with everything its page shows,
and the student-facing map's content in English or Spanish."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.formats import number_format

from grantees.models import Grantee, Occupation
from labor_market.models import HOURS_PER_YEAR, PriorityOccupation
from partners.models import Partner
from pathways.models import (
    EnglishLevel,
    EntryPoint,
    PathwayConcept,
    PathwayModel,
    PathwayStep,
    PathwayVersion,
    StepComment,
)


def concepts_for(grantee: Grantee) -> list[PathwayConcept]:
    """The grantee's concepts with their newest version's number, model and state, and how many
    comments are still open: one query, whatever the number of versions and comments."""
    newest = PathwayVersion.objects.filter(concept=OuterRef("pk")).order_by("-number")
    open_comments = (
        StepComment.objects.filter(concept=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("concept")
        .annotate(n=Count("pk"))
        .values("n")
    )
    concepts = list(
        PathwayConcept.objects.filter(grantee=grantee)
        .annotate(
            current_number=Subquery(newest.values("number")[:1]),
            current_model=Subquery(newest.values("model")[:1]),
            current_frozen_at=Subquery(newest.values("frozen_at")[:1]),
            open_comments=Coalesce(Subquery(open_comments, output_field=IntegerField()), Value(0)),
        )
        .order_by("title", "pk")
    )
    for concept in concepts:
        concept.current_model_label = (
            PathwayModel(concept.current_model).label if concept.current_model else ""
        )
    return concepts


def concept_in(grantee: Grantee, concept_id: int) -> PathwayConcept:
    concept = (
        PathwayConcept.objects.filter(grantee=grantee, pk=concept_id)
        .select_related("grantee")
        .first()
    )
    if concept is None:
        raise Http404("No such pathway.")
    return concept


def versions_of(concept: PathwayConcept) -> list[PathwayVersion]:
    """Newest first, each carrying its concept and grantee (no further query for them)."""
    versions = list(
        PathwayVersion.objects.filter(concept=concept)
        .select_related("created_by")
        .order_by("-number")
    )
    for version in versions:
        version.concept = concept
        version.grantee = concept.grantee
    return versions


def working_version(versions: list[PathwayVersion]) -> PathwayVersion:
    """The working draft, or the newest version when every one is frozen."""
    if not versions:
        raise Http404("This pathway has no version.")
    return next((v for v in versions if v.is_draft), versions[0])


def version_numbered(versions: list[PathwayVersion], number: int) -> PathwayVersion:
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404("No such version.")
    return version


def step_in(grantee: Grantee, step_id: int) -> PathwayStep:
    step = (
        PathwayStep.objects.filter(grantee=grantee, pk=step_id)
        .select_related("grantee", "version__concept__grantee")
        .first()
    )
    if step is None:
        raise Http404("No such step.")
    step.version.grantee = step.grantee
    return step


def comment_in(grantee: Grantee, comment_id: int) -> StepComment:
    comment = (
        StepComment.objects.filter(grantee=grantee, pk=comment_id)
        .select_related("grantee", "concept")
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    return comment


def grantee_partners(grantee: Grantee):
    return Partner.objects.filter(grantee=grantee).order_by("name")


def occupations_for_choice(grantee: Grantee):
    """Every occupation, the grantee's priority occupations first (in their order)."""
    priority_position = PriorityOccupation.objects.filter(
        grantee=grantee, occupation=OuterRef("pk")
    ).values("position")[:1]
    return Occupation.objects.annotate(
        priority_position=Subquery(priority_position, output_field=IntegerField())
    ).order_by("priority_position", "title")


def local_number(value, decimals: int = 0) -> str:
    """A number written for the active language, grouped whatever USE_THOUSAND_SEPARATOR says:
    40938 → "40,938" in English, "40 938" in Spanish; 19.68 → "19.68" / "19,68"."""
    return number_format(value, decimals, use_l10n=True, force_grouping=True)


def hourly_wage(annual: int | None) -> str:
    """$40,938 a year → "$19.68" an hour (a full-time year of 2,080 hours), in the active
    language's separators."""
    return f"${local_number(annual / HOURS_PER_YEAR, 2)}" if annual else ""


def annual_wage(annual: int | None) -> str:
    return f"${local_number(annual)}" if annual else ""


# --- One version, as its page shows it -----------------------------------------------------------


@dataclass
class EntryRow:
    level: str
    label: str
    number: int  # the NRS ESL level, 1–6
    step: PathwayStep | None = None
    note: str = ""
    note_es: str = ""


@dataclass
class VersionView:
    concept: PathwayConcept
    version: PathwayVersion
    versions: list[PathwayVersion]
    steps: list[PathwayStep] = field(default_factory=list)
    entries: list[EntryRow] = field(default_factory=list)
    occupations: list[Occupation] = field(default_factory=list)
    open_comments: int = 0

    @property
    def is_working(self) -> bool:
        return self.version.is_draft

    @property
    def has_entries(self) -> bool:
        return any(row.step for row in self.entries)


def version_view(concept: PathwayConcept, versions: list[PathwayVersion], version) -> VersionView:
    """Steps (with partners and every comment ever made on the step's key), entry points for each
    English level, and the target occupations with their wages: a fixed number of queries."""
    steps = list(
        PathwayStep.objects.filter(version=version)
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name")))
        .order_by("position", "id")
    )
    comments = defaultdict(list)
    for comment in (
        StepComment.objects.filter(concept=concept)
        .select_related("author", "resolved_by")
        .order_by("created_at", "id")
    ):
        comments[comment.step_key].append(comment)
    by_key = {}
    for number, step in enumerate(steps, start=1):
        step.number = number
        step.comments = comments.get(step.key, [])
        step.open_comments = sum(1 for c in step.comments if c.resolved_at is None)
        step.partner_list = list(step.partners.all())
        by_key[step.key] = step
    entries = {e.english_level: e for e in EntryPoint.objects.filter(version=version)}
    rows = []
    for number, (level, label) in enumerate(EnglishLevel.choices, start=1):
        entry = entries.get(level)
        rows.append(
            EntryRow(
                level=level,
                label=label,
                number=number,
                step=by_key.get(entry.step_key) if entry else None,
                note=entry.note if entry else "",
                note_es=entry.note_es if entry else "",
            )
        )
    occupations = list(version.target_occupations.order_by("title"))
    for occupation in occupations:
        occupation.hourly = hourly_wage(occupation.ca_median_annual_wage)
        occupation.annual = annual_wage(occupation.ca_median_annual_wage)
    return VersionView(
        concept=concept,
        version=version,
        versions=versions,
        steps=steps,
        entries=rows,
        occupations=occupations,
        open_comments=sum(step.open_comments for step in steps),
    )


def step_thread(step: PathwayStep) -> list[StepComment]:
    """Every comment on the step's key, whichever version it was made on."""
    return list(
        StepComment.objects.filter(concept_id=step.version.concept_id, step_key=step.key)
        .select_related("author", "resolved_by")
        .order_by("created_at", "id")
    )


def thread_step(comment: StepComment) -> PathwayStep | None:
    """The step a comment's thread is shown under: the newest version's step with its key."""
    step = (
        PathwayStep.objects.filter(version__concept_id=comment.concept_id, key=comment.step_key)
        .select_related("grantee", "version__concept")
        .order_by("-version__number")
        .first()
    )
    if step is not None:
        step.version.grantee = step.grantee
    return step


# --- The student-facing map ----------------------------------------------------------------------


def _pick(english: str, spanish: str, lang: str) -> str:
    """The grantee's Spanish copy on a Spanish map, the English text when there is none."""
    return (spanish or english) if lang == "es" else english


@dataclass
class MapStep:
    number: int
    kind: str
    kind_label: str
    title: str
    detail: str
    duration: str
    partners: list[str]


@dataclass
class MapEntry:
    number: int
    label: str
    step_number: int
    step_title: str
    note: str


@dataclass
class MapJob:
    title: str
    hourly: str
    annual: str
    wage_year: int | None
    licensing_body: str


@dataclass
class MapContent:
    lang: str
    grantee: Grantee
    title: str
    number: int
    model_label: str
    summary: str
    steps: list[MapStep]
    entries: list[MapEntry]
    jobs: list[MapJob]
    supports: list[str]
    wage_years: list[int]
    hours_per_year: str  # the full-time year the hourly wages divide by, written for `lang`

    # Empty columns keep a short map's cards at the width of a full one.
    @property
    def entry_padding(self) -> range:
        return range(max(0, len(EnglishLevel.values) - len(self.entries)))

    @property
    def step_padding(self) -> range:
        return range(max(0, 5 - len(self.steps)))


def map_content(view: VersionView, lang: str) -> MapContent:
    """What a learner reads on the one-page map, in `lang`. Call it inside
    translation.override(lang): the fixed labels (model, kinds, English levels) translate then,
    and the wages take that language's separators."""
    version = view.version
    steps = [
        MapStep(
            number=step.number,
            kind=step.kind,
            kind_label=str(step.get_kind_display()),
            title=_pick(step.title, step.title_es, lang),
            detail=_pick(step.detail, step.detail_es, lang),
            duration=_pick(step.duration, step.duration_es, lang),
            partners=[partner.name for partner in step.partner_list],
        )
        for step in view.steps
    ]
    entries = [
        MapEntry(
            number=row.number,
            label=str(EnglishLevel(row.level).label),
            step_number=row.step.number,
            step_title=_pick(row.step.title, row.step.title_es, lang),
            note=_pick(row.note, row.note_es, lang),
        )
        for row in view.entries
        if row.step is not None
    ]
    # From the first job a learner can reach to the best paid: the ladder the map shows.
    by_wage = sorted(
        view.occupations,
        key=lambda o: (o.ca_median_annual_wage is None, o.ca_median_annual_wage or 0),
    )
    jobs = [
        MapJob(
            title=_pick(o.title, o.title_es, lang),
            # Formatted here, under the map's language, not with the page's (English) figures.
            hourly=hourly_wage(o.ca_median_annual_wage),
            annual=annual_wage(o.ca_median_annual_wage),
            wage_year=o.wage_year,
            licensing_body=_pick(o.licensing_body, o.licensing_body_es, lang),
        )
        for o in by_wage
    ]
    supports = _pick(version.supports, version.supports_es, lang)
    return MapContent(
        lang=lang,
        grantee=view.concept.grantee,
        title=_pick(view.concept.title, view.concept.title_es, lang),
        number=version.number,
        model_label=str(version.get_model_display()),
        summary=_pick(version.summary, version.summary_es, lang),
        steps=steps,
        entries=entries,
        jobs=jobs,
        supports=[line.strip(" -•\t") for line in supports.splitlines() if line.strip(" -•\t")],
        wage_years=sorted({o.wage_year for o in view.occupations if o.wage_year}),
        hours_per_year=local_number(HOURS_PER_YEAR),
    )

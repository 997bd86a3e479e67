"""Writes for instruments and assessments: each is one transaction that checks who may do it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django_scopes import scopes_disabled

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
    Level,
    Plan,
)
from grantees.models import CoachAssignment, Grantee, Membership, User
from portal.roles import Roles, compute_roles
from portal.services import ServiceError

# --- Instruments ----------------------------------------------------------------------------------


def _ensure_ta_admin(actor: User) -> None:
    if not compute_roles(actor).is_ta_admin:
        raise PermissionDenied


def is_frozen(version: InstrumentVersion) -> bool:
    """A version some assessment uses cannot change: past assessments keep their wording. Any
    grantee's assessment counts, not only those the editor may see."""
    with scopes_disabled():
        return Assessment.objects.filter(version=version).exists()


def _ensure_editable(version: InstrumentVersion) -> None:
    if is_frozen(version):
        raise ServiceError(
            "This version is in use by assessments and cannot change. Start a new version.",
            code="frozen",
        )


@transaction.atomic
def instrument_create(*, actor: User, name: str, description: str = "") -> InstrumentVersion:
    """A new instrument with an empty first version to fill in."""
    _ensure_ta_admin(actor)
    if Instrument.objects.filter(name__iexact=name.strip()).exists():
        raise ServiceError("An instrument with this name exists.", field="name")
    instrument = Instrument.objects.create(name=name.strip(), description=description)
    return InstrumentVersion.objects.create(instrument=instrument, number=1, created_by=actor)


@transaction.atomic
def version_new(*, actor: User, version: InstrumentVersion, notes: str = "") -> InstrumentVersion:
    """Copy a version (domains, items, topics) into the next number, to edit without touching
    the assessments that used the old one."""
    _ensure_ta_admin(actor)
    instrument = Instrument.objects.select_for_update().get(pk=version.instrument_id)
    number = (instrument.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    copy = InstrumentVersion.objects.create(
        instrument=instrument, number=number, notes=notes, created_by=actor
    )
    for domain in version.domains.prefetch_related("items", "topics"):
        new_domain = Domain.objects.create(
            version=copy,
            key=domain.key,
            position=domain.position,
            title=domain.title,
            description=domain.description,
        )
        new_domain.topics.set(domain.topics.all())
        Item.objects.bulk_create(
            Item(
                domain=new_domain,
                position=item.position,
                prompt=item.prompt,
                exploring=item.exploring,
                developing=item.developing,
                implementing=item.implementing,
                sustaining=item.sustaining,
                probes=item.probes,
            )
            for item in domain.items.all()
        )
    return copy


@transaction.atomic
def domain_save(
    *, actor: User, version: InstrumentVersion, data: dict, domain: Domain | None = None
) -> Domain:
    """Add a domain at the end, or change one. `data`: key, title, description, topics."""
    _ensure_ta_admin(actor)
    version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    _ensure_editable(version)
    clash = version.domains.filter(key=data["key"])
    if domain is not None:
        clash = clash.exclude(pk=domain.pk)
    if clash.exists():
        raise ServiceError("Another domain of this version has this key.", field="key")
    if domain is None:
        position = (version.domains.aggregate(n=Max("position"))["n"] or 0) + 1
        domain = Domain(version=version, position=position)
    domain.key = data["key"]
    domain.title = data["title"]
    domain.description = data.get("description", "")
    domain.save()
    domain.topics.set(data.get("topics", []))
    return domain


RUBRIC_FIELDS = ("exploring", "developing", "implementing", "sustaining")


@transaction.atomic
def item_save(*, actor: User, domain: Domain, data: dict, item: Item | None = None) -> Item:
    """Add an item at the end of its domain, or change one. `data`: prompt, the four rubric
    texts, probes."""
    _ensure_ta_admin(actor)
    version = InstrumentVersion.objects.select_for_update().get(pk=domain.version_id)
    _ensure_editable(version)
    if item is None:
        position = (domain.items.aggregate(n=Max("position"))["n"] or 0) + 1
        item = Item(domain=domain, position=position)
    for name in ("prompt", *RUBRIC_FIELDS, "probes"):
        setattr(item, name, data.get(name, ""))
    item.save()
    return item


@transaction.atomic
def item_delete(*, actor: User, item: Item) -> None:
    _ensure_ta_admin(actor)
    version = InstrumentVersion.objects.select_for_update().get(pk=item.domain.version_id)
    _ensure_editable(version)
    item.delete()


@transaction.atomic
def domain_delete(*, actor: User, domain: Domain) -> None:
    _ensure_ta_admin(actor)
    version = InstrumentVersion.objects.select_for_update().get(pk=domain.version_id)
    _ensure_editable(version)
    domain.delete()


# --- Assessments ----------------------------------------------------------------------------------


def _ensure_coach(actor: User, grantee: Grantee) -> Roles:
    roles = compute_roles(actor)
    if not roles.can_coach_grantee(grantee.pk, grantee.program_id):
        raise PermissionDenied
    return roles


@transaction.atomic
def assessment_start(
    *,
    actor: User,
    grantee: Grantee,
    kind: str,
    version: InstrumentVersion,
    interview_on: datetime.date | None = None,
) -> Assessment:
    """Open an assessment for the interview. A follow-up needs a finalized baseline to grow
    from; only one assessment of a kind is in progress at a time."""
    _ensure_coach(actor, grantee)
    # Taken after any edit of the version in progress: from here on the version is frozen.
    version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if not Item.objects.filter(domain__version=version).exists():
        raise ServiceError("This instrument version has no items yet.", field="version")
    if (
        kind != Assessment.Kind.BASELINE
        and not Assessment.objects.filter(
            grantee=grantee, kind=Assessment.Kind.BASELINE, status=Assessment.Status.FINALIZED
        ).exists()
    ):
        raise ServiceError(
            "Finalize a baseline first: a follow-up shows growth since the baseline.", field="kind"
        )
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                grantee=grantee,
                version=version,
                kind=kind,
                coach=actor,
                interview_on=interview_on,
            )
    except IntegrityError:
        raise ServiceError(
            "An assessment of this kind is already in progress for this grantee.", field="kind"
        ) from None


# Fields a save may change, by who owns them: the coach's interview, or the grantee's own
# self-assessment. Item fields are named "<source>:<item id>:<field>".
NARRATIVE_FIELDS = (
    "regional_strategy",
    "implementation_challenges",
    "system_capacity",
    "internal_notes",
)
ANSWER_FIELDS = {
    Answer.Source.COACH: ("level", "evidence"),
    Answer.Source.GRANTEE: ("level", "evidence", "flagged"),
}


@dataclass(frozen=True)
class SaveOutcome:
    """What became of one autosave. On a conflict, `current` is what the other person saved."""

    field: str
    saved: bool
    current: str
    updated_by: User | None = None
    updated_at: datetime.datetime | None = None


def _normal(text: str) -> str:
    # Browsers send textarea line breaks as CRLF; store and compare one form.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def parse_field(assessment: Assessment, field: str) -> tuple[str, Item | None, str]:
    """ "regional_strategy" → ("narrative", None, name); "coach:12:level" → ("coach", item, name).
    Unknown names and items of another instrument version are refused."""
    if field in NARRATIVE_FIELDS:
        return "narrative", None, field
    parts = field.split(":")
    if len(parts) == 3 and parts[0] in ANSWER_FIELDS and parts[2] in ANSWER_FIELDS[parts[0]]:
        item_id = int(parts[1]) if parts[1].isascii() and parts[1].isdecimal() else 0
        item = Item.objects.filter(pk=item_id).first()
        if item is not None and item.domain.version_id == assessment.version_id:
            return parts[0], item, parts[2]
    raise ServiceError("Unknown field.", field="field")


def _clean_value(name: str, value: str):
    if name == "level":
        if value == "":
            return None
        if value not in {str(level) for level in Level.values}:
            raise ServiceError("Choose a level from 1 to 4.", field="value")
        return int(value)
    if name == "flagged":
        return value == "on"
    if len(value) > 20_000:
        raise ServiceError("Keep this under 20,000 characters.", field="value")
    if "\x00" in value:  # PostgreSQL text cannot hold it; a browser never sends it
        raise ServiceError("This text contains a character that cannot be saved.", field="value")
    return value


@transaction.atomic
def assessment_save_field(
    *, actor: User, assessment: Assessment, field: str, value: str, was: str
) -> SaveOutcome:
    """Save one field as someone types (autosave). `was` is the value this editor started from:
    if someone else saved something different meanwhile, nothing is written and the outcome
    says what they saved, so two editors never silently overwrite each other."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_final:
        raise ServiceError("This assessment is finalized and can no longer change.", code="final")
    source, item, name = parse_field(assessment, field)
    roles = compute_roles(actor)
    grantee = assessment.grantee
    if source == Answer.Source.GRANTEE:
        allowed = grantee.pk in roles.staff_of
    else:
        allowed = roles.can_coach_grantee(grantee.pk, grantee.program_id)
    if not allowed:
        raise PermissionDenied
    value, was = _normal(value), _normal(was)
    cleaned = _clean_value(name, value)
    if item is None:
        current = _normal(getattr(assessment, name))
        if current not in (was, value):
            return SaveOutcome(
                field,
                False,
                current,
                assessment.narrative_updated_by,
                assessment.narrative_updated_at,
            )
        setattr(assessment, name, cleaned)
        assessment.narrative_updated_by = actor
        assessment.narrative_updated_at = timezone.now()
        assessment.save(update_fields=[name, "narrative_updated_by", "narrative_updated_at"])
        return SaveOutcome(field, True, value, actor, assessment.narrative_updated_at)
    answer, _ = Answer.objects.select_for_update().get_or_create(
        assessment=assessment, item=item, source=source
    )
    current = _normal(_as_text(getattr(answer, name)))
    if current not in (was, _as_text(cleaned)):
        return SaveOutcome(field, False, current, answer.updated_by, answer.updated_at)
    setattr(answer, name, cleaned)
    answer.updated_by = actor
    answer.save(update_fields=[name, "updated_by", "updated_at"])
    return SaveOutcome(field, True, _as_text(cleaned), actor, answer.updated_at)


@transaction.atomic
def assessment_set_date(
    *, actor: User, assessment: Assessment, interview_on: datetime.date | None
) -> Assessment:
    _ensure_coach(actor, assessment.grantee)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_final:
        raise ServiceError("This assessment is finalized and can no longer change.", code="final")
    assessment.interview_on = interview_on
    assessment.save(update_fields=["interview_on"])
    return assessment


def coach_levels_by_domain(assessment: Assessment) -> dict[Domain, list[int | None]]:
    """Every item of the assessment's version with the coach's level (None when unrated)."""
    levels = dict(
        assessment.answers.filter(source=Answer.Source.COACH).values_list("item_id", "level")
    )
    by_domain: dict[Domain, list[int | None]] = {}
    for item in Item.objects.filter(domain__version=assessment.version_id).select_related("domain"):
        by_domain.setdefault(item.domain, []).append(levels.get(item.pk))
    return by_domain


@transaction.atomic
def assessment_finalize(*, actor: User, assessment: Assessment) -> Assessment:
    """Lock the assessment and store its domain and overall scores. Every item needs the
    coach's level first; after this nothing about it changes."""
    _ensure_coach(actor, assessment.grantee)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_final:
        raise ServiceError("This assessment is already finalized.", code="final")
    by_domain = coach_levels_by_domain(assessment)
    unrated = [domain.title for domain, levels in by_domain.items() if None in levels]
    if unrated:
        raise ServiceError(
            "Rate every item before finalizing. Not yet rated: " + "; ".join(unrated) + ".",
            field="level",
        )
    if assessment.interview_on is None:
        raise ServiceError("Enter the date of the interview.", field="interview_on")
    scores = scoring.domain_scores(by_domain)
    DomainScore.objects.bulk_create(
        DomainScore(assessment=assessment, domain=domain, score=score)
        for domain, score in scores.items()
    )
    assessment.overall_score = scoring.overall_score(scores)
    assessment.status = Assessment.Status.FINALIZED
    assessment.finalized_at = timezone.now()
    assessment.finalized_by = actor
    assessment.save(update_fields=["overall_score", "status", "finalized_at", "finalized_by"])
    return assessment


# --- TA plans -------------------------------------------------------------------------------------


def _ensure_can_plan(actor: User, grantee: Grantee) -> None:
    if not compute_roles(actor).can_plan_for_grantee(grantee.pk, grantee.program_id):
        raise PermissionDenied


@transaction.atomic
def plan_create(*, actor: User, assessment: Assessment, domains: list[Domain]) -> Plan:
    """Turn a finalized assessment's chosen priorities into a plan: a goal per domain."""
    _ensure_can_plan(actor, assessment.grantee)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_final:
        raise ServiceError("Finalize the assessment before planning from it.", field="domains")
    if not domains:
        raise ServiceError("Choose at least one priority.", field="domains")
    if any(domain.version_id != assessment.version_id for domain in domains):
        raise ServiceError("Choose among this assessment's domains.", field="domains")
    if Plan.objects.filter(assessment=assessment).exists():
        raise ServiceError("This assessment already has a plan.", field="domains")
    plan = Plan.objects.create(grantee=assessment.grantee, assessment=assessment, created_by=actor)
    Goal.objects.bulk_create(
        Goal(plan=plan, domain=domain, position=position, title=f"Strengthen {domain.title}")
        for position, domain in enumerate(sorted(domains, key=lambda d: d.position), start=1)
    )
    return plan


def plan_people_ids(grantee: Grantee) -> set[int]:
    """Who may own a goal or an action: the grantee's people and its coaches."""
    members = Membership.objects.filter(grantee=grantee).values_list("user_id", flat=True)
    coaches = CoachAssignment.objects.filter(grantee=grantee).values_list("coach_id", flat=True)
    return set(members) | set(coaches)


def _check_owner(grantee: Grantee, owner: User | None) -> None:
    if owner is not None and owner.pk not in plan_people_ids(grantee):
        raise ServiceError("Choose someone of this grantee or its coach.", field="owner")


GOAL_FIELDS = ("title", "description", "domain", "owner", "due_on", "status")


@transaction.atomic
def goal_save(*, actor: User, plan: Plan, data: dict, goal: Goal | None = None) -> Goal:
    """Add a goal at the end of the plan, or change one (title, owner, due date, status)."""
    _ensure_can_plan(actor, plan.grantee)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _check_owner(plan.grantee, data.get("owner"))
    domain = data.get("domain")
    if domain is not None and domain.version_id != plan.assessment.version_id:
        raise ServiceError("Choose one of the assessment's domains.", field="domain")
    if goal is None:
        goal = Goal(plan=plan, position=(plan.goals.aggregate(n=Max("position"))["n"] or 0) + 1)
    for name in GOAL_FIELDS:
        if name in data:
            setattr(goal, name, data[name])
    goal.save()
    return goal


@transaction.atomic
def goal_action_add(*, actor: User, goal: Goal, data: dict) -> GoalAction:
    _ensure_can_plan(actor, goal.plan.grantee)
    _check_owner(goal.plan.grantee, data.get("owner"))
    return GoalAction.objects.create(
        goal=goal,
        description=data["description"],
        owner=data.get("owner"),
        due_on=data.get("due_on"),
    )


@transaction.atomic
def goal_action_set_done(*, actor: User, action: GoalAction, done: bool) -> GoalAction:
    """Tick an action off (or back on). A goal not started moves to in progress."""
    _ensure_can_plan(actor, action.goal.plan.grantee)
    action = GoalAction.objects.select_for_update().get(pk=action.pk)
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done_at"])
    goal = action.goal
    if done and goal.status == Goal.Status.NOT_STARTED:
        goal.status = Goal.Status.IN_PROGRESS
        goal.save(update_fields=["status", "updated_at"])
    return action


@transaction.atomic
def goal_action_delete(*, actor: User, action: GoalAction) -> None:
    _ensure_can_plan(actor, action.goal.plan.grantee)
    action.delete()

"""Writes for pathway concepts: drafting (the grantee's members), versions, and step comments
(the grantee's people, its coaches and the program's TA admins).

Only the working draft changes; a frozen version is a record and every edit of it is refused
here, whatever a page offers. Each write also touches the concept, which is the "last change"
the pathway list shows.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grantees.models import Grantee, Occupation, User
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
from portal.roles import ensure_grantee_member, ensure_grantee_participant
from portal.services import ServiceError

VERSION_FIELDS = ("model", "summary", "summary_es", "supports", "supports_es")
STEP_FIELDS = ("kind", "title", "title_es", "detail", "detail_es", "duration", "duration_es")
COMMENT_MAX_LENGTH = 4000


def _touch(concept_id: int) -> None:
    PathwayConcept.objects.filter(pk=concept_id).update(updated_at=timezone.now())


def _lock_draft(version: PathwayVersion) -> PathwayVersion:
    """The version, locked for this transaction; refused unless it is still the working draft."""
    locked = PathwayVersion.objects.select_for_update().get(pk=version.pk)
    if locked.frozen_at is not None:
        raise ServiceError(
            f"Version {locked.number} is frozen and can no longer change; edit the working draft.",
            code="frozen",
        )
    return locked


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ServiceError("Give the pathway a title.", field="title")
    return title


def _check_model(model: str) -> None:
    if model not in PathwayModel.values:
        raise ServiceError("Choose one of the pathway models.", field="model")


def _check_partners(grantee: Grantee, partners) -> list[Partner]:
    """Only the grantee's own partners may stand beside a step (never another tenant's)."""
    partners = list(partners or [])
    if any(p.grantee_id != grantee.pk for p in partners):
        raise ServiceError("Choose partners from your own partner list.", field="partners")
    return partners


@transaction.atomic
def pathway_create(
    *, actor: User, grantee: Grantee, title: str, model: str, title_es: str = ""
) -> PathwayConcept:
    """Start a pathway concept: version 1 is its working draft. `title_es` is what the Spanish
    map prints (empty: the English title)."""
    ensure_grantee_member(actor, grantee)
    title = _clean_title(title)
    _check_model(model)
    concept = PathwayConcept.objects.create(
        grantee=grantee, title=title, title_es=(title_es or "").strip(), created_by=actor
    )
    PathwayVersion.objects.create(
        grantee=grantee, concept=concept, number=1, model=model, created_by=actor
    )
    return concept


@transaction.atomic
def pathway_update(*, actor: User, version: PathwayVersion, data: dict) -> PathwayVersion:
    """Change the draft's description: title and its Spanish copy (the concept's, shared by every
    version), model, summary, supports, their Spanish copies and the target occupations."""
    ensure_grantee_member(actor, version.grantee)
    version = _lock_draft(version)
    title = _clean_title(data.get("title", ""))
    _check_model(data.get("model", ""))
    occupations = list(data.get("target_occupations") or [])
    if any(not isinstance(o, Occupation) for o in occupations):
        raise ServiceError("Choose occupations from the list.", field="target_occupations")
    for name in VERSION_FIELDS:
        setattr(version, name, (data.get(name) or "").strip())
    version.save(update_fields=[*VERSION_FIELDS, "updated_at"])
    version.target_occupations.set(occupations)
    PathwayConcept.objects.filter(pk=version.concept_id).update(
        title=title, title_es=(data.get("title_es") or "").strip(), updated_at=timezone.now()
    )
    return version


# --- Steps ----------------------------------------------------------------------------------------


def _step_values(data: dict) -> dict:
    values = {name: (data.get(name) or "").strip() for name in STEP_FIELDS}
    if values["kind"] not in PathwayStep.Kind.values:
        raise ServiceError("Choose what kind of step this is.", field="kind")
    if not values["title"]:
        raise ServiceError("Give the step a title.", field="title")
    return values


@transaction.atomic
def step_add(*, actor: User, version: PathwayVersion, data: dict) -> PathwayStep:
    """Add a step at the end of the draft's sequence."""
    ensure_grantee_member(actor, version.grantee)
    version = _lock_draft(version)
    values = _step_values(data)
    partners = _check_partners(version.grantee, data.get("partners"))
    last = version.steps.aggregate(last=Max("position"))["last"]
    step = PathwayStep.objects.create(
        grantee_id=version.grantee_id,
        version=version,
        position=0 if last is None else last + 1,
        **values,
    )
    step.partners.set(partners)
    _touch(version.concept_id)
    return step


def _lock_step(step: PathwayStep, version: PathwayVersion) -> PathwayStep:
    """The step as it is now, locked, once its version is locked: the page read it a moment ago,
    and another member may have removed it since."""
    locked = PathwayStep.objects.select_for_update().filter(pk=step.pk, version=version).first()
    if locked is None:
        raise ServiceError("This step was removed by someone else.", code="gone")
    return locked


@transaction.atomic
def step_update(*, actor: User, step: PathwayStep, data: dict) -> PathwayStep:
    grantee = step.grantee
    ensure_grantee_member(actor, grantee)
    version = _lock_draft(step.version)
    step = _lock_step(step, version)
    values = _step_values(data)
    partners = _check_partners(grantee, data.get("partners"))
    for name, value in values.items():
        setattr(step, name, value)
    step.save(update_fields=list(values))
    step.partners.set(partners)
    _touch(version.concept_id)
    return step


@transaction.atomic
def step_delete(*, actor: User, step: PathwayStep) -> None:
    """Remove a step from the draft. Refused while an English level starts there: the learners
    at that level would have nowhere to start."""
    ensure_grantee_member(actor, step.grantee)
    version = _lock_draft(step.version)
    step = _lock_step(step, version)
    starting = [
        EnglishLevel(level).label
        for level in version.entry_points.filter(step_key=step.key).values_list(
            "english_level", flat=True
        )
    ]
    if starting:
        raise ServiceError(
            f"Learners at {', '.join(str(s) for s in starting)} start at this step. "
            "Point their entry at another step first.",
            code="entry_point",
        )
    step.delete()
    _renumber(version)
    _touch(version.concept_id)


def _renumber(version: PathwayVersion, order: list[PathwayStep] | None = None) -> None:
    steps = order if order is not None else list(version.steps.order_by("position", "id"))
    for position, step in enumerate(steps):
        step.position = position
    PathwayStep.objects.bulk_update(steps, ["position"])


@transaction.atomic
def step_move(*, actor: User, step: PathwayStep, direction: str) -> PathwayStep:
    """Swap a step with its neighbour ("up" is earlier in the sequence)."""
    ensure_grantee_member(actor, step.grantee)
    if direction not in ("up", "down"):
        raise ServiceError("Move a step up or down.", field="direction")
    version = _lock_draft(step.version)
    step = _lock_step(step, version)
    steps = list(version.steps.order_by("position", "id"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)  # there: locked above
    step = steps[index]  # the instance whose position the renumbering sets
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(steps):  # the first step cannot go up, nor the last one down
        steps[index], steps[other] = steps[other], steps[index]
        _renumber(version, steps)
        _touch(version.concept_id)
    return step


# --- Entry points ---------------------------------------------------------------------------------


def _as_key(value, *, field: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise ServiceError("Choose a step of this pathway.", field=field) from None


@transaction.atomic
def entry_points_set(
    *, actor: User, version: PathwayVersion, rows: dict[str, dict]
) -> list[EntryPoint]:
    """Say, for each English level, at which step a learner starts (or that the pathway has no
    entry for that level), with a note in English and Spanish. `rows` maps a level to
    {"step_key": UUID | None, "note": str, "note_es": str}; levels not given are cleared."""
    ensure_grantee_member(actor, version.grantee)
    version = _lock_draft(version)
    keys = set(version.steps.values_list("key", flat=True))
    unknown = [level for level in rows if level not in EnglishLevel.values]
    if unknown:
        raise ServiceError(f"Unknown English level: {unknown[0]}.")
    created = []
    for level, row in rows.items():
        key = _as_key(row.get("step_key"), field=f"{level}-step")
        note, note_es = (row.get("note") or "").strip(), (row.get("note_es") or "").strip()
        if key is None:
            if note or note_es:
                raise ServiceError(
                    "Choose the step these learners start at, or leave the note empty.",
                    field=f"{level}-step",
                )
            continue
        if key not in keys:
            raise ServiceError("Choose a step of this pathway.", field=f"{level}-step")
        created.append(
            EntryPoint(
                grantee_id=version.grantee_id,
                version=version,
                english_level=level,
                step_key=key,
                note=note,
                note_es=note_es,
            )
        )
    version.entry_points.all().delete()
    EntryPoint.objects.bulk_create(created)
    _touch(version.concept_id)
    return created


# --- Versions -------------------------------------------------------------------------------------


@transaction.atomic
def version_new(
    *, actor: User, concept: PathwayConcept, from_number: int, change_note: str
) -> PathwayVersion:
    """Freeze the working draft and copy it into the next version, which becomes the draft.

    Steps keep their keys (so comments follow them), and entry points, partners and occupations
    are copied. The concept row is locked first, so two submits at once wait for each other;
    `from_number` is the draft the person saw, and a second submit for it is refused instead of
    freezing the new draft too.
    """
    ensure_grantee_member(actor, concept.grantee)
    change_note = (change_note or "").strip()
    if not change_note:
        raise ServiceError("Say what changes in the new version.", field="change_note")
    if len(change_note) > 300:
        raise ServiceError("Keep the note under 300 characters.", field="change_note")
    concept = PathwayConcept.objects.select_for_update().get(pk=concept.pk)
    draft = PathwayVersion.objects.filter(concept=concept, frozen_at__isnull=True).first()
    if draft is None or draft.number != from_number:
        current = f"version {draft.number} is" if draft else "no version is"
        raise ServiceError(
            f"Version {from_number} is no longer the working draft: {current} now.", code="stale"
        )
    now = timezone.now()
    draft.frozen_at = now
    draft.save(update_fields=["frozen_at", "updated_at"])
    copy = PathwayVersion.objects.create(
        grantee_id=concept.grantee_id,
        concept=concept,
        number=draft.number + 1,
        change_note=change_note,
        created_by=actor,
        **{name: getattr(draft, name) for name in VERSION_FIELDS},
    )
    copy.target_occupations.set(draft.target_occupations.all())
    steps = list(draft.steps.prefetch_related("partners").order_by("position", "id"))
    copies = PathwayStep.objects.bulk_create(
        PathwayStep(
            grantee_id=concept.grantee_id,
            version=copy,
            key=step.key,
            position=step.position,
            **{name: getattr(step, name) for name in STEP_FIELDS},
        )
        for step in steps
    )
    through = PathwayStep.partners.through
    through.objects.bulk_create(
        through(pathwaystep_id=new.pk, partner_id=partner.pk)
        for old, new in zip(steps, copies, strict=True)
        for partner in old.partners.all()
    )
    EntryPoint.objects.bulk_create(
        EntryPoint(
            grantee_id=concept.grantee_id,
            version=copy,
            english_level=entry.english_level,
            step_key=entry.step_key,
            note=entry.note,
            note_es=entry.note_es,
        )
        for entry in draft.entry_points.all()
    )
    concept.save(update_fields=["updated_at"])
    return copy


# --- Comments -------------------------------------------------------------------------------------


@transaction.atomic
def step_comment_add(*, actor: User, step: PathwayStep, body: str) -> StepComment:
    """A coach's comment on a step, or the grantee's reply: kept with the step's key, so it
    shows on every later version of the step too."""
    ensure_grantee_participant(actor, step.grantee)
    body = (body or "").strip()
    if not body:
        raise ServiceError("Write a comment first.", field="body")
    if len(body) > COMMENT_MAX_LENGTH:
        raise ServiceError(f"Keep a comment under {COMMENT_MAX_LENGTH} characters.", field="body")
    return StepComment.objects.create(
        grantee_id=step.grantee_id,
        concept_id=step.version.concept_id,
        step_key=step.key,
        version_number=step.version.number,
        author=actor,
        body=body,
    )


@transaction.atomic
def step_comment_resolve(*, actor: User, comment: StepComment, resolved: bool) -> StepComment:
    """Mark a comment dealt with (or open it again)."""
    ensure_grantee_participant(actor, comment.grantee)
    comment = StepComment.objects.select_for_update().get(pk=comment.pk)
    if resolved and comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), actor
    elif not resolved:
        comment.resolved_at, comment.resolved_by = None, None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment

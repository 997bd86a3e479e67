"""Writes for partners and their commitments. The grantee's own people (staff and leads) keep
this part of their workspace; everyone else who sees the grantee only reads it."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from grantees.models import Grantee, User
from partners import selectors
from partners.models import Commitment, Partner, StageChange
from portal.roles import ensure_grantee_member
from portal.services import ServiceError

PARTNER_FIELDS = (
    "name",
    "kind",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
    "notes",
)
COMMITMENT_FIELDS = ("kind", "quantity", "description", "status", "starts_on", "ends_on")
# No one partner promises more than this many slots, talks, interviews, hires or items; a larger
# number is a typing slip (and past PostgreSQL's integer it would not even save).
MAX_QUANTITY = 10_000
TOO_MANY = f"Enter a number up to {MAX_QUANTITY:,}."

# Commitments that are counted: a number is part of what they promise.
COUNTED = {
    Commitment.Kind.WBL_SLOTS: "Enter how many slots the partner offers (at least 1).",
    Commitment.Kind.INTERVIEWS: "Enter how many interviews the partner commits to (at least 1).",
    Commitment.Kind.HIRING: "Enter how many people the partner commits to hire (at least 1).",
}


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())


def _ensure_name_free(grantee: Grantee, name: str, partner: Partner | None) -> None:
    if not name:
        raise ServiceError("Enter the partner's name.", field="name")
    taken = Partner.objects.filter(grantee=grantee, name__iexact=name)
    if partner is not None:
        taken = taken.exclude(pk=partner.pk)
    existing = taken.first()
    if existing is not None:
        raise ServiceError(
            f"You already have a partner called “{existing.name}”. Open it to change it, or "
            "give this one a name that tells them apart.",
            field="name",
        )


def _save_partner(partner: Partner, grantee: Grantee, name: str) -> None:
    """Save, turning the unique-name constraint into the same message when two people add the
    same partner at once (the check above passed for both)."""
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError:
        _ensure_name_free(grantee, name, partner if partner.pk else None)
        raise


@transaction.atomic
def partner_create(*, actor: User, grantee: Grantee, data: dict) -> Partner:
    """Add a partner at the stage it has reached; that is the first entry of its history."""
    ensure_grantee_member(actor, grantee)
    name = _clean_name(data.get("name", ""))
    _ensure_name_free(grantee, name, None)
    stage = data.get("stage") or Partner.Stage.IDENTIFIED
    if stage not in Partner.Stage.values:
        raise ServiceError("Choose a stage from the list.", field="stage")
    now = timezone.now()
    partner = Partner(grantee=grantee, created_by=actor, stage=stage, stage_changed_at=now)
    for name_ in PARTNER_FIELDS:
        setattr(partner, name_, data.get(name_, "") or "")
    partner.name = name
    _save_partner(partner, grantee, name)
    StageChange.objects.create(
        grantee=grantee, partner=partner, from_stage="", to_stage=stage, changed_by=actor
    )
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, data: dict) -> Partner:
    """Change a partner's details. Its stage moves only through partner_move (with history)."""
    ensure_grantee_member(actor, partner.grantee)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    name = _clean_name(data.get("name", ""))
    _ensure_name_free(partner.grantee, name, partner)
    for name_ in PARTNER_FIELDS:
        setattr(partner, name_, data.get(name_, "") or "")
    partner.name = name
    _save_partner(partner, partner.grantee, name)
    return partner


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def partner_delete_refusal(partner: Partner) -> str | None:
    """Why the partner can't be deleted, or None if it can. A frozen pathway version is the
    record of what was agreed: deleting a partner one of its steps names would quietly change
    it (the step would lose the partner, and so would the student map drawn from it)."""
    named = selectors.frozen_pathways_naming(partner)
    if not named:
        return None
    versions = sum(len(numbers) for _title, numbers in named)
    pathways = _and(
        [
            f"“{title}” (version{'s' if len(numbers) > 1 else ''} "
            f"{_and([str(n) for n in numbers])})"
            for title, numbers in named
        ]
    )
    which = "a frozen pathway version names" if versions == 1 else "frozen pathway versions name"
    return (
        f"{partner.name} can't be deleted because {which} it: {pathways}. A frozen version stays "
        "as it was agreed, partners included. You can still change the partner's details and "
        "stage."
    )


def _lock_pathways_naming(partner: Partner) -> None:
    """Wait for any pathway naming the partner that is freezing a version right now (pathways'
    version_new locks its concept first), so the check that follows sees that version frozen."""
    from pathways.models import PathwayConcept, PathwayStep

    steps = PathwayStep.objects.filter(grantee_id=partner.grantee_id, partners=partner)
    list(
        PathwayConcept.objects.select_for_update()
        .filter(pk__in=steps.values("version__concept_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def partner_delete(*, actor: User, partner: Partner) -> None:
    """Remove a partner with its commitments and stage history; steps of working drafts lose the
    link. Refused while a frozen pathway version names the partner (partner_delete_refusal)."""
    ensure_grantee_member(actor, partner.grantee)
    _lock_pathways_naming(partner)
    refusal = partner_delete_refusal(partner)
    if refusal:
        raise ServiceError(refusal, code="frozen")
    Partner.objects.filter(pk=partner.pk).delete()


@transaction.atomic
def partner_move(*, actor: User, partner: Partner, seen: str, to: str) -> Partner:
    """Move a partner to another relationship stage, recording who moved it and when.

    Compare-and-set: `seen` is the stage the person was looking at. If someone else moved the
    partner since, nothing changes and the message says where it is now, so two people working
    the pipeline never undo each other's move without noticing."""
    ensure_grantee_member(actor, partner.grantee)
    if to not in Partner.Stage.values:
        raise ServiceError("Choose a stage from the list.", field="to", code="invalid")
    current = Partner.objects.select_for_update().get(pk=partner.pk)
    if current.stage != seen:
        last = (
            current.stage_changes.select_related("changed_by")
            .order_by("-changed_at", "-id")
            .first()
        )
        who = last.changed_by.full_name if last and last.changed_by else "Someone"
        if last and last.changed_by_id == actor.pk:
            who = "You (in another tab or window)"
        raise ServiceError(
            f"{who} moved {current.name} to “{current.get_stage_display()}” after you opened "
            "this page, so your move was not made. Its stage is shown as it is now; move it "
            "again if you still need to.",
            field="to",
            code="stale",
        )
    if to == current.stage:
        raise ServiceError(
            f"{current.name} is already at “{current.get_stage_display()}”.",
            field="to",
            code="unchanged",
        )
    StageChange.objects.create(
        grantee=current.grantee,
        partner=current,
        from_stage=current.stage,
        to_stage=to,
        changed_by=actor,
    )
    current.stage = to
    current.stage_changed_at = timezone.now()
    current.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    return current


# --- Commitments ---------------------------------------------------------------------------------


def commitment_problems(data: dict) -> list[tuple[str, str]]:
    """Every rule a commitment breaks, as (field, message): the form shows them all at once and
    the service refuses on the first."""
    problems = []
    kind, quantity = data.get("kind"), data.get("quantity")
    if kind in COUNTED and (quantity is None or quantity < 1):
        problems.append(("quantity", COUNTED[kind]))
    elif quantity is not None and quantity < 1:
        problems.append(("quantity", "Enter a number of at least 1, or leave it empty."))
    elif quantity is not None and quantity > MAX_QUANTITY:
        problems.append(("quantity", TOO_MANY))
    if kind == Commitment.Kind.OTHER and not (data.get("description") or "").strip():
        problems.append(("description", "Describe what the partner commits to."))
    starts_on: datetime.date | None = data.get("starts_on")
    ends_on: datetime.date | None = data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(
            (
                "ends_on",
                f"The end date must be on or after the start date ({starts_on:%b %-d, %Y}).",
            )
        )
    if kind not in Commitment.Kind.values:
        problems.append(("kind", "Choose a type of commitment from the list."))
    if data.get("status") not in Commitment.Status.values:
        problems.append(("status", "Choose a status from the list."))
    return problems


@transaction.atomic
def commitment_save(
    *, actor: User, partner: Partner, data: dict, commitment: Commitment | None = None
) -> Commitment:
    """Record what a partner commits to (or change it)."""
    ensure_grantee_member(actor, partner.grantee)
    problems = commitment_problems(data)
    if problems:
        field, message = problems[0]
        raise ServiceError(message, field=field)
    if commitment is None:
        commitment = Commitment(grantee=partner.grantee, partner=partner, created_by=actor)
    elif commitment.partner_id != partner.pk:
        raise ServiceError("This commitment belongs to another partner.")
    for name in COMMITMENT_FIELDS:
        setattr(commitment, name, data.get(name))
    commitment.description = (commitment.description or "").strip()
    commitment.save()
    return commitment


@transaction.atomic
def commitment_delete(*, actor: User, commitment: Commitment) -> None:
    ensure_grantee_member(actor, commitment.partner.grantee)
    Commitment.objects.filter(pk=commitment.pk).delete()

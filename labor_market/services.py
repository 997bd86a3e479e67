"""Writes for labor-market data: a grantee's priority occupations, a program's living wages,
and the TA admins' import of updated occupation facts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from grantees.models import Grantee, Occupation, Program, Region, User
from labor_market import occupation_import
from labor_market.models import LivingWage, PriorityOccupation
from portal.roles import compute_roles, ensure_grantee_member, ensure_program_admin
from portal.services import ServiceError

MIN_RATIONALE = 10


def _clean_rationale(rationale: str) -> str:
    rationale = rationale.strip()
    if len(rationale) < MIN_RATIONALE:
        raise ServiceError(
            "Say in a sentence why this occupation is a priority (demand, wages, partners, "
            "how reachable it is for English learners).",
            field="rationale",
        )
    return rationale


@transaction.atomic
def priority_add(
    *, actor: User, grantee: Grantee, occupation: Occupation, rationale: str
) -> PriorityOccupation:
    """Make an occupation one of the grantee's priorities; each occupation once."""
    ensure_grantee_member(actor, grantee)
    rationale = _clean_rationale(rationale)
    # Lock the grantee's row so two members adding at once get distinct positions.
    Grantee.objects.select_for_update().filter(pk=grantee.pk).first()
    priorities = PriorityOccupation.objects.filter(grantee=grantee)
    if priorities.filter(occupation=occupation).exists():
        raise ServiceError(f"{occupation.title} is already a priority.", field="occupation")
    last = priorities.aggregate(last=Max("position"))["last"]
    return PriorityOccupation.objects.create(
        grantee=grantee,
        occupation=occupation,
        rationale=rationale,
        position=0 if last is None else last + 1,
        created_by=actor,
    )


@transaction.atomic
def priority_update(
    *, actor: User, priority: PriorityOccupation, rationale: str
) -> PriorityOccupation:
    ensure_grantee_member(actor, priority.grantee)
    rationale = _clean_rationale(rationale)
    current = PriorityOccupation.objects.select_for_update().filter(pk=priority.pk).first()
    if current is None:
        raise ServiceError("This priority was removed by someone else.", field="rationale")
    current.rationale = rationale
    current.save(update_fields=["rationale", "updated_at"])
    return current


@transaction.atomic
def priority_remove(*, actor: User, priority: PriorityOccupation) -> None:
    ensure_grantee_member(actor, priority.grantee)
    priority.delete()


@transaction.atomic
def priority_move(*, actor: User, priority: PriorityOccupation, up: bool) -> None:
    """Swap a priority with its neighbour: the order is the grantee's ranking."""
    ensure_grantee_member(actor, priority.grantee)
    ranked = list(
        PriorityOccupation.objects.select_for_update()
        .filter(grantee_id=priority.grantee_id)
        .order_by("position", "id")
    )
    index = next((i for i, p in enumerate(ranked) if p.pk == priority.pk), None)
    if index is None:
        raise ServiceError("This priority was removed by someone else.")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ranked):
        return
    ranked[index], ranked[other] = ranked[other], ranked[index]
    for position, row in enumerate(ranked):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def living_wages_save(*, actor: User, program: Program, rows: list[dict]) -> int:
    """Set each region's living wage for the program; a row without a wage clears it.
    Each row: region, hourly_cents (or None), year, source. Returns how many are set."""
    ensure_program_admin(actor, program.pk)
    regions = {region.pk: region for region in Region.objects.all()}
    set_count = 0
    for row in rows:
        region = regions.get(getattr(row["region"], "pk", row["region"]))
        if region is None:
            raise ServiceError("Choose a region from the list.")
        if row.get("hourly_cents") is None:
            LivingWage.objects.filter(program=program, region=region).delete()
            continue
        LivingWage.objects.update_or_create(
            program=program,
            region=region,
            defaults={
                "hourly_cents": row["hourly_cents"],
                "year": row["year"],
                "source": row.get("source", ""),
                "updated_by": actor,
            },
        )
        set_count += 1
    return set_count


@transaction.atomic
def occupations_import(*, actor: User, content: bytes, expected_fingerprint: str) -> dict:
    """Apply an occupations CSV the TA admin previewed: all rows or none. Refused if the file
    has errors or the occupations changed since the preview (preview again)."""
    if not compute_roles(actor).is_ta_admin:
        raise PermissionDenied
    # One import at a time: lock every occupation row before comparing.
    list(Occupation.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    if occupation_import.fingerprint() != expected_fingerprint:
        raise ServiceError(
            "The occupations changed since your preview. Upload the file again to see what "
            "it would change now."
        )
    preview = occupation_import.read(content)
    if not preview.ok:
        raise ServiceError("The file has errors; fix them and upload it again.", field="file")
    created = updated = 0
    for row in preview.rows:
        if row.action == "new":
            values = {k: v for k, v in row.values.items() if k != "soc_code"}
            Occupation.objects.create(soc_code=row.soc_code, **values)
            created += 1
        elif row.action == "changed":
            occupation = Occupation.objects.get(soc_code=row.soc_code)
            for name, _label, _old, new in row.changes:
                setattr(occupation, name, new)
            occupation.save(update_fields=[name for name, *_ in row.changes])
            updated += 1
    return {"created": created, "updated": updated, "unchanged": preview.count("unchanged")}

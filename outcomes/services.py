"""Writes of learner outcomes: a member saves one quarter, or applies a checked CSV file of
quarters. Each is one transaction: everything is saved, or nothing."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from grantees.models import Grantee, User
from outcomes import quarters, rules
from outcomes.models import COUNT_FIELDS, QuarterlyOutcome
from portal.roles import ensure_grantee_member
from portal.services import ServiceError

VALUE_FIELDS = (*COUNT_FIELDS, "median_wage_cents")


class OutcomeErrors(ServiceError):
    """Every number that does not fit, each with the field it belongs to; the first one is the
    ServiceError's own message and field."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors[0][1], field=errors[0][0])
        self.errors = errors


def ensure_quarter_allowed(grantee: Grantee, quarter: datetime.date, today: datetime.date) -> None:
    first, last = quarters.allowed_range(grantee.program, today)
    if quarter != quarters.start_of(quarter) or not first <= quarter <= last:
        raise ServiceError(
            f"{quarters.label(quarters.start_of(quarter))} can't be reported. "
            f"{quarters.range_message(grantee.program, today)}",
            field="quarter",
        )


def _lock(grantee: Grantee) -> None:
    # Writers of one grantee's outcomes take turns: a quarter two people save at once is
    # written twice in order, never refused by the once-per-quarter constraint.
    Grantee.objects.select_for_update().filter(pk=grantee.pk).values_list("pk").first()


def _write(
    *,
    actor: User,
    grantee: Grantee,
    quarter: datetime.date,
    values: dict,
    notes: str,
    existing: QuarterlyOutcome | None,
) -> QuarterlyOutcome:
    outcome = existing or QuarterlyOutcome(grantee=grantee, quarter_start=quarter)
    for name in VALUE_FIELDS:
        setattr(outcome, name, values[name])
    outcome.notes = notes
    outcome.submitted_by = actor
    try:
        # A savepoint, so that a refusal by the database checks (which back up rules.check)
        # leaves the transaction usable for the message.
        with transaction.atomic():
            outcome.save()
    except IntegrityError:
        raise ServiceError(
            "These numbers do not fit together; check them and save again.", field=None
        ) from None
    return outcome


def _clean(values: dict, notes: str) -> tuple[dict, str]:
    missing = [name for name in VALUE_FIELDS if name not in values]
    if missing:
        raise ValueError(f"values lack {missing}")
    notes = (notes or "").strip()
    errors = rules.check(values)
    if len(notes) > rules.NOTES_MAX:
        errors.append(("notes", f"Keep the notes under {rules.NOTES_MAX:,} characters."))
    if errors:
        raise OutcomeErrors(errors)
    return {name: values[name] for name in VALUE_FIELDS}, notes


@transaction.atomic
def outcome_save(
    *,
    actor: User,
    grantee: Grantee,
    quarter: datetime.date,
    values: dict,
    notes: str = "",
    today: datetime.date | None = None,
) -> QuarterlyOutcome:
    """Report (or correct) one quarter's counts for the grantee. Only its members report; the
    quarter must be one that may be reported; the numbers must fit together (rules.check)."""
    ensure_grantee_member(actor, grantee)
    ensure_quarter_allowed(grantee, quarter, today or timezone.localdate())
    values, notes = _clean(values, notes)
    _lock(grantee)
    existing = QuarterlyOutcome.objects.filter(grantee=grantee, quarter_start=quarter).first()
    return _write(
        actor=actor,
        grantee=grantee,
        quarter=quarter,
        values=values,
        notes=notes,
        existing=existing,
    )


@transaction.atomic
def outcomes_import(
    *,
    actor: User,
    grantee: Grantee,
    text: str,
    seen: str | None = None,
    today: datetime.date | None = None,
):
    """Apply a CSV file of quarters, all rows or none. The file is checked again here, whatever
    was previewed; `seen` is the preview's fingerprint of the quarters as they were, and when
    they have changed since, nothing is written and the fresh preview is returned to be
    confirmed again. Returns (preview, applied)."""
    from outcomes import csv_import

    ensure_grantee_member(actor, grantee)
    _lock(grantee)
    preview = csv_import.preview(grantee=grantee, text=text, today=today or timezone.localdate())
    if not preview.ok:
        return preview, False
    if seen is not None and seen != preview.fingerprint:
        return preview, False
    for row in preview.rows:
        if row.status == row.UNCHANGED:
            continue
        _write(
            actor=actor,
            grantee=grantee,
            quarter=row.quarter,
            values=row.values,
            notes=row.notes,
            existing=row.existing,
        )
    return preview, True

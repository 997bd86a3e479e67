"""The posting API of the hour ledger: the only code that writes LedgerEntry rows.

Rules (DESIGN §4): entries are insert-only integer minutes; posting locks the grantee's account row
(SELECT … FOR UPDATE) for the whole transaction, so concurrent postings queue and each sees the
balance the previous one left; a posting that would take the available hours below zero is refused
unless it carries an override reason; every posting has a unique idempotency key: the same key with
the same content returns the first entry, the same key with other content is an error.

Booking (holds and releases) and session recording (debits) both post through here.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from portal.formatting import format_hours
from portal.services import ServiceError
from support_hours.models import CoachingSession, HourAccount, LedgerEntry

Kind = LedgerEntry.Kind
Bucket = LedgerEntry.Bucket

BUCKET_OF_KIND = {
    Kind.ALLOCATION: Bucket.ALLOCATED,
    Kind.ADJUSTMENT: Bucket.ALLOCATED,
    Kind.HOLD: Bucket.HELD,
    Kind.RELEASE: Bucket.HELD,
    Kind.DEBIT: Bucket.USED,
}


class InsufficientHours(ServiceError):
    """The posting would take the available hours below zero and nobody overrode the rule."""

    def __init__(self, *, needed: int, available: int, field: str | None = None):
        self.needed, self.available = needed, available
        super().__init__(
            f"This needs {format_hours(needed)} but only {format_hours(max(available, 0))} "
            "are available.",
            field=field,
            code="insufficient_hours",
        )


class IdempotencyConflict(ServiceError):
    """The key was used before for a different posting."""


def _content(entry_or_kwargs) -> tuple:
    get = (
        entry_or_kwargs.get
        if isinstance(entry_or_kwargs, dict)
        else lambda name: getattr(entry_or_kwargs, name)
    )
    return (
        get("account_id"),
        str(get("kind")),
        get("minutes"),
        get("session_id"),
        get("corrects_id"),
    )


def _same_or_conflict(existing: LedgerEntry, wanted: dict) -> LedgerEntry:
    if _content(existing) != _content(wanted):
        raise IdempotencyConflict(
            f"The posting key {existing.idempotency_key!r} was already used for a different "
            "posting.",
            code="idempotency_conflict",
        )
    return existing


@transaction.atomic
def ledger_post(
    *,
    account: HourAccount,
    kind: str,
    minutes: int,
    key: str,
    actor=None,
    reason: str = "",
    override_reason: str = "",
    session: CoachingSession | None = None,
    corrects: LedgerEntry | None = None,
    effective_on: date | None = None,
) -> LedgerEntry:
    """Post one entry and move the account's balances with it, or return the entry already posted
    under `key`. Raises InsufficientHours, IdempotencyConflict or ServiceError (bad shape)."""
    kind = Kind(kind)
    if not key:
        raise ServiceError("A posting needs an idempotency key.")
    if minutes == 0:
        raise ServiceError("A posting must move at least one minute.", field="minutes")
    if kind in (Kind.ADJUSTMENT, Kind.REVERSAL) and not reason.strip():
        raise ServiceError("Give a reason for this correction.", field="reason")
    if kind == Kind.REVERSAL:
        if corrects is None:
            raise ServiceError("A reversal must name the entry it reverses.")
        bucket = Bucket(corrects.bucket)
    else:
        bucket = BUCKET_OF_KIND[kind]
    wanted = {
        "account_id": account.pk,
        "kind": kind,
        "minutes": minutes,
        "session_id": session.pk if session else None,
        "corrects_id": corrects.pk if corrects else None,
    }
    with scopes_disabled():  # the caller resolved the account through its own scope
        locked = HourAccount.objects.select_for_update().get(pk=account.pk)
        existing = LedgerEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _same_or_conflict(existing, wanted)
        if effective_on is None and kind == Kind.ALLOCATION:
            # An allocation is for the whole period: it counts from the period's first day.
            effective_on = locked.period_starts_on
        available_after = locked.available_minutes + minutes
        if minutes < 0 and available_after < 0 and not override_reason.strip():
            raise InsufficientHours(needed=-minutes, available=locked.available_minutes)
        entry = LedgerEntry(
            account=locked,
            kind=kind,
            bucket=bucket,
            minutes=minutes,
            available_after_minutes=available_after,
            effective_on=effective_on or timezone.localdate(),
            idempotency_key=key,
            reason=reason.strip(),
            override_reason=override_reason.strip() if available_after < 0 else "",
            session=session,
            corrects=corrects,
            actor=actor,
        )
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as error:
            # Another transaction took this key (possibly on another account) or already
            # corrected `corrects`: answer as if we had seen it before inserting.
            existing = LedgerEntry.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return _same_or_conflict(existing, wanted)
            if corrects is not None:
                raise ServiceError("That entry has already been corrected.") from error
            raise
        if bucket == Bucket.ALLOCATED:
            locked.allocated_minutes += minutes
        elif bucket == Bucket.HELD:
            locked.held_minutes -= minutes
        else:
            locked.used_minutes -= minutes
        locked.save(update_fields=["allocated_minutes", "held_minutes", "used_minutes"])
    # Keep the caller's object in step with what was written.
    account.allocated_minutes = locked.allocated_minutes
    account.held_minutes = locked.held_minutes
    account.used_minutes = locked.used_minutes
    return entry


def ledger_reverse(
    *, entry: LedgerEntry, key: str, actor, reason: str, override_reason: str = ""
) -> LedgerEntry:
    """Undo an entry with an equal and opposite one that points back to it (once per entry)."""
    if entry.kind == Kind.REVERSAL:
        raise ServiceError("A reversal cannot itself be reversed; post an adjustment instead.")
    return ledger_post(
        account=entry.account,
        kind=Kind.REVERSAL,
        minutes=-entry.minutes,
        key=key,
        actor=actor,
        reason=reason,
        override_reason=override_reason,
        session=entry.session,
        corrects=entry,
        effective_on=entry.effective_on,
    )


def hold_place(
    *,
    account: HourAccount,
    minutes: int,
    key: str,
    actor,
    effective_on: date,
    reason: str = "",
) -> LedgerEntry:
    """Set aside hours for a booked session (the booking issue calls this)."""
    if minutes <= 0:
        raise ServiceError("A hold must be for a positive number of minutes.", field="minutes")
    return ledger_post(
        account=account,
        kind=Kind.HOLD,
        minutes=-minutes,
        key=key,
        actor=actor,
        reason=reason,
        effective_on=effective_on,
    )


def hold_release(*, hold: LedgerEntry, key: str, actor, reason: str = "") -> LedgerEntry:
    """Give a hold's hours back (cancelled booking, or the session was recorded as a debit)."""
    if hold.kind != Kind.HOLD:
        raise ServiceError("Only a hold can be released.")
    return ledger_post(
        account=hold.account,
        kind=Kind.RELEASE,
        minutes=-hold.minutes,
        key=key,
        actor=actor,
        reason=reason,
        corrects=hold,
        effective_on=hold.effective_on,
    )

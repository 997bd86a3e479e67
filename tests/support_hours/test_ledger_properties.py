"""Property tests: whatever sequence of postings happens, the ledger's invariants hold."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.services import ServiceError
from support_hours.ledger import (
    IdempotencyConflict,
    InsufficientHours,
    hold_place,
    hold_release,
    ledger_post,
    ledger_reverse,
)
from support_hours.models import HourAccount, LedgerEntry
from tests.factories import GranteeFactory

Kind = LedgerEntry.Kind
pytestmark = pytest.mark.django_db

quarter_hours = st.integers(min_value=1, max_value=40).map(lambda n: n * 15)
operation = st.one_of(
    st.tuples(st.just("allocate"), quarter_hours),
    st.tuples(st.just("adjust"), st.integers(min_value=-20, max_value=20).map(lambda n: n * 15)),
    st.tuples(st.just("override_adjust"), quarter_hours),
    st.tuples(st.just("hold"), quarter_hours),
    st.tuples(st.just("release"), st.integers(min_value=0, max_value=50)),
    st.tuples(st.just("debit"), quarter_hours),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
    st.tuples(st.just("repeat_same"), st.integers(min_value=0, max_value=50)),
    st.tuples(st.just("repeat_other"), st.integers(min_value=0, max_value=50)),
)


def sums(account: HourAccount) -> dict[str, int]:
    totals = LedgerEntry.objects.filter(account=account).aggregate(
        available=Sum("minutes", default=0),
        allocated=Sum("minutes", filter=Q(bucket="allocated"), default=0),
        held=Sum("minutes", filter=Q(bucket="held"), default=0),
        used=Sum("minutes", filter=Q(bucket="used"), default=0),
    )
    return {
        "available": totals["available"],
        "allocated": totals["allocated"],
        "held": -totals["held"],
        "used": -totals["used"],
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, max_size=30))
def test_balances_always_equal_the_sum_of_entries(operations):
    grantee = GranteeFactory()
    account = HourAccount.objects.create(
        grantee=grantee,
        period_starts_on=grantee.program.starts_on,
        period_ends_on=grantee.program.ends_on,
    )
    posted: list[LedgerEntry] = []
    overridden = False
    for step, (name, value) in enumerate(operations):
        key = f"{account.pk}-{step}"
        before = sums(account)
        entries_before = LedgerEntry.objects.filter(account=account).count()
        try:
            with transaction.atomic():
                if name == "allocate":
                    entry = ledger_post(
                        account=account, kind=Kind.ALLOCATION, minutes=value, key=key
                    )
                elif name == "adjust":
                    entry = ledger_post(
                        account=account, kind=Kind.ADJUSTMENT, minutes=value, key=key, reason="r"
                    )
                elif name == "override_adjust":
                    entry = ledger_post(
                        account=account,
                        kind=Kind.ADJUSTMENT,
                        minutes=-value,
                        key=key,
                        reason="r",
                        override_reason="approved",
                    )
                elif name == "hold":
                    entry = hold_place(
                        account=account, minutes=value, key=key, actor=None, effective_on=None
                    )
                elif name == "debit":
                    entry = ledger_post(account=account, kind=Kind.DEBIT, minutes=-value, key=key)
                elif name == "release":
                    holds = [e for e in posted if e.kind == Kind.HOLD]
                    if not holds:
                        continue
                    entry = hold_release(hold=holds[value % len(holds)], key=key, actor=None)
                elif name == "reverse":
                    if not posted:
                        continue
                    entry = ledger_reverse(
                        entry=posted[value % len(posted)], key=key, actor=None, reason="oops"
                    )
                elif name == "repeat_same":
                    if not posted:
                        continue
                    first = posted[value % len(posted)]
                    again = ledger_post(
                        account=account,
                        kind=first.kind,
                        minutes=first.minutes,
                        key=first.idempotency_key,
                        reason=first.reason or "r",
                        corrects=first.corrects,
                    )
                    assert again.pk == first.pk
                    continue
                else:  # repeat_other: same key, different amount
                    if not posted:
                        continue
                    first = posted[value % len(posted)]
                    with pytest.raises(IdempotencyConflict):
                        ledger_post(
                            account=account,
                            kind=Kind.ADJUSTMENT,
                            minutes=first.minutes + 15,
                            key=first.idempotency_key,
                            reason="r",
                        )
                    continue
        except (InsufficientHours, ServiceError) as refused:
            # A refused posting changes nothing, and is refused only for a reason we know.
            assert sums(account) == before
            assert LedgerEntry.objects.filter(account=account).count() == entries_before
            if isinstance(refused, InsufficientHours):
                assert before["available"] - refused.needed < 0
            continue
        posted.append(entry)
        overridden = overridden or bool(entry.override_reason)

        account.refresh_from_db()
        totals = sums(account)
        assert totals == {
            "available": account.available_minutes,
            "allocated": account.allocated_minutes,
            "held": account.held_minutes,
            "used": account.used_minutes,
        }
        assert entry.available_after_minutes == account.available_minutes
        assert totals["held"] >= 0
        if not overridden:
            assert account.available_minutes >= 0
        assert LedgerEntry.objects.filter(account=account).count() == len(posted)

"""The ledger under real concurrency: threads with their own PostgreSQL connections.

SQLite serialises every writer, so these prove nothing there; they run on PostgreSQL (CI).
"""

from __future__ import annotations

import pytest
from django.db.models import Min, Sum

from support_hours.ledger import InsufficientHours, ledger_post
from support_hours.models import HourAccount, LedgerEntry
from tests.concurrency import run_in_parallel
from tests.factories import GranteeFactory, make_hour_account

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_200_parallel_hour_debits_on_100_hours_accept_exactly_100():
    account = make_hour_account(GranteeFactory(), minutes=100 * 60)

    def one_debit(i):
        try:
            ledger_post(account=account, kind="debit", minutes=-60, key=f"race-{i}")
            return "accepted"
        except InsufficientHours:
            return "refused"

    outcomes = run_in_parallel(200, one_debit)

    assert outcomes.count("accepted") == 100
    assert outcomes.count("refused") == 100
    account = HourAccount.objects.get(pk=account.pk)
    entries = LedgerEntry.objects.filter(account=account)
    assert account.available_minutes == 0
    assert entries.aggregate(total=Sum("minutes"))["total"] == 0
    assert entries.aggregate(lowest=Min("available_after_minutes"))["lowest"] == 0
    assert entries.filter(kind="debit").count() == 100


def test_20_parallel_postings_with_one_key_make_one_entry():
    account = make_hour_account(GranteeFactory(), minutes=100 * 60)

    def same_posting(_i):
        return ledger_post(account=account, kind="debit", minutes=-60, key="double-click").pk

    entry_ids = run_in_parallel(20, same_posting)

    assert len(set(entry_ids)) == 1
    assert LedgerEntry.objects.filter(idempotency_key="double-click").count() == 1
    assert HourAccount.objects.get(pk=account.pk).used_minutes == 60


def test_one_key_raced_across_two_accounts_posts_once():
    """The row lock serialises one account; the unique key still guards across accounts."""
    program_grantee = GranteeFactory()
    first = make_hour_account(program_grantee, minutes=600)
    second = make_hour_account(GranteeFactory(program=program_grantee.program), minutes=600)

    def post(i):
        account = first if i % 2 else second
        try:
            ledger_post(account=account, kind="debit", minutes=-60, key="shared")
            return "posted-or-same"
        except Exception as error:  # noqa: BLE001 - the conflict is the expected answer
            return type(error).__name__

    outcomes = run_in_parallel(20, post)

    assert LedgerEntry.objects.filter(idempotency_key="shared").count() == 1
    assert set(outcomes) <= {"posted-or-same", "IdempotencyConflict"}
    assert "IdempotencyConflict" in outcomes

"""The ledger's rules, one at a time (DESIGN §4)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from portal.formatting import format_hours
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
from tests.factories import GranteeFactory, make_hour_account

Kind = LedgerEntry.Kind
pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return make_hour_account(GranteeFactory(), minutes=100 * 60)


def debit(account, minutes, key, **kwargs):
    return ledger_post(account=account, kind=Kind.DEBIT, minutes=-minutes, key=key, **kwargs)


def test_balances_follow_each_kind_of_entry(account):
    hold = hold_place(account=account, minutes=90, key="h1", actor=None, effective_on=None)
    account.refresh_from_db()
    assert (account.allocated_minutes, account.held_minutes, account.used_minutes) == (6000, 90, 0)
    hold_release(hold=hold, key="r1", actor=None)
    entry = debit(account, 60, "d1")
    ledger_post(account=account, kind=Kind.ADJUSTMENT, minutes=120, key="a1", reason="Extra help")
    account.refresh_from_db()
    assert (account.allocated_minutes, account.held_minutes, account.used_minutes) == (6120, 0, 60)
    assert account.available_minutes == 6060
    assert entry.available_after_minutes == 6000 - 60
    ledger_reverse(entry=entry, key="x1", actor=None, reason="Recorded twice")
    account.refresh_from_db()
    assert account.used_minutes == 0 and account.available_minutes == 6120


def test_refuses_to_go_below_zero_without_an_override(account):
    debit(account, 6000 - 30, "d1")
    with pytest.raises(InsufficientHours) as refused:
        debit(account, 60, "d2")
    assert "only 0.5 hours are available" in refused.value.messages[0]
    assert not LedgerEntry.objects.filter(idempotency_key="d2").exists()
    entry = debit(account, 60, "d3", override_reason="Board-approved extra session")
    account.refresh_from_db()
    assert account.available_minutes == -30
    assert entry.override_reason == "Board-approved extra session"


def test_same_key_same_content_returns_the_first_entry(account):
    first = debit(account, 60, "same")
    again = debit(account, 60, "same")
    assert again.pk == first.pk
    assert LedgerEntry.objects.filter(account=account, kind=Kind.DEBIT).count() == 1
    account.refresh_from_db()
    assert account.used_minutes == 60


def test_same_key_other_content_is_an_error(account):
    debit(account, 60, "same")
    with pytest.raises(IdempotencyConflict):
        debit(account, 90, "same")
    other = make_hour_account(GranteeFactory(program=account.grantee.program), minutes=600)
    with pytest.raises(IdempotencyConflict):
        debit(other, 60, "same")


def test_corrections_need_a_reason_and_happen_once(account):
    entry = debit(account, 60, "d1")
    with pytest.raises(ServiceError):
        ledger_reverse(entry=entry, key="x1", actor=None, reason=" ")
    ledger_reverse(entry=entry, key="x1", actor=None, reason="Wrong grantee")
    with pytest.raises(ServiceError, match="already been corrected"):
        ledger_reverse(entry=entry, key="x2", actor=None, reason="Again")
    with pytest.raises(ServiceError):
        ledger_post(account=account, kind=Kind.ADJUSTMENT, minutes=30, key="a1", reason="")


def test_a_release_frees_exactly_its_hold(account):
    hold = hold_place(account=account, minutes=60, key="h1", actor=None, effective_on=None)
    release = hold_release(hold=hold, key="r1", actor=None)
    assert release.minutes == 60 and release.corrects_id == hold.pk
    with pytest.raises(ServiceError):
        hold_release(hold=release, key="r2", actor=None)


def test_entries_cannot_be_changed_through_the_orm(account):
    entry = LedgerEntry.objects.filter(account=account).first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE support_hours_ledgerentry SET minutes = 1 WHERE id = %s",
        "DELETE FROM support_hours_ledgerentry WHERE id = %s",
    ],
)
def test_update_and_delete_fail_at_the_database(account, statement):
    entry = LedgerEntry.objects.filter(account=account).first()
    with (
        pytest.raises(DatabaseError, match="insert-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).minutes == entry.minutes


@pytest.mark.postgres
def test_bulk_queryset_delete_fails_at_the_database(account):
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(account=account)._raw_delete(connection.alias)
    assert HourAccount.objects.get(pk=account.pk).entries.count() == 1


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(60, "1 hour"), (90, "1.5 hours"), (15, "0.25 hours"), (6000, "100 hours"), (0, "0 hours")],
)
def test_hours_are_shown_in_quarter_hours(minutes, text):
    assert format_hours(minutes) == text

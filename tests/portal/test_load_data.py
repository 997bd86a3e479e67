"""generate_load_data: the promised volumes, a ledger that adds up, and the same data per seed."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings

from portal import load_data

SCALE = 0.01


def fingerprint(slug: str) -> list:
    """A grantee's own rows, independent of primary keys."""
    from booking.models import Booking
    from support_hours.models import CoachingSession, LedgerEntry

    return [
        list(
            LedgerEntry.objects.filter(account__grantee__slug=slug)
            .order_by("idempotency_key")
            .values_list("idempotency_key", "kind", "minutes", "available_after_minutes")
        ),
        list(
            CoachingSession.objects.filter(grantee__slug=slug)
            .order_by("idempotency_key")
            .values_list("idempotency_key", "started_at", "minutes", "status")
        ),
        list(
            Booking.objects.filter(grantee__slug=slug)
            .order_by("uid")
            .values_list("uid", "starts_at", "status")
        ),
    ]


def generate_and_read(scale: float, seed: int = 2026) -> list:
    with transaction.atomic():
        load_data.generate(scale=scale, seed=seed)
        found = fingerprint(load_data.grantee_slug(1))
        transaction.set_rollback(True)
    return found


@pytest.mark.django_db
def test_volumes_follow_the_scale():
    from events.models import Event, Registration
    from grantees.models import Grantee, Program, User
    from library.models import Resource
    from support_hours.models import CoachingSession, LedgerEntry

    load_data.generate(scale=SCALE, seed=1)
    grantees = Grantee.objects.count()
    assert Program.objects.filter(slug__in=load_data.PROGRAM_SLUGS).count() == 2
    assert grantees == 3
    people = grantees * load_data.MEMBERS_PER_GRANTEE + 2 + 2 + 2  # + coaches, TA, state
    assert User.objects.count() == people
    assert CoachingSession.objects.count() == grantees * load_data.SESSIONS_PER_GRANTEE
    per_grantee = (
        1  # allocation
        + 3 * load_data.SESSIONS_PER_GRANTEE  # hold, release, debit
        + 2 * load_data.CANCELLED_BOOKINGS_PER_GRANTEE
        + load_data.UPCOMING_BOOKINGS_PER_GRANTEE
    )
    adjustments = len(range(0, grantees, 3))
    assert LedgerEntry.objects.count() == grantees * per_grantee + adjustments
    assert Event.objects.count() == 50
    # 1,000 at 0.01, fewer where a program has fewer than 20 people (program B: one grantee).
    assert 700 <= Registration.objects.count() <= 1000
    assert Resource.objects.count() == 200


@pytest.mark.django_db
def test_every_balance_is_the_sum_of_its_ledger():
    from support_hours.models import HourAccount, LedgerEntry

    load_data.generate(scale=SCALE, seed=3)
    for account in HourAccount.objects.all():
        entries = list(account.entries.order_by("pk"))  # posting order
        by_bucket = {
            row["bucket"]: row["total"]
            for row in LedgerEntry.objects.filter(account=account)
            .values("bucket")
            .annotate(total=Sum("minutes"))
        }
        assert account.allocated_minutes == by_bucket["allocated"]
        assert account.held_minutes == -by_bucket["held"]
        assert account.used_minutes == -by_bucket["used"]
        running = 0
        for entry in entries:
            running += entry.minutes
            assert entry.available_after_minutes == running, entry.idempotency_key
        assert running == account.available_minutes >= 0
        # Every hold but the upcoming bookings' has been released, exactly once.
        open_holds = account.entries.filter(kind="hold", corrected_by__isnull=True).count()
        assert open_holds == load_data.UPCOMING_BOOKINGS_PER_GRANTEE


@pytest.mark.django_db
def test_same_seed_same_data_and_a_grantees_rows_do_not_depend_on_the_scale():
    first = generate_and_read(SCALE)
    assert first[0] and first[1] and first[2]
    assert generate_and_read(SCALE) == first
    assert generate_and_read(SCALE * 2) == first
    assert generate_and_read(SCALE, seed=7) != first


@pytest.mark.django_db
def test_command_refuses_a_second_load_and_known_passwords_without_debug(capsys):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate_load_data", scale=SCALE)
    with override_settings(DEBUG=True):
        call_command("generate_load_data", scale=SCALE)
        assert "Load data at scale 0.01" in capsys.readouterr().out
        with pytest.raises(CommandError, match="already has load data"):
            call_command("generate_load_data", scale=SCALE)
    with pytest.raises(CommandError, match="--scale"):
        call_command("generate_load_data", scale=0, force=True)


@pytest.mark.django_db
def test_mfa_accounts_accept_a_code_from_the_shared_secret():
    """A load generator signs staff in with codes from LOAD_TOTP_SECRET (it must be base32)."""
    from allauth.mfa.totp.internal.auth import validate_totp_code

    from grantees.models import User
    from tests.e2e.conftest import totp_code

    load_data.generate(scale=SCALE, seed=5)
    coach = User.objects.get(email=load_data.coach_email(1))
    assert validate_totp_code(load_data.LOAD_TOTP_SECRET, totp_code(load_data.LOAD_TOTP_SECRET))
    assert coach.authenticator_set.filter(type="totp").exists()

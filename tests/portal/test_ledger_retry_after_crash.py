"""A process killed right after committing a ledger posting, and the action retried (a re-sent
form, a redelivered job): no second ledger entry and no second e-mail.

The action runs in a process of its own that SIGKILLs itself as the first thing after COMMIT:
before the e-mail jobs are queued and before any answer leaves it, so whoever asked must retry.
The retry carries the same idempotency key, as a re-sent form or a redelivered task does."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db.models import Sum
from django.utils import timezone

from portal.models import Notification
from portal.tasks import notification_message_id, send_pending_notifications
from support_hours.models import HourAccount
from tests.processes import portal_env

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CRASH = r"""
import json, os, signal, sys
import django
django.setup()
from django.db import transaction
from tests.portal.test_ledger_retry_after_crash import perform

with transaction.atomic():
    # First in line once COMMIT has returned: the process dies before anything else happens.
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    perform(json.loads(sys.argv[1]))
print("still alive")
"""


def _session_data(started_at: datetime, attendee) -> dict:
    from grantees.models import Topic

    return {
        "started_at": started_at,
        "minutes": 45,
        "mode": "virtual",
        "attendees": [attendee],
        "topics": [Topic.objects.order_by("name").first()],
        "summary": "Worked through the clinical placement MOU.",
    }


def perform(step: dict):
    """The ledger-posting action, called as the view or task calls it."""
    from django_scopes import scopes_disabled

    from booking import services as booking_services
    from booking.models import Booking
    from grantees.models import Grantee, User
    from support_hours import services as hours_services

    with scopes_disabled():
        staff = User.objects.get(email="staff@example.org")
        coach = User.objects.get(email="coach@example.org")
        grantee = Grantee.objects.get(slug="alpha")
        if step["action"] == "book a 1:1 (hold)":
            return booking_services.book_one_on_one(
                actor=staff,
                grantee=grantee,
                coach=coach,
                starts_at=datetime.fromisoformat(step["starts_at"]),
                note="Our clinical MOU",
                key=step["key"],
            )
        if step["action"] == "record the booked session (release and debit)":
            booking = Booking.objects.get(pk=step["booking"])
            return booking_services.booking_record_session(
                actor=coach,
                booking=booking,
                key=step["key"],
                data=_session_data(booking.starts_at, staff),
            )
        return hours_services.session_record(  # record a session (debit)
            actor=coach,
            grantee=grantee,
            key=step["key"],
            data=_session_data(datetime.fromisoformat(step["started_at"]), staff),
        )


def _past_booking(world):
    """A 1:1 booked ten days ago for a time that has passed since."""
    from tests.booking.helpers import book, free_slot

    then = timezone.now() - timedelta(days=10)
    slot = free_slot(world, now=then, after=(then + timedelta(days=3)).date())
    return book(world, key="past-1on1", starts_at=slot.starts_at, now=then)


def _step(action: str, world) -> tuple[dict, int]:
    """The action's arguments and how many ledger entries it posts."""
    from tests.booking.helpers import free_slot

    if action == "book a 1:1 (hold)":
        return {"starts_at": free_slot(world).starts_at.isoformat()}, 1
    if action == "record the booked session (release and debit)":
        return {"booking": _past_booking(world).pk}, 2
    return {"started_at": (timezone.now() - timedelta(days=1)).isoformat()}, 1


def balances_match_entries(account: HourAccount) -> bool:
    def total(bucket: str) -> int:
        return account.entries.filter(bucket=bucket).aggregate(t=Sum("minutes"))["t"] or 0

    return (account.allocated_minutes, account.held_minutes, account.used_minutes) == (
        total("allocated"),
        -total("held"),
        -total("used"),
    )


@pytest.mark.parametrize(
    "action",
    [
        pytest.param("book a 1:1 (hold)", id="booking-hold"),
        pytest.param("record the booked session (release and debit)", id="booked-session"),
        pytest.param("record a session (debit)", id="session-debit"),
    ],
)
def test_a_retry_after_a_crash_posts_nothing_twice_and_mails_once(action, tmp_path, mailoutbox):
    from tests.world import build_world

    world = build_world()
    step, posts = _step(action, world)
    step |= {"action": action, "key": f"crash-retry-{world.grantee.pk}"}
    account = HourAccount.objects.get(grantee=world.grantee)
    entries_before = set(account.entries.values_list("pk", flat=True))
    notifications_before = set(Notification.objects.values_list("pk", flat=True))

    crashed = subprocess.run(
        [sys.executable, "-c", CRASH, json.dumps(step)],
        env=portal_env(REDIS_URL="", PORTAL_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stdout + crashed.stderr[-3000:]
    posted = set(account.entries.exclude(pk__in=entries_before).values_list("pk", flat=True))
    assert len(posted) == posts, "the work was committed before the crash"
    waiting = list(
        Notification.objects.exclude(pk__in=notifications_before).values_list("pk", "sent_at")
    )
    assert waiting and all(sent_at is None for _, sent_at in waiting)

    again = perform(step)  # the retry, with the same key

    assert type(again).objects.filter(idempotency_key=step["key"]).count() == 1
    assert set(account.entries.exclude(pk__in=entries_before).values_list("pk", flat=True)) == (
        posted
    )
    account.refresh_from_db()
    assert balances_match_entries(account)
    waiting_ids = [pk for pk, _ in waiting]
    assert set(
        Notification.objects.exclude(pk__in=notifications_before).values_list("pk", flat=True)
    ) == set(waiting_ids)

    # The e-mails the crash kept from being queued go out with beat's sweep, once each.
    Notification.objects.filter(pk__in=waiting_ids).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    mail.outbox.clear()
    send_pending_notifications()
    send_pending_notifications()
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        notification_message_id(pk) for pk in waiting_ids
    )

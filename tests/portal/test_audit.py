"""The audit log: sign-ins (and failures), refused access, role changes, ledger postings and
exports are recorded with who and from where; rows cannot be changed or deleted."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from grantees.models import Membership
from support_hours.ledger import ledger_post
from support_hours.models import HourAccount
from tests.factories import PASSWORD


def kinds() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))


def test_sign_in_and_failed_sign_in(world, client):
    before = AuditEvent.objects.count()
    client.post("/accounts/login/", {"login": "staff@example.org", "password": "wrong-password"})
    client.post("/accounts/login/", {"login": "staff@example.org", "password": PASSWORD})
    failed, signed_in = AuditEvent.objects.order_by("id")[before:]
    assert (failed.kind, failed.target, failed.actor_id) == (
        "sign_in_failed",
        "staff@example.org",
        None,
    )
    assert (signed_in.kind, signed_in.actor_id) == ("sign_in", world.users["staff"].pk)
    assert signed_in.ip == "127.0.0.1"


def test_refused_access_is_recorded(world, client_for):
    client = client_for("state")
    assert client.post(f"/g/alpha/priorities/{world.priority.pk}/remove/").status_code == 403
    event = AuditEvent.objects.filter(kind="access_denied").latest("id")
    assert event.actor_id == world.users["state"].pk and event.target.endswith("/remove/")


def test_role_changes_are_recorded_with_the_actor(world, client_for):
    membership = Membership.objects.get(user=world.users["staff"])
    client = client_for("lead")
    before = AuditEvent.objects.count()
    membership.role = "lead"
    membership.save()
    membership.delete()
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.kind for e in events] == ["role_changed", "role_revoked"]
    assert events[0].detail == {"role": "lead", "grantee_id": world.grantee.pk, "was": "staff"}
    assert client  # the lead's client exists; model changes outside a request have no actor
    assert events[0].actor_id is None


def test_ledger_postings_are_recorded(world):
    account = HourAccount.objects.get(grantee=world.grantee)
    entry = ledger_post(
        account=account, kind="adjustment", minutes=60, key="audit-test", reason="Audit test"
    )
    event = AuditEvent.objects.filter(kind="ledger_posted").latest("id")
    assert event.detail["entry_id"] == entry.pk and event.detail["minutes"] == 60


def test_downloads_are_recorded(world, client_for):
    client = client_for("lead")
    response = client.get("/g/alpha/hours/entries.csv")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(kind="export").latest("id")
    assert event.actor_id == world.users["lead"].pk and event.target.endswith(".csv")


def test_rows_cannot_be_changed_or_deleted(world):
    event = AuditEvent.objects.create(kind="sign_in", actor_email="x@example.org")
    event.target = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.postgres
def test_the_database_refuses_updates_and_deletes(world):
    from django.db.utils import DatabaseError

    event = AuditEvent.objects.create(kind="sign_in", actor_email="x@example.org")
    for sql in (
        "UPDATE audit_auditevent SET target = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])

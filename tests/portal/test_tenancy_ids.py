"""The tenant scope's grantee ids travel as one array parameter (portal/tenancy.py), and admit
exactly the same rows as the plain list django-scopes would filter by."""

from __future__ import annotations

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled

from events.models import Registration
from grantees.models import Grantee
from portal.tenancy import GranteeIds
from support_hours.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_the_scope_admits_exactly_its_grantees_rows(world):
    with scopes_disabled():
        everyone = {r.pk: r.grantee_id for r in Registration.objects.all()}
        entries = dict(LedgerEntry.objects.values_list("pk", "account__grantee_id"))
    assert {world.grantee.pk, world.other_grantee.pk} <= set(everyone.values())
    for admitted in ([world.grantee.pk], [world.grantee.pk, world.other_grantee.pk], []):
        with scope(grantee=GranteeIds(admitted)):
            seen = set(Registration.objects.values_list("pk", flat=True))
            # A scope through a join (the ledger is scoped by account__grantee).
            seen_entries = set(LedgerEntry.objects.values_list("pk", flat=True))
        assert seen == {pk for pk, g in everyone.items() if g in admitted}
        assert seen_entries == {pk for pk, g in entries.items() if g in admitted}


def test_a_long_scope_is_one_query_parameter(world):
    many = GranteeIds([world.grantee.pk, *range(10_000, 10_300)])
    with scope(grantee=many):
        sql, params = Registration.objects.all().query.sql_with_params()
        assert [r.grantee_id for r in Registration.objects.all()] == [
            r.grantee_id for r in Registration.objects.all() if r.grantee_id == world.grantee.pk
        ]
    assert len(params) == 1, params
    assert ("unnest" if connection.vendor == "postgresql" else "json_each") in sql


def test_the_request_scope_is_grantee_ids(world, client_for):
    # The middleware opens the scope with GranteeIds: every scoped query of a page carries it,
    # and a TA admin still sees only the grantees of the program they run.
    marker = "unnest" if connection.vendor == "postgresql" else "json_each"
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        body = client_for("ta_admin").get("/ta/").content.decode()
    scoped = [sql for sql in statements if '"grantees_grantee"."id" IN' in sql]
    assert scoped and all(marker in sql for sql in scoped)
    with scopes_disabled():
        far = Grantee.objects.get(pk=world.far_grantee.pk)
    assert world.grantee.name in body and far.name not in body

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.factories import GranteeFactory, MembershipFactory, ProgramFactory, UserFactory
from tests.world import sign_in


@pytest.fixture
def solo(db):
    """One program, one grantee and its lead, signed in: for tests that need no other tenant
    (the world, with every role, is for permissions)."""
    program = ProgramFactory(name="Solo Program")
    grantee = GranteeFactory(program=program, name="Solo Consortium")
    lead = UserFactory()
    MembershipFactory(user=lead, grantee=grantee, role="lead")
    client = Client()
    sign_in(client, lead)
    return SimpleNamespace(program=program, grantee=grantee, lead=lead, client=client)

"""Invitations: who may invite, single use, expiry, the invited address only, e-mail by worker."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from grantees import services
from grantees.models import Invitation, Membership, User
from portal.services import ServiceError
from tests.factories import PASSWORD, UserFactory, make_invitation


def test_lead_invites_to_own_grantee_and_email_goes_out(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            invited_by=world.users["lead"],
            grantee=world.grantee,
            email="New@Example.org",
            full_name="New Person",
            role="staff",
        )
    assert invitation.email == "new@example.org"
    assert (
        invitation.token_hash == Invitation.hash_token(token) and token not in invitation.token_hash
    )
    assert len(mailoutbox) == 1 and f"/invitations/{token}/" in mailoutbox[0].body


@pytest.mark.parametrize("role", ["staff", "coach", "state", "other_staff"])
def test_only_leads_and_ta_admins_invite(world, role):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            invited_by=world.users[role],
            grantee=world.grantee,
            email="x@example.org",
            full_name="",
            role="staff",
        )


def test_ta_admin_cannot_invite_to_another_program(world):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            invited_by=world.users["ta_admin"],
            grantee=world.far_grantee,
            email="x@example.org",
            full_name="",
            role="staff",
        )


def test_inviting_a_team_member_again_is_refused_on_the_email_field(world):
    with pytest.raises(ServiceError) as error:
        services.invitation_create(
            invited_by=world.users["lead"],
            grantee=world.grantee,
            email="STAFF@example.org",
            full_name="",
            role="staff",
        )
    assert error.value.field == "email"


def test_reinviting_replaces_the_open_invitation(world):
    first, first_token = services.invitation_create(
        invited_by=world.users["lead"],
        grantee=world.grantee,
        email="twice@example.org",
        full_name="",
        role="staff",
    )
    services.invitation_create(
        invited_by=world.users["lead"],
        grantee=world.grantee,
        email="twice@example.org",
        full_name="",
        role="lead",
    )
    first.refresh_from_db()
    assert first.revoked_at is not None
    with pytest.raises(ServiceError, match="withdrawn"):
        services.invitation_accept(
            token=first_token, full_name="Twice", password="a-long-passphrase-1"
        )


def test_accepting_creates_the_account_once(world):
    _, token = make_invitation(grantee=world.grantee, email="fresh@example.org", role="lead")
    membership = services.invitation_accept(
        token=token, full_name="Fresh Face", password="a-long-passphrase-1"
    )
    assert membership.role == Membership.Role.LEAD and membership.user.check_password(
        "a-long-passphrase-1"
    )
    with pytest.raises(ServiceError, match="already been used"):
        services.invitation_accept(token=token, full_name="Again", password="a-long-passphrase-1")
    assert User.objects.filter(email="fresh@example.org").count() == 1


def test_expired_invitation_is_refused(world):
    _, token = make_invitation(
        grantee=world.grantee,
        email="late@example.org",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    with pytest.raises(ServiceError, match="expired"):
        services.invitation_accept(token=token, full_name="Late", password="a-long-passphrase-1")
    assert not User.objects.filter(email="late@example.org").exists()


def test_weak_password_is_a_field_error_and_nothing_is_saved(world):
    _, token = make_invitation(grantee=world.grantee, email="weak@example.org")
    with pytest.raises(ServiceError) as error:
        services.invitation_accept(token=token, full_name="Weak", password="password")
    assert error.value.field == "password1"
    assert not User.objects.filter(email="weak@example.org").exists()
    assert Invitation.objects.get(email="weak@example.org").accepted_at is None


def test_existing_account_links_only_when_signed_in_as_the_invited_address(world):
    person = UserFactory(email="known@example.org")
    _, token = make_invitation(grantee=world.grantee, email="known@example.org")
    with pytest.raises(ServiceError, match="sign in"):
        services.invitation_accept(token=token, full_name="X", password="a-long-passphrase-1")
    with pytest.raises(ServiceError, match="Sign out"):
        services.invitation_accept(token=token, user=world.users["other_staff"])
    membership = services.invitation_accept(token=token, user=person)
    assert membership.grantee == world.grantee


def test_accept_page_for_signed_in_invitee(world, client):
    person = UserFactory(email="known2@example.org")
    _, token = make_invitation(grantee=world.grantee, email="known2@example.org")
    client.login(email="known2@example.org", password=PASSWORD)
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 302 and response["Location"] == "/g/alpha/"
    assert Membership.objects.filter(user=person, grantee=world.grantee).exists()


def test_unknown_token_is_404(client, db):
    assert client.get("/invitations/not-a-token/").status_code == 404


def test_lead_revokes_an_invitation_but_not_another_grantees(world, client_for):
    client = client_for("lead")
    response = client.post(f"/g/alpha/team/invitations/{world.invitation.pk}/revoke/")
    assert response.status_code == 302
    world.invitation.refresh_from_db()
    assert world.invitation.revoked_at is not None
    # B's invitation under A's URL: not found, not revoked.
    assert (
        client.post(f"/g/alpha/team/invitations/{world.other_invitation.pk}/revoke/").status_code
        == 404
    )
    world.other_invitation.refresh_from_db()
    assert world.other_invitation.revoked_at is None


def test_program_invite_form_offers_only_the_programs_grantees(world, client_for):
    response = client_for("ta_admin").get("/p/pathways-one/invite/")
    assert b"Bravo Consortium" in response.content and b"Charlie Consortium" not in response.content
    response = client_for("ta_admin").post(
        "/p/pathways-one/invite/",
        {"grantee": world.far_grantee.pk, "email": "x@example.org", "role": "staff"},
    )
    assert response.status_code == 200 and b"Select a valid choice" in response.content

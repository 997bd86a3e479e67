"""Writes for grantees and people. Each function is one transaction and states its business rule."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from grantees.models import (
    CoachAssignment,
    CoachProfile,
    Grantee,
    Invitation,
    Membership,
    Program,
    ProgramRole,
    User,
)
from portal.roles import compute_roles, ensure_program_admin
from portal.services import ServiceError


def _ensure_can_manage(actor: User, grantee: Grantee) -> None:
    if not compute_roles(actor).can_manage_grantee(grantee.pk, grantee.program_id):
        raise PermissionDenied


PROFILE_FIELDS = (
    "name",
    "region",
    "member_agencies",
    "contact_name",
    "contact_email",
    "contact_phone",
    "pathway_focus",
)


@transaction.atomic
def grantee_profile_update(*, actor: User, grantee: Grantee, data: dict) -> Grantee:
    """A lead (or the program's TA admin) edits the grantee profile; the form validated `data`."""
    _ensure_can_manage(actor, grantee)
    with scopes_disabled():  # names are unique across the program, including grantees not visible
        taken = (
            Grantee.objects.filter(program_id=grantee.program_id, name__iexact=data["name"])
            .exclude(pk=grantee.pk)
            .exists()
        )
    if taken:
        raise ServiceError("Another grantee in this program already has this name.", field="name")
    for field in PROFILE_FIELDS:
        setattr(grantee, field, data[field])
    grantee.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
    return grantee


@transaction.atomic
def invitation_create(
    *, invited_by: User, grantee: Grantee, email: str, full_name: str, role: str
) -> tuple[Invitation, str]:
    """Invite a person to a grantee's team. Returns the invitation and its one-time token.

    Leads invite to their own grantee; TA admins to any grantee of their programs. Inviting an
    address again replaces the earlier open invitation, so only the newest link works.
    """
    _ensure_can_manage(invited_by, grantee)
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(grantee=grantee, user__email__iexact=email).exists():
        raise ServiceError(f"{email} is already on this grantee's team.", field="email")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active:
        raise ServiceError(
            "That account is deactivated. Ask a TA admin to reactivate it first.", field="email"
        )
    Invitation.objects.filter(
        grantee=grantee, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        grantee=grantee,
        email=email,
        full_name=full_name.strip(),
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
    )
    from grantees.tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk, token), robust=True)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    _ensure_can_manage(actor, invitation.grantee)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept an invitation: single use, before it expires, by the invited address only.

    With `user` (signed in) the invitation links that account; without, a new account is created
    for the invited address with the given name and password.
    """
    with scopes_disabled():  # the token itself is the proof of access
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("grantee")
            .filter(token_hash=Invitation.hash_token(token))
            .first()
        )
        if invitation is None:
            raise ServiceError("This invitation link is not valid.")
        if invitation.accepted_at:
            raise ServiceError("This invitation has already been used.")
        if invitation.revoked_at:
            raise ServiceError("This invitation was withdrawn. Ask for a new one.")
        if invitation.is_expired:
            raise ServiceError("This invitation has expired. Ask for a new one.")
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ServiceError("An account with this address exists: sign in to accept.")
            if not full_name.strip():
                raise ServiceError("Enter your name.", field="full_name")
            candidate = User(email=invitation.email, full_name=full_name.strip())
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                raise ServiceError(" ".join(error.messages), field="password1") from error
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name.strip()
            )
        elif user.email.lower() != invitation.email.lower():
            raise ServiceError(
                f"This invitation is for {invitation.email}. Sign out and open the link again."
            )
        membership, created = Membership.objects.get_or_create(
            user=user, grantee=invitation.grantee, defaults={"role": invitation.role}
        )
        if not created and invitation.role == Membership.Role.LEAD:
            membership.role = Membership.Role.LEAD
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def coach_assign(*, actor: User, grantee: Grantee, coach: User) -> CoachAssignment:
    """A TA admin assigns a coach to a grantee of their program."""
    ensure_program_admin(actor, grantee.program_id)
    if not CoachProfile.objects.filter(user=coach, is_active=True).exists() or not coach.is_active:
        raise ServiceError("Choose an active coach.", field="coach")
    try:
        with transaction.atomic():
            assignment, _ = CoachAssignment.objects.get_or_create(
                coach=coach, grantee=grantee, defaults={"assigned_by": actor}
            )
    except IntegrityError:  # a concurrent identical assignment won; the result is the same
        assignment = CoachAssignment.objects.get(coach=coach, grantee=grantee)
    return assignment


@transaction.atomic
def coach_unassign(*, actor: User, grantee: Grantee, coach: User) -> None:
    ensure_program_admin(actor, grantee.program_id)
    CoachAssignment.objects.filter(coach=coach, grantee=grantee).delete()


def end_all_sessions(user: User) -> int:
    """Sign a person out everywhere: every tracked session is ended."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    return ended


@transaction.atomic
def person_deactivate(*, actor: User, program: Program, person: User) -> User:
    """A TA admin deactivates someone working in their program; their sessions end at once.

    TA admins and site administrators are not deactivated from here, so no one locks the
    program's managers out by mistake.
    """
    ensure_program_admin(actor, program.pk)
    if person.pk == actor.pk:
        raise ServiceError("You cannot deactivate your own account.")
    if (
        person.is_superuser
        or ProgramRole.objects.filter(user=person, role=ProgramRole.Role.TA_ADMIN).exists()
    ):
        raise ServiceError("TA admins are deactivated by a site administrator.")
    if person.is_active:
        person.is_active = False
        person.deactivated_at = timezone.now()
        person.save(update_fields=["is_active", "deactivated_at"])
        end_all_sessions(person)
    return person


@transaction.atomic
def person_reactivate(*, actor: User, program: Program, person: User) -> User:
    ensure_program_admin(actor, program.pk)
    if not person.is_active:
        person.is_active = True
        person.deactivated_at = None
        person.save(update_fields=["is_active", "deactivated_at"])
    return person


@transaction.atomic
def user_set_time_zone(*, user: User, time_zone: str) -> User:
    """Times are shown to each person in their own zone; an unknown zone name is refused."""
    from portal.services import ServiceError
    from portal.timezones import known_time_zones

    if time_zone not in known_time_zones():
        raise ServiceError("Choose a time zone from the list.", field="time_zone")
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    return user

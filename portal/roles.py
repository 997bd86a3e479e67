"""Who a signed-in person is in the portal: their roles and the grantees they may see.

Computed once per request (a handful of indexed queries) and cached on the request, so every
permission check and the tenant scope agree on one answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.http import HttpRequest
from django_scopes import scopes_disabled

from portal.tenancy import GranteeIds
from portal.versions import bump_version, cached_until_changed, current_version

T = TypeVar("T")


@dataclass(frozen=True)
class Roles:
    user_id: int | None = None
    lead_of: frozenset[int] = frozenset()  # grantee ids
    staff_of: frozenset[int] = frozenset()  # grantee ids (any membership, leads included)
    coach_of: frozenset[int] = frozenset()  # grantee ids assigned to this coach
    is_coach: bool = False
    ta_admin_of: frozenset[int] = frozenset()  # program ids
    state_admin_of: frozenset[int] = frozenset()  # program ids
    program_grantees: dict[int, int] = field(default_factory=dict)  # grantee id -> program id
    # grantee id -> program id of the grantees they work in or coach (staff_of | coach_of)
    member_grantees: dict[int, int] = field(default_factory=dict)

    @property
    def is_ta_admin(self) -> bool:
        return bool(self.ta_admin_of)

    @property
    def is_state_admin(self) -> bool:
        return bool(self.state_admin_of)

    @property
    def is_grantee_member(self) -> bool:
        return bool(self.staff_of)

    @property
    def needs_mfa(self) -> bool:
        # Staff of the TA provider and the funder see many grantees' data.
        return self.is_ta_admin or self.is_coach or self.is_state_admin

    @property
    def visible_grantee_ids(self) -> frozenset[int]:
        return self.staff_of | self.coach_of | frozenset(self.program_grantees)

    @property
    def visible_program_ids(self) -> frozenset[int]:
        return self.ta_admin_of | self.state_admin_of

    @property
    def member_program_ids(self) -> frozenset[int]:
        """Programs of the grantees they work in or coach."""
        return frozenset(self.member_grantees.values())

    @property
    def coached_program_ids(self) -> frozenset[int]:
        return frozenset(self.member_grantees[g] for g in self.coach_of)

    def can_view_grantee(self, grantee_id: int) -> bool:
        return grantee_id in self.visible_grantee_ids

    def can_manage_grantee(self, grantee_id: int, program_id: int) -> bool:
        """Edit the profile and invite people: the grantee's lead or a TA admin of its program."""
        return grantee_id in self.lead_of or program_id in self.ta_admin_of

    def can_coach_grantee(self, grantee_id: int, program_id: int) -> bool:
        """Record sessions and work requests: an assigned coach or a TA admin of the program."""
        return grantee_id in self.coach_of or program_id in self.ta_admin_of

    def grantees_in_program(self, program_id: int) -> GranteeIds:
        """The program's grantees this person sees as its TA or state admin: the tenant scope a
        worker opens for a job they asked for (it has no request to take it from)."""
        return GranteeIds(sorted(g for g, p in self.program_grantees.items() if p == program_id))

    def can_plan_for_grantee(self, grantee_id: int, program_id: int) -> bool:
        """Shape the grantee's TA plan: its leads with its coaches (and the program's TA admins)."""
        return grantee_id in self.lead_of or self.can_coach_grantee(grantee_id, program_id)

    def can_administer_grantee(self, program_id: int) -> bool:
        """Assign coaches and other TA-provider decisions: TA admins of the program only."""
        return program_id in self.ta_admin_of


ANONYMOUS = Roles()


def compute_roles(user) -> Roles:
    from grantees.models import CoachAssignment, CoachProfile, Grantee, Membership, ProgramRole

    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    with scopes_disabled():
        ta_admin_of, state_admin_of = set(), set()
        for program_id, role in (
            ProgramRole.objects.filter(user=user, program__is_active=True)
            .values_list("program_id", "role")
            .order_by()
        ):
            (ta_admin_of if role == ProgramRole.Role.TA_ADMIN else state_admin_of).add(program_id)
        lead_of, staff_of, member_grantees = set(), set(), {}
        for grantee_id, program_id, role in (
            Membership.objects.filter(user=user, grantee__is_active=True)
            .values_list("grantee_id", "grantee__program_id", "role")
            .order_by()
        ):
            staff_of.add(grantee_id)
            member_grantees[grantee_id] = program_id
            if role == Membership.Role.LEAD:
                lead_of.add(grantee_id)
        is_coach = CoachProfile.objects.filter(user=user, is_active=True).exists()
        coached = (
            dict(
                CoachAssignment.objects.filter(coach=user, grantee__is_active=True)
                .values_list("grantee_id", "grantee__program_id")
                .order_by()
            )
            if is_coach
            else {}
        )
        coach_of = set(coached)
        member_grantees.update(coached)
        program_ids = ta_admin_of | state_admin_of
        program_grantees = (
            dict(
                Grantee.objects.filter(program_id__in=program_ids, is_active=True)
                .values_list("id", "program_id")
                .order_by()
            )
            if program_ids
            else {}
        )
    return Roles(
        user_id=user.pk,
        lead_of=frozenset(lead_of),
        staff_of=frozenset(staff_of),
        coach_of=frozenset(coach_of),
        is_coach=is_coach,
        ta_admin_of=frozenset(ta_admin_of),
        state_admin_of=frozenset(state_admin_of),
        program_grantees=program_grantees,
        member_grantees=member_grantees,
    )


def ensure_program_admin(actor, program_id: int) -> Roles:
    """Services' check for TA-admin decisions: raise PermissionDenied unless `actor` runs it."""
    from django.core.exceptions import PermissionDenied

    roles = compute_roles(actor)
    if program_id not in roles.ta_admin_of:
        raise PermissionDenied
    return roles


def ensure_grantee_member(actor, grantee) -> Roles:
    """Services' check for the grantee's own workspace: its staff and leads write it."""
    from django.core.exceptions import PermissionDenied

    roles = compute_roles(actor)
    if grantee.pk not in roles.staff_of:
        raise PermissionDenied
    return roles


def ensure_grantee_participant(actor, grantee) -> Roles:
    """Services' check for working with a grantee: its people, its coaches, the TA admins."""
    from django.core.exceptions import PermissionDenied

    roles = compute_roles(actor)
    if grantee.pk not in roles.staff_of and not roles.can_coach_grantee(
        grantee.pk, grantee.program_id
    ):
        raise PermissionDenied
    return roles


def roles_for(request: HttpRequest) -> Roles:
    cached = getattr(request, "_portal_roles", None)
    if cached is None or cached.user_id != getattr(request.user, "pk", None):
        cached = cached_roles(request.user)
        request._portal_roles = cached
    return cached


# Pages read a person's roles from the cache (four queries fewer on every page). Any change to a
# membership, program role, coach profile or assignment, grantee or program moves the "roles"
# version once it commits (grantees/signals.py), and a cached answer from another version is
# ignored; services deciding a write always compute afresh (compute_roles).
# ROLES_CACHE_SECONDS = 0 turns the cache off.


# Part of the key: a release that changes Roles' fields never reads an older release's.
CACHE_FORMAT = 2


def _user_key(user, name: str) -> str:
    from django.db import connection

    # The database name and the account's creation time keep two databases' (or a reused id's)
    # people apart.
    joined = int(user.date_joined.timestamp() * 1_000_000)
    return f"portal-{name}:{CACHE_FORMAT}:{connection.settings_dict['NAME']}:{user.pk}:{joined}"


def cached_for_user(user, name: str, compute: Callable[[], T]) -> T:
    """compute() for this person, cached until the roles version moves."""
    from django.conf import settings

    if not user.is_authenticated or not user.is_active:
        return compute()
    return cached_until_changed(
        "roles", _user_key(user, name), compute, settings.ROLES_CACHE_SECONDS
    )


def cached_roles(user) -> Roles:
    return cached_for_user(user, "roles", lambda: compute_roles(user))


def bump_roles_version() -> None:
    bump_version("roles")


def scope_fragment_key(request: HttpRequest) -> str:
    """A {% cache %} key part for a fragment built from what the roles version covers (grantees,
    programs, memberships, coaches): it changes when those change, and it differs for people
    who may see different grantees."""
    ids = ",".join(map(str, sorted(roles_for(request).visible_grantee_ids)))
    return f"{current_version('roles')}:{hashlib.sha256(ids.encode()).hexdigest()[:24]}"

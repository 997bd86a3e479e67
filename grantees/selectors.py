"""Scoped reads for programs, grantees and people. Views read tenant data only through here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from grantees.models import (
    CoachAssignment,
    CoachProfile,
    Grantee,
    Invitation,
    Membership,
    Program,
    Region,
    User,
)
from portal.querysets import count_per_row
from portal.roles import Roles
from portal.tenancy import GranteeIds


def grantee_for_request(*, roles: Roles, slug: str) -> Grantee:
    """The grantee at /g/<slug>/ if this person may see it; 404 otherwise (never 403)."""
    grantee = (
        Grantee.objects.filter(
            slug=slug, pk__in=GranteeIds(roles.visible_grantee_ids), is_active=True
        )
        .select_related("program", "region")
        .first()
    )
    if grantee is None:
        raise Http404("No such grantee.")
    return grantee


def visible_grantees(*, roles: Roles) -> QuerySet[Grantee]:
    return (
        Grantee.objects.filter(pk__in=GranteeIds(roles.visible_grantee_ids), is_active=True)
        .select_related("program", "region")
        .order_by("name")
    )


def grantee_team(*, grantee: Grantee) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(grantee=grantee, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def grantee_coaches(*, grantee: Grantee) -> QuerySet[CoachAssignment]:
    return (
        CoachAssignment.objects.filter(grantee=grantee, coach__is_active=True)
        .select_related("coach", "coach__coach_profile")
        .prefetch_related("coach__coach_profile__expertise")
        .order_by("coach__full_name")
    )


def _open_invitations() -> QuerySet[Invitation]:
    from django.utils import timezone

    return (
        Invitation.objects.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("grantee", "invited_by")
        .order_by("-created_at")
    )


def open_invitations(*, grantees: Iterable[Grantee] | QuerySet[Grantee]) -> QuerySet[Invitation]:
    return _open_invitations().filter(grantee__in=grantees)


def program_open_invitations(*, program_ids: Iterable[int]) -> QuerySet[Invitation]:
    """Pending invitations to the programs' grantees (the tenant scope applies as always)."""
    return _open_invitations().filter(grantee__program_id__in=list(program_ids))


def coach_grantees(*, roles: Roles) -> QuerySet[Grantee]:
    """The coach's assigned grantees, with their leads, for the coach dashboard."""
    return (
        Grantee.objects.filter(pk__in=roles.coach_of, is_active=True)
        .select_related("program", "region")
        .annotate(team_size=Count("memberships", filter=Q(memberships__user__is_active=True)))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Membership.Role.LEAD).select_related(
                    "user"
                ),
                to_attr="leads",
            )
        )
        .order_by("name")
    )


@dataclass
class RegionGroup:
    region: Region
    grantees: list[Grantee]


class RegionGroups(list):
    @property
    def grantee_total(self) -> int:
        return sum(len(group.grantees) for group in self)


def program_grantees_by_region(*, program: Program) -> RegionGroups:
    """Every region (all eight, even empty ones) with the program's grantees in it."""
    grantees = (
        Grantee.objects.filter(program=program, is_active=True)
        .select_related("region")
        .annotate(
            team_size=Count("memberships", distinct=True),
            coach_count=Count("coach_assignments", distinct=True),
        )
        .order_by("name")
    )
    by_region: dict[int, list[Grantee]] = {}
    for grantee in grantees:
        by_region.setdefault(grantee.region_id, []).append(grantee)
    return RegionGroups(
        RegionGroup(region, by_region.get(region.pk, [])) for region in Region.objects.all()
    )


def programs_run_by(*, roles: Roles) -> QuerySet[Program]:
    return (
        Program.objects.filter(pk__in=roles.ta_admin_of)
        .annotate(grantee_count=Count("grantees", filter=Q(grantees__is_active=True)))
        .order_by("-starts_on", "name")
    )


def program_grantees(*, program_ids: Iterable[int]) -> QuerySet[Grantee]:
    return (
        Grantee.objects.filter(program_id__in=list(program_ids))
        .select_related("program", "region")
        .annotate(
            team_size=count_per_row(
                Membership.objects.filter(grantee=OuterRef("pk")), key="grantee_id"
            ),
            coach_count=count_per_row(
                CoachAssignment.objects.filter(grantee=OuterRef("pk")), key="grantee_id"
            ),
        )
        .order_by("program__name", "name")
    )


def program_people(*, program: Program, search: str = "") -> QuerySet[User]:
    """People who work in or with the program's grantees: team members and assigned coaches."""
    in_program = Q(memberships__grantee__program=program) | Q(
        coach_assignments__grantee__program=program
    )
    people = User.objects.filter(pk__in=User.objects.filter(in_program).values("pk"))
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(grantee__program=program).select_related("grantee"),
            to_attr="program_memberships",
        ),
        Prefetch(
            "coach_assignments",
            queryset=CoachAssignment.objects.filter(grantee__program=program).select_related(
                "grantee"
            ),
            to_attr="program_assignments",
        ),
    ).order_by("full_name", "email")


def program_person(*, program: Program, user_id: int) -> User:
    """A person the program's TA admins may manage; 404 for anyone outside the program."""
    person = program_people(program=program).filter(pk=user_id).first()
    if person is None:
        raise Http404("No such person in this program.")
    return person


def available_coaches() -> QuerySet[User]:
    return (
        User.objects.filter(coach_profile__is_active=True, is_active=True)
        .select_related("coach_profile")
        .order_by("full_name")
    )


def coach_profile_for(*, user: User) -> CoachProfile | None:
    return CoachProfile.objects.filter(user=user).prefetch_related("expertise").first()


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link points to. Unscoped on purpose: the token is the credential."""
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return (
            Invitation.objects.select_related("grantee", "grantee__program", "invited_by")
            .filter(token_hash=Invitation.hash_token(token))
            .first()
        )


def furthest_reminder_hours() -> int:
    """How far ahead any active program reminds people: the window reminder sweeps look at."""
    programs = Program.objects.filter(is_active=True).only("reminder_hours")
    return max((max(p.reminder_hours_list, default=0) for p in programs), default=0)

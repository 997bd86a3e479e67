"""The role-aware navigation every page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from portal.roles import cached_for_user, roles_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def _nav_names(roles) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(slug, name) of the programs and grantees the navigation links to."""
    from django_scopes import scopes_disabled

    from grantees.models import Grantee, Program

    with scopes_disabled():  # the ids come from the person's roles
        programs = (
            tuple(
                Program.objects.filter(pk__in=roles.visible_program_ids).values_list("slug", "name")
            )
            if roles.visible_program_ids
            else ()
        )
        grantees = (
            tuple(
                Grantee.objects.filter(pk__in=roles.staff_of, is_active=True).values_list(
                    "slug", "name"
                )
            )
            if roles.staff_of
            else ()
        )
    return programs, grantees


def navigation(request: HttpRequest) -> dict:
    base = {"invitation_valid_days": settings.INVITATION_VALID_DAYS}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {**base, "nav_items": []}
    roles = roles_for(request)
    # The names change as rarely as roles do: cached with them (no query on most pages).
    programs, grantees = cached_for_user(user, "nav", lambda: _nav_names(roles))
    items: list[NavItem] = []
    if roles.is_ta_admin:
        items.append(NavItem("TA admin", reverse("ta_dashboard")))
    for slug, name in programs:
        label = name if len(programs) > 1 else "Program overview"
        items.append(NavItem(label, reverse("program_overview", args=[slug])))
    if roles.is_coach:
        items.append(NavItem("My grantees", reverse("coach_dashboard")))
        items.append(NavItem("My schedule", reverse("coach_schedule")))
    if roles.is_coach or roles.is_ta_admin:
        items.append(NavItem("Office hours", reverse("office_hours")))
    for slug, name in grantees:
        items.append(NavItem(name, reverse("grantee_dashboard", args=[slug])))
    return {**base, "nav_items": items, "nav_current": request.path}

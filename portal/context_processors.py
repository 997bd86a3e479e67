"""The role-aware navigation every page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from portal.roles import roles_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def navigation(request: HttpRequest) -> dict:
    base = {"invitation_valid_days": settings.INVITATION_VALID_DAYS}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {**base, "nav_items": []}
    from grantees.models import Grantee, Program

    roles = roles_for(request)
    items: list[NavItem] = []
    if roles.is_ta_admin:
        items.append(NavItem("TA admin", reverse("ta_dashboard")))
    if roles.visible_program_ids:
        for slug, name in Program.objects.filter(pk__in=roles.visible_program_ids).values_list(
            "slug", "name"
        ):
            items.append(
                NavItem(
                    f"{name}" if len(roles.visible_program_ids) > 1 else "Program overview",
                    reverse("program_overview", args=[slug]),
                )
            )
    if roles.is_coach:
        items.append(NavItem("My grantees", reverse("coach_dashboard")))
        items.append(NavItem("My schedule", reverse("coach_schedule")))
    if roles.is_coach or roles.is_ta_admin:
        items.append(NavItem("Office hours", reverse("office_hours")))
    if roles.staff_of:
        for slug, name in Grantee.objects.filter(pk__in=roles.staff_of, is_active=True).values_list(
            "slug", "name"
        ):
            items.append(NavItem(name, reverse("grantee_dashboard", args=[slug])))
    current = request.path
    return {**base, "nav_items": items, "nav_current": current}

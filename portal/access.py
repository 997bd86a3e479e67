"""Access rules: every URL of the portal declares one, and the URL × role probe checks it.

A view is wrapped by one of the decorators below. The decorator both enforces the rule and records
it on the view (`view.access_rule`), which is how tests/security/ knows what to expect. Views we do
not own (allauth, the Django admin) get their rule from EXTERNAL_URL_RULES by URL name.

Answers: anonymous → sign-in redirect; another tenant's object → 404 (existence not revealed);
a function the role may not use on an object it can see → 403.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from portal.roles import roles_for


class Rule(enum.StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    AUTHENTICATED = "authenticated"  # any signed-in person
    GRANTEE_VIEW = "grantee:view"  # members, assigned coaches, the program's TA and state admins
    GRANTEE_MANAGE = "grantee:manage"  # the grantee's lead, the program's TA admins
    GRANTEE_ADMIN = "grantee:admin"  # the program's TA admins
    GRANTEE_MEMBER = "grantee:member"  # the grantee's own people (staff and leads)
    GRANTEE_LEAD = "grantee:lead"  # the grantee's leads only (confirm or dispute sessions)
    GRANTEE_COACH = "grantee:coach"  # coaches assigned to the grantee, the program's TA admins
    GRANTEE_PARTICIPATE = "grantee:participate"  # members + coaches + TA admins (not read-only)
    GRANTEE_PLAN = "grantee:plan"  # the grantee's leads, its coaches, the program's TA admins
    PROGRAM_VIEW = "program:view"  # the program's TA admins and state office admins
    PROGRAM_MANAGE = "program:manage"  # the program's TA admins
    EVENT_ORGANIZE = "event:organize"  # the program's TA admins + the event's organizers
    COACH = "coach"  # anyone with an active coach profile
    TA_STAFF = "ta_staff"  # coaches and TA admins (the TA provider's people)
    LIBRARY_EDIT = "library:edit"  # TA staff, for a resource they can see (else 404)
    OFFICE_HOURS_HOST = "office_hours:host"  # a series' hosts and its program's TA admins
    TA_ADMIN = "ta_admin"  # anyone who runs at least one program
    SUPERUSER = "superuser"  # the Django admin (active staff accounts)


# URL names of views the portal does not own → their rule.
EXTERNAL_URL_RULES: dict[str, Rule] = {
    # allauth: the way in (public) …
    "account_login": Rule.PUBLIC,
    "account_signup": Rule.PUBLIC,  # closed: accounts come from invitations
    "account_logout": Rule.PUBLIC,
    "account_reset_password": Rule.PUBLIC,
    "account_reset_password_done": Rule.PUBLIC,
    "account_reset_password_from_key": Rule.PUBLIC,
    "account_reset_password_from_key_done": Rule.PUBLIC,
    "account_confirm_email": Rule.PUBLIC,
    "account_email_verification_sent": Rule.PUBLIC,
    "account_inactive": Rule.PUBLIC,
    "account_login_code_confirm": Rule.PUBLIC,
    "account_confirm_login_code": Rule.PUBLIC,
    "mfa_authenticate": Rule.PUBLIC,  # the second step of a sign-in in progress
    "mfa_trust": Rule.PUBLIC,
    # … and the signed-in person's own account.
    "account_change_password": Rule.AUTHENTICATED,
    "account_set_password": Rule.AUTHENTICATED,
    "account_email": Rule.AUTHENTICATED,
    "account_reauthenticate": Rule.AUTHENTICATED,
    "mfa_reauthenticate": Rule.AUTHENTICATED,
    "mfa_index": Rule.AUTHENTICATED,
    "mfa_activate_totp": Rule.AUTHENTICATED,
    "mfa_deactivate_totp": Rule.AUTHENTICATED,
    "mfa_view_recovery_codes": Rule.AUTHENTICATED,
    "mfa_generate_recovery_codes": Rule.AUTHENTICATED,
    "mfa_download_recovery_codes": Rule.AUTHENTICATED,
    "usersessions_list": Rule.AUTHENTICATED,
}
EXTERNAL_NAMESPACE_RULES: dict[str, Rule] = {"admin": Rule.SUPERUSER}


def declare(rule: Rule) -> Callable:
    """Record the rule on a view that enforces it itself (public pages, health checks)."""

    def decorator(view):
        view.access_rule = rule
        return view

    return decorator


def _login_gate(request: HttpRequest):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def signed_in(view):
    """Any signed-in person."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return _login_gate(request) or view(request, *args, **kwargs)

    wrapper.access_rule = Rule.AUTHENTICATED
    return wrapper


def role_required(rule: Rule) -> Callable:
    """A portal-wide page for one kind of staff (coaches, TA admins)."""
    checks = {
        Rule.COACH: lambda roles: roles.is_coach,
        Rule.TA_ADMIN: lambda roles: roles.is_ta_admin,
        Rule.TA_STAFF: lambda roles: roles.is_coach or roles.is_ta_admin,
        Rule.LIBRARY_EDIT: lambda roles: roles.is_coach or roles.is_ta_admin,
    }
    check = checks[rule]

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            gate = _login_gate(request)
            if gate:
                return gate
            if not check(roles_for(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access_rule = rule
        return wrapper

    return decorator


def grantee_access(rule: Rule) -> Callable:
    """A page under /g/<slug>/: resolves request.grantee, or 404 when the person may not see it."""
    checks = {
        Rule.GRANTEE_VIEW: lambda roles, grantee: True,
        Rule.GRANTEE_MANAGE: lambda roles, g: roles.can_manage_grantee(g.pk, g.program_id),
        Rule.GRANTEE_ADMIN: lambda roles, g: roles.can_administer_grantee(g.program_id),
        Rule.GRANTEE_MEMBER: lambda roles, g: g.pk in roles.staff_of,
        Rule.GRANTEE_LEAD: lambda roles, g: g.pk in roles.lead_of,
        Rule.GRANTEE_COACH: lambda roles, g: roles.can_coach_grantee(g.pk, g.program_id),
        Rule.GRANTEE_PARTICIPATE: lambda roles, g: (
            g.pk in roles.staff_of or roles.can_coach_grantee(g.pk, g.program_id)
        ),
        Rule.GRANTEE_PLAN: lambda roles, g: roles.can_plan_for_grantee(g.pk, g.program_id),
    }
    if rule not in checks:
        raise ValueError(f"{rule} is not a grantee rule")
    check = checks[rule]

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            from grantees.selectors import grantee_for_request

            gate = _login_gate(request)
            if gate:
                return gate
            roles = roles_for(request)
            grantee = grantee_for_request(roles=roles, slug=slug)
            if not check(roles, grantee):
                raise PermissionDenied
            request.grantee = grantee
            return view(request, slug, *args, **kwargs)

        wrapper.access_rule = rule
        return wrapper

    return decorator


def organized_program_ids(user) -> list[int]:
    """Programs with an event this person organizes (the view then checks the event itself)."""
    return list(user.organized_events.values_list("program_id", flat=True).distinct())


def program_access(rule: Rule) -> Callable:
    """A page under /p/<program_slug>/ for the program's TA admins (and state admins to view)."""
    if rule not in {Rule.PROGRAM_VIEW, Rule.PROGRAM_MANAGE, Rule.EVENT_ORGANIZE}:
        raise ValueError(f"{rule} is not a program rule")

    def decorator(view):
        @wraps(view)
        def wrapper(request, program_slug, *args, **kwargs):
            from grantees.models import Program

            gate = _login_gate(request)
            if gate:
                return gate
            roles = roles_for(request)
            visible = set(roles.visible_program_ids)
            organized = set()
            if rule == Rule.EVENT_ORGANIZE and roles.is_coach:
                organized = set(organized_program_ids(request.user))
            program = get_object_or_404(Program, slug=program_slug, pk__in=visible | organized)
            if rule == Rule.PROGRAM_MANAGE and program.pk not in roles.ta_admin_of:
                raise PermissionDenied
            if rule == Rule.EVENT_ORGANIZE and program.pk not in roles.ta_admin_of | organized:
                raise PermissionDenied
            request.program = program
            return view(request, program_slug, *args, **kwargs)

        wrapper.access_rule = rule
        return wrapper

    return decorator


def office_hours_access(view):
    """A page under /office-hours/<series_id>/: resolves request.series for its hosts and the
    program's TA admins, or 404 (a series is not revealed to anyone else)."""

    @wraps(view)
    def wrapper(request, series_id, *args, **kwargs):
        from booking.selectors import series_for_staff

        gate = _login_gate(request)
        if gate:
            return gate
        request.series = series_for_staff(roles=roles_for(request), series_id=series_id)
        return view(request, series_id, *args, **kwargs)

    wrapper.access_rule = Rule.OFFICE_HOURS_HOST
    return wrapper

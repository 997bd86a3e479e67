"""Request plumbing every page inherits: required MFA, the tenant scope, HTMX messages/redirects."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_scopes import scope, scopes_disabled

from portal.roles import roles_for
from portal.tenancy import GranteeIds

# Paths a person who still owes a second factor may reach: sign-out, allauth's account and 2FA
# pages (enrollment, recovery codes, re-authentication), static files and the health check.
MFA_EXEMPT_URL_NAMES = (
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_authenticate",
    "healthz",
)


def session_passed_mfa(request: HttpRequest) -> bool:
    """True when this session proved a second factor (sign-in, re-authentication, enrollment)."""
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, request.user))


class RequireMFAMiddleware:
    """TA admins, coaches and state admins reach only MFA enrollment until they have enrolled.

    allauth has no switch for this (its issue #3649), so the portal keeps one small middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths: tuple[str, ...] | None = None

    def exempt_paths(self) -> tuple[str, ...]:
        if self._exempt_paths is None:
            self._exempt_paths = tuple(reverse(name) for name in MFA_EXEMPT_URL_NAMES) + (
                settings.STATIC_URL,
            )
        return self._exempt_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.exempt_paths()):
            needs_mfa = user.is_staff or roles_for(request).needs_mfa
            if needs_mfa and not is_mfa_enabled(user):
                messages.info(
                    request,
                    "Your role can see many grantees' data, so it needs two-factor "
                    "authentication. Set up an authenticator app to continue.",
                    fail_silently=True,
                )
                return redirect("mfa_activate_totp")
            if needs_mfa and not session_passed_mfa(request):
                return redirect(f"{reverse('mfa_reauthenticate')}?next={request.get_full_path()}")
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Show every time in the signed-in person's own time zone (stored in UTC, always)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = getattr(request.user, "time_zone", "") or settings.TIME_ZONE
        try:
            timezone.activate(ZoneInfo(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            timezone.activate(ZoneInfo(settings.TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class TenantScopeMiddleware:
    """Activate the django-scopes tenant scope for the whole request.

    Tenant-owned rows can only be read inside a scope; this one admits exactly the grantees the
    person may see, so a forgotten filter in a view returns nothing foreign instead of leaking.
    The Django admin (MFA-protected staff accounts only) runs unscoped.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if request.path.startswith(self.admin_prefix) and request.user.is_staff:
            with scopes_disabled():
                return self.get_response(request)
        with scope(grantee=GranteeIds(sorted(roles_for(request).visible_grantee_ids))):
            return self.get_response(request)


class HtmxMessagesMiddleware:
    """For HTMX requests: messages travel in HX-Trigger; sign-in/MFA redirects become HX-Redirect.

    Without this an expired session would swap the sign-in page into a fragment of the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False):
            return response
        if response.status_code in (301, 302) and self._is_auth_redirect(response["Location"]):
            return HttpResponseClientRedirect(response["Location"])
        if 300 <= response.status_code < 400 or "HX-Redirect" in response:
            return response  # the messages show on the page the browser goes to
        pending = [
            {"level": m.level_tag, "message": str(m)} for m in messages.get_messages(request)
        ]
        if pending:
            triggers = self._existing_triggers(response.get("HX-Trigger"))
            triggers["portal:messages"] = pending
            response["HX-Trigger"] = json.dumps(triggers)
        return response

    @staticmethod
    def _existing_triggers(header: str | None) -> dict:
        # A view may already have set HX-Trigger as JSON or as a plain comma-separated event list.
        if not header:
            return {}
        try:
            value = json.loads(header)
        except ValueError:
            return {name.strip(): None for name in header.split(",") if name.strip()}
        return value if isinstance(value, dict) else {}

    @staticmethod
    def _is_auth_redirect(location: str) -> bool:
        auth_paths = (
            reverse("account_login"),
            reverse("mfa_activate_totp"),
            reverse("mfa_reauthenticate"),
        )
        return any(location.startswith(p) for p in auth_paths)


class SessionTimeoutMiddleware:
    """Signs a person out after a stretch of inactivity, and after a fixed time however active.

    Staff who see many grantees' data (TA admins, coaches, state admins) get the short idle limit;
    grantee staff the long one. The last-seen time is written at most once a minute, so an active
    session does not write to the session store on every request.
    """

    SEEN_KEY = "portal_seen"
    STARTED_KEY = "portal_started"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(timezone.now().timestamp())
        session = request.session
        started = session.setdefault(self.STARTED_KEY, now)
        seen = session.get(self.SEEN_KEY, now)
        staff = roles_for(request).needs_mfa
        idle_limit = settings.SESSION_IDLE_TIMEOUT_STAFF if staff else settings.SESSION_IDLE_TIMEOUT
        reason = None
        if now - seen > idle_limit:
            reason = f"after {_duration(idle_limit)} without activity"
        elif now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            reason = f"{_duration(settings.SESSION_ABSOLUTE_TIMEOUT)} after signing in"
        if reason:
            from django.contrib.auth import logout
            from django.contrib.auth.views import redirect_to_login

            logout(request)
            messages.info(request, f"You were signed out {reason}. Please sign in again.")
            response = redirect_to_login(request.get_full_path())
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(response["Location"])
            return response
        if now - seen >= 60 or self.SEEN_KEY not in session:
            session[self.SEEN_KEY] = now
        return self.get_response(request)


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{seconds // 60} minutes"

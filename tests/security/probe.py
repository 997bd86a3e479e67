"""The URL × role probe: every URL pattern, every role, another tenant's real ids.

`collect_urls()` walks the resolver; each URL must declare an access rule (portal.access). For each
role the probe requests the URL filled with tenant A's ids and checks the answer against the rule:
roles the rule admits must get a page (not a denial); every other role must be denied (sign-in
redirect, 403 or 404) on GET and POST, and no page shown to them may contain A's marker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from portal.access import EXTERNAL_NAMESPACE_RULES, EXTERNAL_URL_RULES, Rule
from tests.world import MARKER, ROLES, World, sign_in

# Which roles of the world each rule admits, for URLs filled with tenant A's (program P1's) ids.
ALLOWED: dict[Rule, set[str]] = {
    Rule.PUBLIC: set(ROLES),
    Rule.AUTHENTICATED: set(ROLES) - {"anonymous"},
    Rule.GRANTEE_VIEW: {"staff", "lead", "coach", "state", "ta_admin"},
    Rule.GRANTEE_MANAGE: {"lead", "ta_admin"},
    Rule.GRANTEE_ADMIN: {"ta_admin"},
    Rule.GRANTEE_MEMBER: {"staff", "lead"},
    Rule.GRANTEE_LEAD: {"lead"},
    Rule.GRANTEE_COACH: {"coach", "ta_admin"},
    Rule.GRANTEE_PARTICIPATE: {"staff", "lead", "coach", "ta_admin"},
    Rule.GRANTEE_PLAN: {"lead", "coach", "ta_admin"},
    Rule.PROGRAM_VIEW: {"state", "ta_admin"},
    Rule.PROGRAM_MANAGE: {"ta_admin"},
    Rule.EVENT_ORGANIZE: {"ta_admin", "coach"},
    Rule.COACH: {"coach", "other_coach"},
    Rule.TA_STAFF: {"coach", "other_coach", "ta_admin"},
    Rule.LIBRARY_EDIT: {"coach", "ta_admin"},
    Rule.OFFICE_HOURS_HOST: {"coach", "ta_admin"},
    Rule.TA_ADMIN: {"ta_admin"},
    Rule.SUPERUSER: set(),
}

# URLs whose object admits fewer of the rule's roles, and who they are in the world: an event's
# materials need a seat at it, and only "staff" has one.
NARROWER: dict[str, set[str]] = {
    "event_material": {"staff"},
}


@dataclass(frozen=True)
class ProbeUrl:
    name: str | None  # "namespace:name"
    route: str
    callback: Callable
    kwarg_names: tuple[str, ...]
    pattern: object

    @property
    def label(self) -> str:
        return self.name or self.route


def collect_urls(urlconf: str | None = None) -> list[ProbeUrl]:
    found: list[ProbeUrl] = []

    def walk(patterns, prefix: str, namespace: str | None, prefix_kwargs: tuple[str, ...]):
        for entry in patterns:
            kwargs = prefix_kwargs + _kwarg_names(entry.pattern)
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                walk(entry.url_patterns, route, full_ns, kwargs)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                found.append(ProbeUrl(name, route, entry.callback, kwargs, entry.pattern))

    walk(get_resolver(urlconf).url_patterns, "", None, ())
    return found


def _kwarg_names(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return ()


def rule_for(url: ProbeUrl) -> Rule | None:
    rule = getattr(url.callback, "access_rule", None)
    if rule is not None:
        return Rule(rule)
    if url.name:
        if url.name in EXTERNAL_URL_RULES:
            return EXTERNAL_URL_RULES[url.name]
        namespace = url.name.split(":", 1)[0] if ":" in url.name else None
        if namespace in EXTERNAL_NAMESPACE_RULES:
            return EXTERNAL_NAMESPACE_RULES[namespace]
    if url.route.startswith("admin/"):
        return EXTERNAL_NAMESPACE_RULES["admin"]
    if url.route.startswith(settings.STATIC_URL.lstrip("/")):
        return Rule.PUBLIC
    return None


def kwarg_values(world: World, tenant: str = "A") -> dict[str, str]:
    """Real ids for URL kwargs. Tenant "A" is the grantee under test; "B" and "C" are the
    other tenants' own objects (used to check their own pages never carry A's marker)."""
    grantee = {"A": world.grantee, "B": world.other_grantee, "C": world.far_grantee}[tenant]
    program = world.other_program if tenant == "C" else world.program
    member = {
        "A": world.users["staff"],
        "B": world.users["other_staff"],
        "C": world.users["other_state"],
    }[tenant]
    invitation = world.invitation if tenant == "A" else world.other_invitation
    session = world.session if tenant == "A" else world.other_session
    support_request = world.support_request if tenant == "A" else world.other_support_request
    series = world.series if tenant == "A" else world.other_series
    return {
        "slug": grantee.slug,
        "program_slug": program.slug,
        "invitation_id": str(invitation.pk),
        "user_id": str(member.pk),
        "token": world.invitation_token if tenant == "A" else "not-a-real-token",
        "request_id": str(support_request.pk),
        "session_id": str(session.pk),
        "item_id": str(session.action_items.first().pk),
        "booking_id": str((world.booking if tenant == "A" else world.other_booking).pk),
        "coach_id": str(world.users["coach" if tenant == "A" else "other_coach"].pk),
        "series_id": str(series.pk),
        "occurrence_id": str(series.occurrences.order_by("starts_at").first().pk),
        "exception_id": str((world.away if tenant == "A" else world.other_away).pk),
        "event_id": str(world.event.pk),
        "agenda_id": str(world.event.agenda.first().pk),
        "material_id": str(world.event.materials.first().pk),
        "event_series_id": str(world.event_series.pk),
        "resource_id": str((world.resource if tenant == "A" else world.other_resource).pk),
        "collection_id": str(world.collection.pk),
        "enrollment_id": str((world.enrollment if tenant == "A" else world.other_enrollment).pk),
        "registration_id": str(
            (world.registration if tenant == "A" else world.other_registration).pk
        ),
        "version_id": str(world.instrument_version.pk),
        "domain_id": str(world.instrument_version.domains.first().pk),
        "rubric_item_id": str(world.instrument_version.domains.first().items.first().pk),
        # A's finalized baseline (its interview and self-assessment pages send on to the result).
        "assessment_id": str((world.assessment if tenant == "A" else world.other_assessment).pk),
        "goal_id": str(world.goal.pk),
        "export_id": str(world.export.pk),
        "issued_id": str(world.issued.pk),
        "issue_id": str(world.newsletter.pk),
        "action_id": str(world.goal.actions.first().pk),
        # The pathway workspace: A's rows, or the other tenant's own (C has none: B's stand in
        # only where C's people could never reach them anyway).
        "priority_id": str((world.priority if tenant == "A" else world.other_priority).pk),
        "partner_id": str((world.partner if tenant == "A" else world.other_partner).pk),
        "commitment_id": str((world.commitment if tenant == "A" else world.other_commitment).pk),
        "concept_id": str((world.pathway if tenant == "A" else world.other_pathway).pk),
        "version_number": "1",
        "step_id": str((world.pathway_step if tenant == "A" else world.other_pathway_step).pk),
        "comment_id": str((world.step_comment if tenant == "A" else world.other_step_comment).pk),
        "quarter": "2026-q3",
        "lang": "es",
        # The Django admin's own kwargs.
        "app_label": "grantees",
        "object_id": str(grantee.pk),
        "content_type_id": "1",
        "id": str(member.pk),
        "url": "no-such-page/",
        # allauth's key-bearing links (a wrong key still renders its page).
        "uidb36": "1",
        "key": "not-a-real-key",
    }


def build_path(url: ProbeUrl, values: dict[str, str]) -> str:
    missing = [k for k in url.kwarg_names if k not in values]
    if missing:
        raise LookupError(f"{url.label}: no probe value for URL kwarg(s) {missing}")
    kwargs = {k: values[k] for k in url.kwarg_names}
    if url.name:
        return reverse(url.name, kwargs=kwargs)
    if isinstance(url.pattern, RoutePattern) or "<" in url.route:
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], url.route)
        return "/" + path
    raise LookupError(f"{url.route}: an unnamed regex URL cannot be built; give it a name")


def login_urls() -> tuple[str, ...]:
    # allauth's sign-in, and the Django admin's own login (which hands over to allauth).
    return (reverse("account_login"), reverse("admin:login"))


def is_denial(response, login_url: tuple[str, ...], client: Client | None = None) -> bool:
    """403, 404, or a redirect that ends (within three hops) at sign-in, 403 or 404."""
    for _hop in range(3):
        if response.status_code in (403, 404):
            return True
        if response.status_code not in (301, 302):
            return False
        location = response["Location"]
        if location.startswith(login_url):
            return True
        if client is None or not location.startswith("/"):
            return False
        response = client.get(location)
    return False


def is_sign_in_redirect(response, login_url: tuple[str, ...]) -> bool:
    return response.status_code in (301, 302) and response["Location"].startswith(login_url)


# URL kwargs that are credentials: whoever holds A's invitation token may see whom it invites to
# what (that is the point of the link), so the marker check skips A's token — not B's or C's.
CREDENTIAL_KWARGS = {"token"}

EXPECTED_DENIAL = "expected sign-in redirect, 403 or 404"

# Roles that see nothing of tenant A: no page they get may carry A's marker.
OUTSIDERS = ("anonymous", "other_staff", "other_coach", "other_state")


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@dataclass
class Failure:
    url: str
    role: str
    method: str
    problem: str

    def __str__(self) -> str:
        return f"{self.method} {self.url} as {self.role}: {self.problem}"


def undeclared(urls: list[ProbeUrl]) -> list[str]:
    return [u.label for u in urls if rule_for(u) is None]


def run_probe(world: World, urlconf: str | None = None) -> list[Failure]:
    urls = collect_urls(urlconf)
    failures = [Failure(label, "-", "-", "no access rule declared") for label in undeclared(urls)]
    login_url = login_urls()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role != "anonymous":
            sign_in(clients[role], world.users[role])
    values_a = kwarg_values(world, "A")
    for url in urls:
        rule = rule_for(url)
        if rule is None:
            continue
        try:
            path_a = build_path(url, values_a)
        except LookupError as error:
            failures.append(Failure(url.label, "-", "-", str(error)))
            continue
        for role in ROLES:
            client = clients[role]
            allowed = role in ALLOWED[rule] and role in NARROWER.get(url.label, {role})
            response = client.get(path_a)
            if response.status_code >= 500:
                failures.append(
                    Failure(path_a, role, "GET", f"server error {response.status_code}")
                )
            elif (
                allowed and rule is Rule.AUTHENTICATED and is_sign_in_redirect(response, login_url)
            ):
                # Account pages may 404 on their own state (no authenticator to deactivate yet).
                failures.append(Failure(path_a, role, "GET", "sent to sign in although signed in"))
            elif (
                allowed
                and rule not in (Rule.PUBLIC, Rule.AUTHENTICATED)
                and is_denial(response, login_url)
            ):
                failures.append(
                    Failure(
                        path_a,
                        role,
                        "GET",
                        f"denied ({response.status_code}) but the rule {rule} admits this role",
                    )
                )
            elif not allowed:
                if not is_denial(response, login_url, client):
                    failures.append(
                        Failure(
                            path_a,
                            role,
                            "GET",
                            f"answered {response.status_code}; {EXPECTED_DENIAL} ({rule})",
                        )
                    )
                post = client.post(path_a, {})
                if not is_denial(post, login_url, client):
                    failures.append(
                        Failure(
                            path_a,
                            role,
                            "POST",
                            f"answered {post.status_code}; {EXPECTED_DENIAL} ({rule})",
                        )
                    )
            credential_url = bool(CREDENTIAL_KWARGS & set(url.kwarg_names))
            if role in OUTSIDERS and not credential_url and MARKER.encode() in body_of(response):
                failures.append(Failure(path_a, role, "GET", "tenant A's marker in the page"))
    failures += marker_sweep(world, urls, clients)
    return failures


def marker_sweep(world: World, urls: list[ProbeUrl], clients: dict[str, Client]) -> list[Failure]:
    """Other tenants on their own pages (B's and C's ids) must never see A's marker either."""
    failures = []
    for role, tenant in (
        ("other_staff", "B"),
        ("other_coach", "B"),
        ("other_state", "C"),
        ("anonymous", "A"),
    ):
        assert role in OUTSIDERS
        values = kwarg_values(world, tenant)
        for url in urls:
            if rule_for(url) is None or url.route.startswith("admin/"):
                continue
            if tenant == "A" and CREDENTIAL_KWARGS & set(url.kwarg_names):
                continue
            try:
                path = build_path(url, values)
            except LookupError:
                continue
            response = clients[role].get(path, follow=True)
            if MARKER.encode() in body_of(response):
                failures.append(
                    Failure(path, role, "GET", "tenant A's marker in another tenant's page")
                )
    return failures

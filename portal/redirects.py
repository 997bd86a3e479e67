"""Redirects to a page the request names (a form's `next`): only a path on this site."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_to_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Go to the POSTed `next` when it is a local path, else to `fallback` (never to another
    site, and never treat the value as a view name)."""
    target = request.POST.get("next", "")
    safe = (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    )
    return HttpResponseRedirect(target if safe else fallback)

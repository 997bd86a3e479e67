"""Per request: who is acting (for model receivers), and every file download recorded."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from audit import services
from audit.context import Actor, current


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        token = current.set(
            Actor(
                user_id=user.pk if signed_in else None,
                email=user.email if signed_in else "",
                ip=services.client_ip(request),
                path=request.get_full_path()[:500],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        disposition = response.get("Content-Disposition", "")
        if response.status_code == 200 and disposition.startswith("attachment"):
            filename = disposition.partition("filename=")[2].strip('"')
            services.record(
                "export",
                target=filename,
                detail={"content_type": response.get("Content-Type", "")},
                request=request,
            )
        return response

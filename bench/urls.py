"""The portal's URLs plus the bare view the benchmark compares every page with (bench only)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The cheapest page the stack can serve: the whole middleware chain, no database, no
    template. Its req/s is the ceiling of gunicorn + Django on this machine."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("portal.urls")),
]

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"

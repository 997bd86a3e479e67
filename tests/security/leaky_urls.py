"""A deliberately broken URLconf: proves the probe fails when a view leaks or declares nothing."""

from django.http import HttpResponse
from django.urls import include, path
from django_scopes import scopes_disabled

from grantees.models import Grantee
from portal.access import Rule, declare


@declare(Rule.GRANTEE_VIEW)  # claims the rule, but enforces nothing
def leaky_grantee_page(request, slug):
    with scopes_disabled():
        grantee = Grantee.objects.get(slug=slug)
    return HttpResponse(f"<h1>{grantee.name}</h1><p>{grantee.pathway_focus}</p>")


def undeclared_view(request):
    return HttpResponse("no rule here")


urlpatterns = [
    path("leaky/<slug:slug>/", leaky_grantee_page, name="leaky_grantee_page"),
    path("undeclared/", undeclared_view, name="undeclared_view"),
    path("", include("portal.urls")),
]

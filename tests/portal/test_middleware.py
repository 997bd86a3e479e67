"""MFA is required for staff roles; HTMX requests get messages in HX-Trigger and HX-Redirect."""

import json

from allauth.mfa.models import Authenticator

from tests.factories import PASSWORD


def test_coach_without_authenticator_reaches_only_enrollment(world, client):
    Authenticator.objects.filter(user=world.users["coach"]).delete()
    client.post("/accounts/login/", {"login": "coach@example.org", "password": PASSWORD})
    for path in ("/", "/coach/", "/g/alpha/", "/accounts/password/change/"):
        response = client.get(path)
        assert (
            response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
        ), path
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_staff_session_without_a_second_factor_must_reauthenticate(world, client):
    client.force_login(world.users["ta_admin"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/ta/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/2fa/reauthenticate/"
    )


def test_grantee_staff_do_not_need_mfa(world, client):
    client.post("/accounts/login/", {"login": "staff@example.org", "password": PASSWORD})
    assert client.get("/g/alpha/").status_code == 200


def test_coach_with_authenticator_signs_in_with_a_code(world, client):
    from tests.e2e.conftest import totp_code

    response = client.post("/accounts/login/", {"login": "coach@example.org", "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": totp_code(world.totp_secrets["coach"])}
    )
    assert response.status_code == 302
    assert client.get("/coach/").status_code == 200


def test_htmx_request_with_expired_session_gets_hx_redirect(db, client):
    response = client.get("/ta/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/accounts/login/")


def test_htmx_messages_travel_in_hx_trigger(world, client_for):
    client = client_for("ta_admin")
    person = world.users["other_staff"]
    response = client.post(
        f"/p/pathways-one/people/{person.pk}/deactivate/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 302  # a redirect carries its messages to the next page
    page = client.get("/p/pathways-one/people/?q=zzz", HTTP_HX_REQUEST="true")
    trigger = json.loads(page["HX-Trigger"])
    assert "deactivated" in trigger["portal:messages"][0]["message"]


def test_messages_merge_with_a_view_own_plain_hx_trigger(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.http import HttpResponse

    from portal.middleware import HtmxMessagesMiddleware

    def view(request):
        request._messages.add(25, "Saved.")
        response = HttpResponse("ok")
        response["HX-Trigger"] = "refreshList"
        return response

    request = rf.get("/", HTTP_HX_REQUEST="true")
    request.htmx = True
    request.session = {}
    request._messages = FallbackStorage(request)
    response = HtmxMessagesMiddleware(view)(request)
    triggers = json.loads(response["HX-Trigger"])
    assert triggers["refreshList"] is None
    assert triggers["portal:messages"] == [{"level": "success", "message": "Saved."}]

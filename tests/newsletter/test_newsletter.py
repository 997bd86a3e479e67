"""The newsletter: compose with field messages, content from the period that never carries a
grantee's own data, the PDF made in the worker, publishing to the library, e-mail to
subscribers only, and unsubscribing without signing in."""

from __future__ import annotations

import datetime
import io
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from library.models import Resource
from newsletter import selectors, services
from newsletter.models import Issue
from portal.models import Notification
from portal.services import ServiceError
from tests.world import MARKER

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def data(**changes):
    return {
        "title": "Spring newsletter",
        "period_starts_on": date(2026, 7, 1),
        "period_ends_on": date(2026, 12, 31),
        "highlights": "Eight regional trainings.\nA new toolkit.",
        "spotlight_title": "Harbor Bay's bridge",
        "spotlight_body": "How a VESL bridge filled a CNA cohort.",
        **changes,
    }


def test_compose_rules(world, client_for):
    with pytest.raises(ServiceError) as error:
        services.issue_save(
            actor=world.users["ta_admin"],
            program=world.program,
            data=data(period_ends_on=date(2026, 1, 1)),
        )
    assert error.value.field == "period_ends_on"
    with pytest.raises(PermissionDenied):
        services.issue_save(actor=world.users["state"], program=world.program, data=data())
    response = client_for("ta_admin").post(
        f"/p/{world.program.slug}/newsletter/new/",
        {**data(spotlight_body=""), "period_starts_on": "2026-07-01", "period_ends_on": "x"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid date." in body and "both a title and a story" in body


def test_content_is_program_wide_and_never_a_grantee_s_own(world):
    public = Resource.objects.create(
        title="Employer engagement toolkit",
        kind="toolkit",
        audience="everyone",
        visibility="portal",
        status="published",
        published_at=datetime.datetime(2026, 7, 15, 12, tzinfo=datetime.UTC),
        external_url="https://example.org/t",
    )
    world.resource.published_at = public.published_at
    world.resource.status = "published"
    world.resource.save()
    content = selectors.issue_content(world.newsletter)
    assert public in content.resources
    assert world.resource not in content.resources  # A's own resource (title has the marker)
    assert dict(content.figures)["Consortia in the program"] == "2"


def make_pdf(world, issue=None):
    issue = issue or world.newsletter
    services.issue_generate(actor=world.users["ta_admin"], issue=issue)
    with scope():  # a bare worker: scoping on, nothing in scope
        return services.issue_render_pdf(issue.pk)


def test_pdf_is_made_in_the_worker_with_its_own_scope(world):
    issue = make_pdf(world)
    assert issue.status == Issue.Status.READY
    with issue.pdf.open("rb") as pdf:
        text = pdf_text(pdf.read())
    assert "Pathways One newsletter, fall" in text and "Key figures" in text
    assert MARKER not in text
    assert services.issue_render_pdf(issue.pk) is None  # a second delivery does nothing


def test_publish_files_the_pdf_and_mails_subscribers_only(
    world, django_capture_on_commit_callbacks
):
    services.subscription_set(user=world.users["staff"], subscribed=True)
    services.subscription_set(user=world.users["lead"], subscribed=False)
    services.subscription_set(user=world.users["other_state"], subscribed=True)  # other program
    draft = services.issue_save(actor=world.users["ta_admin"], program=world.program, data=data())
    with pytest.raises(ServiceError) as error:
        services.issue_publish(actor=world.users["ta_admin"], issue=draft)
    assert "Make the PDF first" in error.value.messages[0]
    issue = make_pdf(world)
    with django_capture_on_commit_callbacks(execute=True):
        issue = services.issue_publish(actor=world.users["ta_admin"], issue=issue)
    assert issue.status == Issue.Status.PUBLISHED
    resource = issue.resource
    assert (resource.visibility, resource.program, resource.status) == (
        "program",
        world.program,
        "published",
    )
    assert resource.file.name.endswith(".pdf")
    notes = Notification.objects.filter(kind="newsletter", key=f"newsletter:{issue.pk}")
    assert {n.recipient for n in notes} == {world.users["staff"]}
    issue.refresh_from_db()
    assert issue.recipients == 1
    assert services.issue_send(issue.pk) == 0  # a rerun e-mails nobody twice
    with pytest.raises(ServiceError):
        services.issue_save(
            actor=world.users["ta_admin"], program=world.program, data=data(), issue=issue
        )


def test_unsubscribe_link_works_without_signing_in(
    world, client, django_capture_on_commit_callbacks
):
    staff = world.users["staff"]
    services.subscription_set(user=staff, subscribed=True)
    issue = make_pdf(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_publish(actor=world.users["ta_admin"], issue=issue)
    body = Notification.objects.get(kind="newsletter", recipient=staff).body
    path = re.search(r"https?://[^/]+(/newsletter/unsubscribe/[^/\s]+/)", body).group(1)
    page = client.get(path)
    assert page.status_code == 200 and staff.email in page.content.decode()
    assert selectors.is_subscribed(staff)  # looking does not unsubscribe (mail scanners look)
    done = client.post(path)
    assert "will no longer receive the newsletter" in done.content.decode()
    assert not selectors.is_subscribed(staff)
    assert client.get("/newsletter/unsubscribe/forged-token/").status_code == 404


def test_settings_page_subscribes(world, client_for):
    client = client_for("lead")
    client.post("/newsletter/subscription/", {"subscribed": "on"})
    assert selectors.is_subscribed(world.users["lead"])
    assert (
        "checked"
        in client.get("/me/settings/").content.decode().split("newsletter-subscribed")[1][:80]
    )
    client.post("/newsletter/subscription/", {})
    assert not selectors.is_subscribed(world.users["lead"])


def test_pages_for_the_program_s_ta_admins(world, client_for):
    base = f"/p/{world.program.slug}/newsletter/"
    client = client_for("ta_admin")
    assert "Pathways One newsletter, fall" in client.get(base).content.decode()
    preview = client.get(f"{base}{world.newsletter.pk}/").content.decode()
    assert "Key figures" in preview and "Make the PDF" in preview
    assert client_for("state").get(base).status_code in (403, 404)
    assert client_for("coach").get(f"{base}{world.newsletter.pk}/").status_code in (403, 404)


def test_newsletter_pages_keep_their_query_count(world, client_for):
    from tests.budget import assert_constant_queries

    def grow(n):
        for i in range(n):
            services.issue_save(
                actor=world.users["ta_admin"], program=world.program, data=data(title=f"N {i}")
            )
            Resource.objects.create(
                title=f"Brief {i}",
                kind="brief",
                audience="everyone",
                visibility="portal",
                status="published",
                published_at=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC),
                external_url="https://example.org/b",
            )

    client = client_for("ta_admin")
    base = f"/p/{world.program.slug}/newsletter/"
    assert_constant_queries(client, base, grow=grow)
    assert_constant_queries(client, f"{base}{world.newsletter.pk}/", grow=grow)

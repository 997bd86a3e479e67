"""Writes for the newsletter: compose, make the PDF (in the worker), publish (library + e-mail),
and each person's subscription."""

from __future__ import annotations

import logging

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from grantees.models import Program, User
from newsletter.models import Issue, Subscription
from portal.notifications import notify
from portal.roles import ensure_program_admin
from portal.services import ServiceError
from portal.uploads import safe_filename

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "newsletter-unsubscribe"
FIELDS = (
    "title",
    "period_starts_on",
    "period_ends_on",
    "highlights",
    "spotlight_title",
    "spotlight_body",
)


@transaction.atomic
def issue_save(*, actor: User, program: Program, data: dict, issue: Issue | None = None) -> Issue:
    """Compose or change an issue; a changed issue needs its PDF made again."""
    ensure_program_admin(actor, program.pk)
    if data["period_ends_on"] < data["period_starts_on"]:
        raise ServiceError("The period must end on or after it starts.", field="period_ends_on")
    if issue is None:
        issue = Issue(program=program, created_by=actor)
    elif not issue.editable:
        raise ServiceError("A published issue can no longer change.")
    for name in FIELDS:
        setattr(issue, name, data.get(name, ""))
    if issue.pk and issue.pdf:
        issue.pdf.delete(save=False)
    issue.status, issue.error = Issue.Status.DRAFT, ""
    issue.save()
    return issue


@transaction.atomic
def issue_generate(*, actor: User, issue: Issue) -> Issue:
    """Queue the PDF; the worker makes it."""
    from newsletter.tasks import generate_issue_pdf

    ensure_program_admin(actor, issue.program_id)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.editable:
        raise ServiceError("This issue is published.")
    issue.status, issue.error = Issue.Status.GENERATING, ""
    issue.save(update_fields=["status", "error"])
    transaction.on_commit(lambda: generate_issue_pdf.delay(issue.pk), robust=True)
    return issue


def issue_render_pdf(issue_id: int) -> Issue | None:
    """The worker's part: render the PDF with the issue creator's view of the program (a worker
    has no request scope) and store it; a failure is kept on the issue with its reason."""
    from newsletter.selectors import issue_content
    from portal.pdf import render_pdf

    issue = Issue.objects.select_related("program", "created_by").filter(pk=issue_id).first()
    if issue is None or issue.status != Issue.Status.GENERATING:
        return None  # changed or published since it was queued, or a second delivery
    try:
        roles = ensure_program_admin(issue.created_by, issue.program_id)
        with scope(grantee=roles.grantees_in_program(issue.program_id)):
            content = issue_content(issue)
        pdf = render_pdf("newsletter/pdf.html", {"content": content, "issue": issue})
    except Exception as error:  # noqa: BLE001 - the reason is shown to the TA admin
        logger.exception("Newsletter %s PDF failed", issue_id)
        Issue.objects.filter(pk=issue_id, status=Issue.Status.GENERATING).update(
            status=Issue.Status.FAILED, error=f"{type(error).__name__}: {error}"[:1000]
        )
        return Issue.objects.get(pk=issue_id)
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        if issue.status != Issue.Status.GENERATING:
            return None
        issue.pdf.save(f"{safe_filename(issue.title, 'pdf')}", ContentFile(pdf), save=False)
        issue.status = Issue.Status.READY
        issue.save(update_fields=["pdf", "status"])
    return issue


@transaction.atomic
def issue_publish(*, actor: User, issue: Issue) -> Issue:
    """File the PDF in the library (the program's archive) and e-mail the subscribers."""
    from library import services as library_services
    from newsletter.tasks import send_issue

    ensure_program_admin(actor, issue.program_id)
    issue = Issue.objects.select_for_update().select_related("program").get(pk=issue.pk)
    if issue.status == Issue.Status.PUBLISHED:
        raise ServiceError("This issue is published already.")
    if issue.status != Issue.Status.READY:
        raise ServiceError("Make the PDF first, then publish.")
    with issue.pdf.open("rb") as data:
        upload = SimpleUploadedFile(
            safe_filename(issue.title, "pdf"), data.read(), content_type="application/pdf"
        )
    resource = library_services.resource_create(
        actor=actor,
        data={
            "title": issue.title,
            "summary": issue.highlights[:600],
            "kind": "brief",
            "audience": "everyone",
            "visibility": "program",
            "program": issue.program,
            "publish": True,
        },
        upload=upload,
    )
    issue.resource = resource
    issue.status = Issue.Status.PUBLISHED
    issue.published_at = timezone.now()
    issue.save(update_fields=["resource", "status", "published_at"])
    transaction.on_commit(lambda: send_issue.delay(issue.pk), robust=True)
    return issue


def issue_send(issue_id: int) -> int:
    """E-mail a published issue to the program's subscribers, once each (a rerun finds the
    notifications already recorded)."""
    from newsletter.selectors import subscribers

    issue = Issue.objects.select_related("program", "resource").get(pk=issue_id)
    if issue.status != Issue.Status.PUBLISHED:
        return 0
    url = reverse("resource_detail", args=[issue.resource_id]) if issue.resource_id else ""
    created = notify(
        recipients=list(subscribers(issue.program)),
        kind="newsletter",
        key=f"newsletter:{issue.pk}",
        subject=issue.title,
        template="newsletter/email/issue.txt",
        context={"issue": issue},
        url=url,
    )
    Issue.objects.filter(pk=issue.pk).update(recipients=issue.recipients + len(created))
    return len(created)


# --- Subscriptions --------------------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_token(token: str) -> User | None:
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)["u"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return User.objects.filter(pk=user_id).first()


@transaction.atomic
def subscription_set(*, user: User, subscribed: bool) -> Subscription:
    subscription, _ = Subscription.objects.update_or_create(
        user=user, defaults={"subscribed": subscribed}
    )
    return subscription

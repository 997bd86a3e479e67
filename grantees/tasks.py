"""Background work for grantees: e-mail goes out from the worker, never from the request."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scopes_disabled

from grantees.models import Invitation


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def send_invitation_email(self, invitation_id: int, token: str) -> None:
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("grantee", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
    if invitation is None or not invitation.is_open:
        return  # withdrawn or used before the worker got to it: nothing to send
    context = {
        "invitation": invitation,
        "accept_url": settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token]),
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"You're invited to {invitation.grantee.name} on the {settings.SITE_NAME}",
        body=render_to_string("grantees/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("grantees/email/invitation.html", context), "text/html"
    )
    try:
        message.send()
    except OSError as error:  # SMTP down: try again later with backoff
        raise self.retry(exc=error) from error

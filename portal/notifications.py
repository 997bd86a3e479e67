"""Create notifications exactly once and mail them from the worker.

Services call `notify(...)` inside their transaction; the row and the e-mail job commit together,
so a rolled-back action tells nobody. Enqueueing is `robust`: with the broker down the action
still succeeds and the row waits. A lost or never-sent broker message is picked up by the sweep
(`portal.tasks.send_pending_notifications`), and sending locks the row, so nobody gets it twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from portal.models import Notification


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


def notify(
    *,
    recipients: Iterable,
    kind: str,
    key: str,
    subject: str,
    template: str,
    context: dict,
    url: str = "",
    attachment: Attachment | None = None,
) -> list[Notification]:
    """Record one notification per recipient for this occasion; an occasion already recorded for
    a recipient is skipped. Returns the rows created now."""
    from portal.tasks import send_notification

    created = []
    full_url = settings.SITE_URL.rstrip("/") + url if url else ""
    for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
        body = render_to_string(
            template,
            {**context, "recipient": recipient, "url": full_url, "site_name": settings.SITE_NAME},
        ).strip()
        try:
            with transaction.atomic():
                row = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    key=key,
                    subject=subject,
                    body=body,
                    url=url,
                    attachment_name=attachment.filename if attachment else "",
                    attachment_type=attachment.mimetype if attachment else "",
                    attachment=attachment.content if attachment else "",
                )
        except IntegrityError:
            continue  # this person was already told about this occasion
        created.append(row)
        transaction.on_commit(lambda pk=row.pk: send_notification.delay(pk), robust=True)
    return created

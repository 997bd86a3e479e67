"""Portal-wide periodic housekeeping (scheduled by Celery beat in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Delete expired sessions (what `manage.py clearsessions` does), so the table stays small."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def notification_message_id(notification_id: int) -> str:
    """The same Message-ID on every attempt: if a worker dies after the mail server accepted a
    message but before the row was marked sent, the retry's copy carries the same id, and mail
    systems show one message (they de-duplicate by Message-ID)."""
    from urllib.parse import urlsplit

    from django.conf import settings

    domain = urlsplit(settings.SITE_URL).hostname or "pathways.invalid"
    return f"<notification-{notification_id}@{domain}>"


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def send_notification(self, notification_id: int) -> bool:
    """Mail one notification unless it has gone out already. Returns whether it was sent now."""
    from django.core.mail import EmailMessage
    from django.db import transaction

    from portal.models import Notification

    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        try:
            message = EmailMessage(
                row.subject,
                row.body,
                None,
                [row.recipient.email],
                headers={"Message-ID": notification_message_id(row.pk)},
            )
            if row.attachment:
                message.attach(row.attachment_name, row.attachment, row.attachment_type)
            message.send()
        except OSError as error:  # SMTP down: the row stays unsent; retry with backoff
            raise self.retry(exc=error) from error
        row.sent_at = timezone.now()
        row.save(update_fields=["sent_at"])
    return True


@shared_task
def send_pending_notifications() -> int:
    """Beat sweep: enqueue notifications whose job was lost (broker restart, worker crash)."""
    from datetime import timedelta

    from portal.models import Notification

    stale = timezone.now() - timedelta(minutes=5)
    ids = list(
        Notification.objects.filter(sent_at__isnull=True, created_at__lt=stale)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)

"""A notification job that dies after the mail server took the message, and is retried: the row
is sent once more at most, and both copies carry one Message-ID, so the person sees one e-mail."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail

from portal.models import Notification
from portal.notifications import notify
from portal.tasks import notification_message_id, send_notification


def test_a_retry_after_a_crash_resends_with_the_same_message_id(world, mailoutbox):
    [row] = notify(
        recipients=[world.users["lead"]],
        kind="test",
        key="crash-retry",
        subject="Hello",
        template="support_hours/email/request_submitted.txt",
        context={},
    )
    mail.outbox.clear()
    # The worker dies after the SMTP server accepted the message, before the row is marked.
    with (
        mock.patch.object(Notification, "save", side_effect=SystemExit("worker killed")),
        pytest.raises(SystemExit),
    ):
        send_notification.run(row.pk)
    row.refresh_from_db()
    assert row.sent_at is None and len(mail.outbox) == 1
    assert send_notification.run(row.pk) is True  # the retry
    assert send_notification.run(row.pk) is False  # and a duplicate delivery sends nothing
    assert len(mail.outbox) == 2
    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert ids == {notification_message_id(row.pk)}

"""Redis stopped while people use the portal: pages and registrations still work (the cache
fails open, enqueueing fails fast and is `robust`), and the e-mails go out exactly once when
the beat sweep runs after Redis is back.

The app runs in its own process against a Redis port nobody listens on, as a server would."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from events.models import Registration
from portal.models import Notification
from portal.tasks import send_pending_notifications

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APP = r"""
import json, sys, uuid
import django
django.setup()
from django.test import Client
from grantees.models import User

client = Client()
client.force_login(User.objects.get(email="lead@example.org"))
event_id, lead_id = int(sys.argv[1]), int(sys.argv[2])
pages = [client.get(path).status_code for path in ("/g/alpha/", "/g/alpha/events/")]
response = client.post(
    f"/g/alpha/events/{event_id}/register/",
    {"person": lead_id, "needs": "", "form_key": uuid.uuid4().hex},
)
# Sign-in's rate limit counts failures in the cache: with Redis down it must still answer.
failed = Client().post("/accounts/login/", {"login": "lead@example.org", "password": "wrong"})
print(json.dumps({"pages": pages, "register": response.status_code, "sign_in": failed.status_code}))
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free now, and nothing will listen on it


def test_registration_works_with_redis_down_and_mail_goes_out_once_after(mailoutbox):
    from tests.world import build_world

    world = build_world()
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "development",
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/"
        f"{connection.settings_dict['NAME']}",
        "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        "PYTHONPATH": str(Path(settings.BASE_DIR)),
    }
    sent_before = set(
        Notification.objects.filter(sent_at__isnull=False).values_list("pk", flat=True)
    )
    result = subprocess.run(
        [sys.executable, "-c", APP, str(world.event.pk), str(world.users["lead"].pk)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    expected = {"pages": [200, 200], "register": 302, "sign_in": 200}
    assert outcome == expected, (outcome, result.stderr[-2000:])
    assert Registration.objects.filter(event=world.event, person=world.users["lead"]).exists()

    waiting = Notification.objects.filter(sent_at__isnull=True).exclude(pk__in=sent_before)
    told = list(waiting.filter(recipient=world.users["lead"]).values_list("pk", flat=True))
    assert told, "the registration's confirmation waits for the broker"

    # Redis is back: the beat sweep sends what waited, once, however often it runs.
    Notification.objects.filter(pk__in=told).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    mail.outbox.clear()
    send_pending_notifications()
    send_pending_notifications()
    to_lead = [m for m in mail.outbox if m.to == [world.users["lead"].email]]
    assert len(to_lead) == len(told)
    assert not Notification.objects.filter(pk__in=told, sent_at__isnull=True).exists()

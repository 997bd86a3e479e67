"""Writing the audit log. Recording never breaks the action it records: a failure to write is
logged and the action goes on."""

from __future__ import annotations

import logging

from django.db import transaction

from audit.context import Actor, current
from audit.models import AuditEvent

logger = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    # Behind the reverse proxy the app listens on 127.0.0.1 only; the proxy sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


def record(kind: str, *, target: str = "", detail: dict | None = None, user=None, request=None):
    """Append one event. The actor comes from `user`/`request`, else the current request."""
    actor = current.get() or Actor()
    if request is not None:
        user = user or getattr(request, "user", None)
        ip, path = client_ip(request), request.get_full_path()[:500]
    else:
        ip, path = actor.ip, actor.path
    if user is not None and getattr(user, "is_authenticated", False):
        user_id, email = user.pk, user.email
    else:
        user_id, email = actor.user_id, actor.email
    try:
        with transaction.atomic():
            return AuditEvent.objects.create(
                kind=kind,
                actor_id=user_id,
                actor_email=email or "",
                ip=ip,
                path=path,
                target=target[:200],
                detail=detail or {},
            )
    except Exception:  # noqa: BLE001 - the audit must not undo what it records
        logger.exception("Could not write the audit event %s", kind)
        return None

"""Who is acting, for receivers that only see a model instance: set per request by
audit.middleware.AuditContextMiddleware, empty in workers and management commands."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    email: str = ""
    ip: str | None = None
    path: str = ""


current: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)

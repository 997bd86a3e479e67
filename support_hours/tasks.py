"""Periodic sweeps over database state (Celery beat): safe to run twice, safe to miss a run."""

from __future__ import annotations

from celery import shared_task

from support_hours import services


@shared_task
def hour_alerts_sweep() -> int:
    """Warn leads and TA admins when hours cross 25 %, 10 hours and zero (each once)."""
    return services.hour_alerts_sweep()


@shared_task
def sessions_auto_confirm() -> int:
    """Count sessions nobody confirmed or disputed in time as confirmed."""
    return services.sessions_auto_confirm()

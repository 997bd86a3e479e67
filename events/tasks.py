"""Events' periodic work (scheduled by Celery beat in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from events import services


@shared_task
def send_event_reminders() -> int:
    """Sweep seats whose reminder moment has passed; the Notification key makes it once."""
    return services.event_reminders_sweep()


@shared_task
def publish_filed_materials() -> int:
    """Publish library copies of recordings and slides once their event is over."""
    return services.publish_filed_materials()

"""Booking's periodic work (scheduled by Celery beat in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from booking import services


@shared_task
def send_booking_reminders() -> int:
    """Sweep bookings whose reminder moment has passed; the Notification key makes it once."""
    return services.booking_reminders_sweep()

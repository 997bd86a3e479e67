from celery import shared_task

from library import services


@shared_task(acks_late=True)
def extract_resource_text(resource_id: int) -> bool:
    """Read an uploaded document's text into the search index (safe to run twice)."""
    return services.extract_text(resource_id)

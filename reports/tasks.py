from celery import shared_task

from reports import services


@shared_task(acks_late=True)
def run_export(job_id: int) -> bool:
    """Run one export job. A second delivery of the same job finds it done and does nothing."""
    return services.export_run(job_id) is not None


@shared_task
def expire_exports() -> int:
    return services.exports_expire()

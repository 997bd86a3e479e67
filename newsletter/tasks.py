from celery import shared_task

from newsletter import services


@shared_task(acks_late=True)
def generate_issue_pdf(issue_id: int) -> bool:
    return services.issue_render_pdf(issue_id) is not None


@shared_task(acks_late=True)
def send_issue(issue_id: int) -> int:
    return services.issue_send(issue_id)

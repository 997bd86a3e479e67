"""Demo newsletter: the fall issue published (PDF in the library, e-mailed to the demo people
who subscribed) and a spring issue in draft."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grantees.models import Program, User
from newsletter import services
from newsletter.models import Issue


def seed_newsletter_demo(*, program: Program, ta_admin: User, subscribers: list[User]) -> None:
    for person in subscribers:
        services.subscription_set(user=person, subscribed=True)
    today = timezone.localdate()
    fall = services.issue_save(
        actor=ta_admin,
        program=program,
        data={
            "title": f"{program.name}: fall newsletter",
            "period_starts_on": program.starts_on,
            "period_ends_on": today - timedelta(days=1),
            "highlights": "The eight regional trainings on labor-market data began.\n"
            "Every consortium finished its baseline needs assessment.\n"
            "The IET co-teaching toolkit is in the library.",
            "spotlight_title": "Harbor Bay's VESL bridge",
            "spotlight_body": "Harbor Bay paired an ESL and a CNA instructor for a contextualized "
            "bridge. Twenty-two learners started; nineteen moved on to the CNA course.",
        },
    )
    Issue.objects.filter(pk=fall.pk).update(status=Issue.Status.GENERATING)
    fall = services.issue_render_pdf(fall.pk)
    fall = services.issue_publish(actor=ta_admin, issue=fall)
    # Searchable at once, as the rest of the demo library (the worker would do it later).
    from library.services import extract_text

    extract_text(fall.resource_id)
    services.issue_save(
        actor=ta_admin,
        program=program,
        data={
            "title": f"{program.name}: spring newsletter",
            "period_starts_on": today,
            "period_ends_on": program.ends_on,
            "highlights": "Draft: the statewide convening, midpoint assessments.",
            "spotlight_title": "",
            "spotlight_body": "",
        },
    )

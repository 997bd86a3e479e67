"""Demo data for booking: coaches' 1:1 hours, the program's monthly office hours, bookings.

Loaded by `manage.py seed_demo` after the support-hour demo (bookings hold those hours).
"""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from booking import selectors, services
from grantees.models import Grantee, Program, Topic, User
from portal.models import Notification


def seed_booking_demo(*, program: Program, ta_admin: User, today=None) -> None:
    today = today or timezone.localdate()
    coaches = list(
        User.objects.filter(
            coach_profile__is_active=True, coach_assignments__grantee__program=program
        )
        .distinct()
        .order_by("email")
    )
    for index, coach in enumerate(coaches):
        # Mornings Tuesday–Thursday for one coach, afternoons Monday–Wednesday for the next.
        days, start, end = (
            ((1, 2, 3), time(9), time(12))
            if index % 2 == 0
            else ((0, 1, 2), time(13), time(16, 30))
        )
        services.schedule_update(
            actor=coach,
            settings={
                "meeting_url": f"https://meet.example.org/{coach.email.split('@')[0]}",
                "minimum_notice_hours": 24,
            },
            windows=[{"weekday": d, "starts_at": start, "ends_at": end} for d in days],
        )
    if not coaches:
        return
    topics = {t.name: t for t in Topic.objects.all()}
    first_of_month = today.replace(day=1)
    services.office_hours_create(
        actor=ta_admin,
        program=program,
        data={
            "title": "Monthly office hours: pathway design",
            "topic": topics.get("Pathway design & program models"),
            "description": "Bring a question about your healthcare pathway: contextualized ESL, "
            "IET design, clinical placements or employer partners. 20-minute slots.",
            "frequency": "monthly",
            "week_of_month": 2,
            "weekday": 1,  # 2nd Tuesday
            "starts_at": time(10),
            "ends_at": time(12),
            "time_zone": "America/Los_Angeles",
            "first_date": first_of_month,
            "last_date": min(program.ends_on, first_of_month + timedelta(days=365)),
            "format": "slots",
            "slot_minutes": 20,
            "hosts": coaches[:1],
            "meeting_url": "https://meet.example.org/pathways-office-hours",
        },
    )
    services.office_hours_create(
        actor=ta_admin,
        program=program,
        data={
            "title": "Community of practice drop-in: ESL for healthcare",
            "description": "An open hour to swap what works in contextualized ESL classes.",
            "frequency": "monthly",
            "week_of_month": -1,
            "weekday": 3,  # last Thursday
            "starts_at": time(15),
            "ends_at": time(16),
            "time_zone": "America/Los_Angeles",
            "first_date": first_of_month,
            "last_date": min(program.ends_on, first_of_month + timedelta(days=365)),
            "format": "drop_in",
            "capacity": 25,
            "topic": topics.get("Contextualized ESL / VESL instruction"),
            "hosts": coaches[-1:],
            "meeting_url": "https://meet.example.org/esl-cop",
        },
    )
    _demo_bookings(program=program)
    # Demo history is not news: nobody should get a backlog of e-mails on the first run.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())


def _demo_bookings(*, program: Program) -> None:
    with scopes_disabled():
        grantees = sorted(
            Grantee.objects.filter(program=program),
            # Harbor Bay first: the demo's lead and staff logins belong to it.
            key=lambda g: (g.slug != "harbor-bay", g.name),
        )
        for grantee in grantees[:4]:
            members = sorted(
                User.objects.filter(memberships__grantee=grantee),
                # The demo logins book, so people signing in see their own bookings.
                key=lambda u: (u.email not in ("staff@example.org", "lead@example.org"), u.email),
            )
            coaches = selectors.matched_coaches(grantee=grantee)
            if not members or not coaches:
                continue
            schedule = coaches[0].booking_schedule
            slots = selectors.next_free_slots(
                schedule=schedule,
                zone=schedule.time_zone,
                after=timezone.localdate() + timedelta(days=3),
                count=1,
            )
            if slots:
                services.book_one_on_one(
                    actor=members[1] if len(members) > 1 else members[0],
                    grantee=grantee,
                    coach=coaches[0],
                    starts_at=slots[0].starts_at,
                    note="Plan the employer advisory meeting for the CNA pathway.",
                    key=f"demo-1on1:{grantee.pk}",
                )
            upcoming = selectors.upcoming_office_hours(grantee=grantee)
            slotted = [o for o in upcoming if o.series.format == "slots"]
            if slotted:
                occurrence = slotted[0]
                free = [
                    p for p in selectors.occurrence_places(occurrence=occurrence) if not p.taken
                ]
                if free:
                    services.book_office_hours(
                        actor=members[0],
                        grantee=grantee,
                        occurrence=occurrence,
                        starts_at=free[0].starts_at,
                        note="How do other consortia schedule clinical hours?",
                        key=f"demo-office-hours:{grantee.pk}",
                    )

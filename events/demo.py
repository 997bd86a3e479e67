"""Demo data for events: the year's eight regional trainings, four quarterly communities of
practice, six webinars and the statewide convening, with registrations, one full event with a
waiting list, and past events. Venues are fictional addresses in each region."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_scopes import scopes_disabled

from events import services
from events.models import Event, Registration
from grantees.models import Grantee, Program, Region, Topic, User
from portal.demo_files import pdf_upload
from portal.models import Notification

PACIFIC = ZoneInfo("America/Los_Angeles")

# (region, fictional venue, fictional address) — one full-day training per region.
TRAININGS = [
    ("North/Far North", "Riverbend Adult Learning Center", "1200 Levee Road, Sacramento, CA"),
    ("Bay Area", "Harborview Adult School, Room 12", "455 Estuary Way, Oakland, CA"),
    ("Central Valley/Mother Lode", "Valley Oak Education Center", "87 Orchard Lane, Fresno, CA"),
    ("South Central Coast", "Mesa Verde Community Hall", "3 Mission Terrace, Ventura, CA"),
    ("Los Angeles", "Eastside Career Campus", "2100 Arroyo Avenue, Los Angeles, CA"),
    ("Orange County", "Bayfront Learning Commons", "16 Citrus Court, Santa Ana, CA"),
    (
        "Inland Empire/Desert",
        "Desert Bloom Training Center",
        "740 Palm Canyon Drive, Riverside, CA",
    ),
    ("San Diego/Imperial", "Border Region Skills Center", "9 Harbor Mesa Road, Chula Vista, CA"),
]
WEBINARS = [
    ("Regional labor markets for healthcare pathways", "Labor-market data & priority occupations"),
    ("Who our learners are: ELL populations and their goals", "Outreach, intake & navigation"),
    ("Acceleration strategies: IET and co-teaching", "Integrated Education and Training (IET)"),
    ("Healthcare apprenticeship models that work", "Pre-apprenticeship & apprenticeship"),
    ("Employer engagement for clinical placements", "Employer engagement"),
    (
        "Choosing a pathway model: bridge, pre-apprenticeship or apprenticeship",
        "Pathway design & program models",
    ),
]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PACIFIC)


def seed_events_demo(*, program: Program, ta_admin: User, today=None) -> None:
    today = today or timezone.localdate()
    regions = {r.name: r for r in Region.objects.all()}
    topics = {t.name: t for t in Topic.objects.all()}
    events: list[Event] = []
    coaches = list(
        User.objects.filter(
            coach_profile__is_active=True, coach_assignments__grantee__program=program
        )
        .distinct()
        .order_by("email")
    )

    def create(**data) -> Event:
        # Past events were announced well before they happened.
        data.setdefault("registration_opens_at", data["starts_at"] - timedelta(days=60))
        data.setdefault("registration_closes_at", data["starts_at"] - timedelta(hours=12))
        data.setdefault("organizers", coaches[:1])
        event = services.event_create(actor=ta_admin, program=program, data=data)
        events.append(event)
        return event

    for index, (region, venue, address) in enumerate(TRAININGS):
        day = today + timedelta(days=-75 + index * 40)
        create(
            kind=Event.Kind.REGIONAL_TRAINING,
            title=f"{region} regional training: building ELL healthcare pathways",
            description="A full day of hands-on work on pathway design, contextualized ESL and "
            "employer partnerships, with a panel of local employers and workforce boards.",
            region=regions.get(region),
            topic=topics.get("Pathway design & program models"),
            format=Event.Format.IN_PERSON,
            venue=venue,
            address=address,
            parking="Free parking in the lot behind the building.",
            accessibility_notes="Step-free entrance; captioning and interpreters on request.",
            starts_at=_at(day, 9),
            ends_at=_at(day, 15, 30),
            capacity=4 if index == 2 else 60,  # one small room fills up
            per_grantee_cap=4,
            # The year's last trainings are for their own region's grantees only.
            audience_regions=[regions[region]] if index >= 5 and region in regions else [],
        )
    cop = services.series_create(
        actor=ta_admin,
        program=program,
        data={
            "title": "Community of practice: contextualized ESL",
            "description": "Four quarterly sessions where peers share what works in "
            "healthcare-contextualized ESL classes. One registration covers the year.",
            "registration_mode": "series",
        },
    )
    for quarter in range(4):
        day = today + timedelta(days=-45 + quarter * 91)
        create(
            series=cop,
            kind=Event.Kind.COMMUNITY_OF_PRACTICE,
            title=f"Community of practice, quarter {quarter + 1}: contextualized ESL",
            description="Peers share what works in healthcare-contextualized ESL classes.",
            topic=topics.get("Contextualized ESL / VESL instruction"),
            format=Event.Format.VIRTUAL,
            meeting_url="https://meet.example.org/cop-esl",
            starts_at=_at(day, 14),
            ends_at=_at(day, 15, 30),
            capacity=80,
        )
    for index, (title, topic) in enumerate(WEBINARS):
        day = today + timedelta(days=-30 + index * 21)
        create(
            kind=Event.Kind.WEBINAR,
            title=f"Webinar: {title}",
            topic=topics.get(topic),
            format=Event.Format.VIRTUAL,
            meeting_url=f"https://meet.example.org/webinar-{index + 1}",
            starts_at=_at(day, 11),
            ends_at=_at(day, 12),
            capacity=300,
        )
    day = today + timedelta(days=150)
    create(
        kind=Event.Kind.CONVENING,
        title="Statewide convening: ELL healthcare career pathways",
        description="Two tracks, employer keynotes and a poster walk of every consortium's work.",
        format=Event.Format.IN_PERSON,
        venue="Capitol Conference Center",
        address="1500 Capitol Mall, Sacramento, CA",
        parking="Validated parking in the Capitol Mall garage.",
        accessibility_notes="Step-free throughout; quiet room; live captions in both halls.",
        starts_at=_at(day, 8, 30),
        ends_at=_at(day, 16, 30),
        capacity=250,
        per_grantee_cap=6,
        registration_opens_at=_at(today + timedelta(days=20), 0),  # announced ahead of time
    )
    _demo_agenda_and_materials(ta_admin=ta_admin, events=events)
    _demo_registrations(program=program, events=events)
    _demo_series(program=program, series=cop)
    _demo_walk_in(ta_admin=ta_admin, events=events)
    _demo_feedback(ta_admin=ta_admin, events=events)
    # Demo history is not news: nobody should get a backlog of e-mails on the first run.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())


def _demo_registrations(*, program: Program, events: list[Event]) -> None:
    """Register each grantee's people for a spread of events, as of when registration was open
    (past events too), so the small Central Valley room fills and has a waiting list."""
    with scopes_disabled():
        grantees = list(Grantee.objects.filter(program=program).order_by("name"))
        for g_index, grantee in enumerate(grantees):
            people = list(User.objects.filter(memberships__grantee=grantee).order_by("email"))
            for e_index, event in enumerate(events):
                if (g_index + e_index) % 3 and event.capacity > 4:
                    continue
                if event.series_id or not event.open_to(grantee):
                    continue  # series have their own registration; some trainings are regional
                if event.registration_opens_at > timezone.now():
                    continue  # not open yet
                for person in people[:2]:
                    when = min(
                        event.registration_opens_at + timedelta(days=1 + g_index),
                        event.registration_closes_at - timedelta(minutes=1),
                    )
                    services.registration_create(
                        actor=person,
                        grantee=grantee,
                        event=event,
                        person=person,
                        needs="Vegetarian lunch" if (g_index + e_index) % 4 == 0 else "",
                        key=f"demo-registration:{event.pk}:{person.pk}",
                        now=when,
                    )
        _check_in_past_events()


def _check_in_past_events() -> None:
    """Most people with a seat at a past event came; every seventh did not."""
    with scopes_disabled():
        for registration in Registration.objects.filter(
            event__ends_at__lt=timezone.now(),
            status=Registration.Status.CONFIRMED,
            checked_in_at__isnull=True,
        ).select_related("event"):
            if registration.pk % 7 == 0:
                continue
            registration.checked_in_at = registration.event.starts_at
            registration.save(update_fields=["checked_in_at"])


def _demo_series(*, program: Program, series) -> None:
    """Every other grantee's lead registered for the whole community-of-practice series before
    the first session."""
    first = series.sessions.order_by("starts_at").first()
    with scopes_disabled():
        grantees = list(Grantee.objects.filter(program=program).order_by("name"))
        for grantee in grantees[::2]:
            person = (
                User.objects.filter(memberships__grantee=grantee)
                .order_by("memberships__role", "email")  # "lead" sorts first
                .first()
            )
            if person is None:
                continue
            services.series_enroll(
                actor=person,
                grantee=grantee,
                series=series,
                person=person,
                needs="",
                key=f"demo-series:{series.pk}:{person.pk}",
                now=first.registration_opens_at + timedelta(days=1),
            )
    _check_in_past_events()


def _demo_walk_in(*, ta_admin: User, events: list[Event]) -> None:
    """At the first regional training, two people turned up without registering."""
    training = next(e for e in events if e.kind == Event.Kind.REGIONAL_TRAINING)
    with scopes_disabled():
        grantee = Grantee.objects.filter(program=training.program).order_by("name").first()
    for name in ("Rosa Diaz", "Samuel Okafor"):
        services.walk_in_add(
            actor=ta_admin,
            event=training,
            grantee=grantee,
            full_name=name,
            now=training.starts_at + timedelta(minutes=10),
        )


def _demo_agenda_and_materials(*, ta_admin: User, events: list[Event]) -> None:
    for event in events:
        if event.kind == Event.Kind.REGIONAL_TRAINING:
            day = event.starts_at
            for start, end, title, speakers in (
                (
                    0,
                    90,
                    "Your region's healthcare jobs: what the data says",
                    "Regional labor-market analyst",
                ),
                (
                    105,
                    195,
                    "Employer panel: hiring English learners into healthcare",
                    "Dana Ruiz, Valley Health (employer)\n"
                    "Marco Li, Regional workforce board (intermediary)",
                ),
                (240, 390, "Workshop: mapping your IET pathway", "TA coaches"),
            ):
                services.agenda_item_add(
                    actor=ta_admin,
                    event=event,
                    data={
                        "starts_at": day + timedelta(minutes=start),
                        "ends_at": day + timedelta(minutes=end),
                        "title": title,
                        "speakers": speakers,
                    },
                )
        _demo_materials(ta_admin=ta_admin, event=event)


def _demo_materials(*, ta_admin: User, event: Event) -> None:
    """Slides as an uploaded PDF for trainings and the convening (filed in the library); a link
    to slides elsewhere for the rest; recordings of webinars and CoPs once they are over."""
    if event.kind in (Event.Kind.REGIONAL_TRAINING, Event.Kind.CONVENING):
        upload = pdf_upload(
            "slides.pdf",
            f"{event.title} — slides",
            [
                event.description or event.title,
                "1. Your region's priority healthcare occupations and their wages.",
                "2. Employer engagement: clinical placements, guest speakers, hiring pledges.",
                "3. Mapping an IET pathway from ESL to a first healthcare credential.",
            ],
        )
        services.material_add(
            actor=ta_admin,
            event=event,
            data={"title": "Slides", "kind": "slides", "release": "before"},
            upload=upload,
        )
    else:
        services.material_add(
            actor=ta_admin,
            event=event,
            data={
                "title": "Slides",
                "kind": "slides",
                "url": f"https://files.example.org/events/{event.pk}/slides.pdf",
                "release": "before",
                "file_in_library": False,
            },
        )
    if event.kind in (Event.Kind.WEBINAR, Event.Kind.COMMUNITY_OF_PRACTICE):
        services.material_add(
            actor=ta_admin,
            event=event,
            data={
                "title": "Recording",
                "kind": "recording",
                "url": f"https://video.example.org/events/{event.pk}",
                "release": "after",
                "file_in_library": event.ends_at <= timezone.now(),
            },
        )


def _demo_feedback(*, ta_admin: User, events: list[Event]) -> None:
    """Past events asked their attendees; a few answered."""
    from events.models import Feedback

    comments = ["More time with the employer panel, please.", "", "Great examples from peers."]
    with scopes_disabled():
        for event in events:
            if event.ends_at >= timezone.now():
                continue
            services.feedback_request_send(actor=ta_admin, event=event)
            attended = Registration.objects.filter(event=event, checked_in_at__isnull=False)
            for index, registration in enumerate(attended.order_by("pk")[:3]):
                Feedback.objects.create(
                    registration=registration, rating=5 - index % 2, comments=comments[index]
                )

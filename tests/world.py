"""A small world with three tenants and every role, used by the probe, budgets and browser tests.

Program P1 has grantee A (lead, staff, coach) and grantee B (other_staff, other_coach);
program P2 has grantee C (other_state is its state admin). A's data carries MARKER everywhere,
so a page that leaks A to anyone who may not see A is caught by a plain substring search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from grantees.models import Grantee, Invitation, Program, ProgramRole, User
from grantees.reference_data import load_reference_data
from portal.demo_files import pdf_upload
from tests.factories import (
    CoachAssignmentFactory,
    CoachProfileFactory,
    GranteeFactory,
    MembershipFactory,
    ProgramFactory,
    ProgramRoleFactory,
    UserFactory,
    make_invitation,
)

MARKER = "zq-alpha-marker-7f3c"
# In A's sessions' internal notes: TA staff (A's coach, the TA admin) may see it, nobody else.
INTERNAL_MARKER = "zq-internal-note-51d2"
ROLES = (
    "anonymous",
    "staff",
    "lead",
    "coach",
    "state",
    "ta_admin",
    "other_staff",
    "other_coach",
    "other_state",
)
MFA_ROLES = {"coach", "state", "ta_admin", "other_coach", "other_state"}


@dataclass
class World:
    program: Program
    other_program: Program
    grantee: Grantee  # A: the tenant under test
    other_grantee: Grantee  # B: same program, another tenant
    far_grantee: Grantee  # C: another program
    users: dict[str, User]
    invitation: Invitation
    invitation_token: str
    other_invitation: Invitation
    totp_secrets: dict[str, str] = field(default_factory=dict)
    support_request: object = None  # A's
    other_support_request: object = None  # B's
    session: object = None  # A's, recorded by A's coach
    other_session: object = None  # B's
    booking: object = None  # A's 1:1 with A's coach, booked by A's staff
    other_booking: object = None  # B's
    series: object = None  # office hours of P1 hosted by A's coach
    other_series: object = None  # office hours of P1 hosted by B's coach
    office_booking: object = None  # A's staff in a slot of `series`
    away: object = None  # a day away of A's coach
    other_away: object = None
    event: object = None  # a virtual webinar of P1 (program-wide)
    registration: object = None  # A's staff at `event`, needs carry MARKER
    other_registration: object = None  # B's staff at `event`
    event_series: object = None  # a CoP series of P1 (one registration for the series)
    resource: object = None  # a library resource for A only (title carries MARKER)
    other_resource: object = None  # one for B only
    collection: object = None  # a collection holding both
    enrollment: object = None  # A's staff in `event_series`
    other_enrollment: object = None  # B's staff in `event_series`
    instrument_version: object = None  # the standard instrument, used (frozen)
    assessment: object = None  # A's finalized baseline (evidence carries MARKER)
    assessment_draft: object = None  # A's midpoint in progress (internal notes: INTERNAL_MARKER)
    other_assessment: object = None  # B's baseline in progress
    goal: object = None  # a goal of A's plan (title carries MARKER), with an action
    export: object = None  # a finished XLSX export of P1's program report (A's name inside)
    issued: object = None  # P1's first quarter, issued by its state admin
    newsletter: object = None  # a draft newsletter issue of P1
    # The pathway workspace (#9): A's rows carry MARKER, B's are B's own.
    priority: object = None  # A's priority occupation (rationale carries MARKER)
    other_priority: object = None
    partner: object = None  # A's employer (name carries MARKER) with `commitment`
    other_partner: object = None
    commitment: object = None
    other_commitment: object = None
    pathway: object = None  # A's concept (title carries MARKER), version 1 is the draft
    other_pathway: object = None
    pathway_step: object = None  # the first step of A's draft, with `step_comment` by A's coach
    other_pathway_step: object = None
    step_comment: object = None
    other_step_comment: object = None
    outcome: object = None  # A's outcomes for Jul–Sep 2026 (notes carry MARKER)
    other_outcome: object = None
    living_wage: object = None  # P1's living wage for A's region

    def user(self, role: str) -> User | None:
        return self.users.get(role)


def give_totp(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def build_world() -> World:
    load_reference_data()
    p1 = ProgramFactory(name="Pathways One", slug="pathways-one")
    p2 = ProgramFactory(name="Pathways Two", slug="pathways-two")
    a = GranteeFactory(
        program=p1,
        name=f"Alpha {MARKER} Consortium",
        slug="alpha",
        pathway_focus=f"IET for medical assistants {MARKER}",
        member_agencies=f"Alpha Adult School {MARKER}",
        contact_name=f"Contact {MARKER}",
        contact_email="contact-alpha@example.org",
    )
    b = GranteeFactory(program=p1, name="Bravo Consortium", slug="bravo")
    c = GranteeFactory(program=p2, name="Charlie Consortium", slug="charlie")
    users = {
        "staff": UserFactory(email="staff@example.org", full_name=f"Staff {MARKER}"),
        "lead": UserFactory(email="lead@example.org", full_name=f"Lead {MARKER}"),
        "coach": UserFactory(email="coach@example.org", full_name="Coach Carla"),
        "state": UserFactory(email="state@example.org", full_name="State Sam"),
        "ta_admin": UserFactory(email="ta-admin@example.org", full_name="Admin Ada"),
        "other_staff": UserFactory(email="other-staff@example.org", full_name="Other Omar"),
        "other_coach": UserFactory(email="other-coach@example.org", full_name="Other Priya"),
        "other_state": UserFactory(email="other-state@example.org", full_name="Other Sue"),
    }
    MembershipFactory(user=users["staff"], grantee=a, role="staff")
    MembershipFactory(user=users["lead"], grantee=a, role="lead")
    MembershipFactory(user=users["other_staff"], grantee=b, role="staff")
    for coach, grantee in (("coach", a), ("other_coach", b)):
        CoachProfileFactory(user=users[coach])
        CoachAssignmentFactory(coach=users[coach], grantee=grantee)
    ProgramRoleFactory(user=users["ta_admin"], program=p1, role=ProgramRole.Role.TA_ADMIN)
    ProgramRoleFactory(user=users["state"], program=p1, role=ProgramRole.Role.STATE_ADMIN)
    ProgramRoleFactory(user=users["other_state"], program=p2, role=ProgramRole.Role.STATE_ADMIN)
    invitation, token = make_invitation(
        grantee=a,
        email=f"invitee-{MARKER}@example.org",
        full_name=f"Invitee {MARKER}",
        invited_by=users["lead"],
    )
    other_invitation, _ = make_invitation(grantee=b, email="b-invitee@example.org")
    secrets = {role: give_totp(users[role]) for role in MFA_ROLES}
    assert Authenticator.objects.count() == len(MFA_ROLES)
    support = {
        tenant: _support_data(grantee, users[member], users[coach], marker)
        for tenant, grantee, member, coach, marker in (
            ("A", a, "staff", "coach", MARKER),
            ("B", b, "other_staff", "other_coach", "bravo"),
        )
    }
    booking_data = {
        tenant: _booking_data(grantee, users[member], users[coach], marker)
        for tenant, grantee, member, coach, marker in (
            ("A", a, "staff", "coach", MARKER),
            ("B", b, "other_staff", "other_coach", "bravo"),
        )
    }
    event, registration, other_registration = _event_data(p1, users)
    event_series, enrollment, other_enrollment = _event_series_data(p1, users)
    resource, other_resource, collection = _library_data(users)
    assessments = _assessment_data(a, b, users)
    export = _export_data(p1, users["state"])
    workspace = _workspace_data(p1, a, b, users)
    return World(
        **workspace,
        export=export,
        issued=_issued_data(p1, users["state"]),
        newsletter=_newsletter_data(p1, users["ta_admin"]),
        **assessments,
        resource=resource,
        other_resource=other_resource,
        collection=collection,
        event_series=event_series,
        enrollment=enrollment,
        other_enrollment=other_enrollment,
        event=event,
        registration=registration,
        other_registration=other_registration,
        booking=booking_data["A"]["booking"],
        other_booking=booking_data["B"]["booking"],
        series=booking_data["A"]["series"],
        other_series=booking_data["B"]["series"],
        office_booking=booking_data["A"]["office_booking"],
        away=booking_data["A"]["away"],
        other_away=booking_data["B"]["away"],
        program=p1,
        other_program=p2,
        grantee=a,
        other_grantee=b,
        far_grantee=c,
        users=users,
        invitation=invitation,
        invitation_token=token,
        other_invitation=other_invitation,
        totp_secrets=secrets,
        support_request=support["A"][0],
        other_support_request=support["B"][0],
        session=support["A"][1],
        other_session=support["B"][1],
    )


def _support_data(grantee, member, coach, marker):
    """Hours, one open request and one recorded session (with an action item) for a grantee."""
    from datetime import timedelta

    from django.utils import timezone

    from grantees.models import Topic
    from support_hours.services import session_record, support_request_submit
    from tests.factories import make_hour_account

    make_hour_account(grantee, minutes=100 * 60)
    topic = Topic.objects.order_by("name").first()
    request = support_request_submit(
        actor=member,
        grantee=grantee,
        key=f"world-request-{grantee.slug}",
        data={
            "topic": topic,
            "title": f"Help with clinical placements {marker}",
            "description": f"We need more clinical slots {marker}",
            "urgency": "normal",
            "preferred_times": "Tuesday mornings",
            "desired_expertise": [topic],
        },
    )
    session = session_record(
        actor=coach,
        grantee=grantee,
        key=f"world-session-{grantee.slug}",
        data={
            "started_at": timezone.now() - timedelta(days=2),
            "minutes": 90,
            "mode": "virtual",
            "attendees": [member],
            "guests": f"Guest {marker}",
            "topics": [topic],
            "summary": f"Mapped the CNA to LVN pathway {marker}",
            "internal_notes": f"{INTERNAL_MARKER} {marker}",
            "next_steps": f"Draft MOU {marker}",
            "request": request,
            "action_items": [{"description": f"Send MOU draft {marker}", "owner": "Lead"}],
        },
    )
    return request, session


# In the webinar's meeting link: only people registered may see it.
EVENT_LINK_MARKER = "zq-event-link-9b1e"


def _event_data(program, users):
    """A virtual webinar of the program with A's staff (needs carry MARKER) and B's staff."""
    from datetime import timedelta

    from django.utils import timezone

    from events import services as event_services
    from grantees.models import Grantee

    start = timezone.now() + timedelta(days=20)
    event = event_services.event_create(
        actor=users["ta_admin"],
        program=program,
        data={
            "kind": "webinar",
            "title": "Webinar: regional labor markets",
            "description": "Reading labor-market data for healthcare pathways.",
            "format": "virtual",
            "meeting_url": f"https://meet.example.org/{EVENT_LINK_MARKER}",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1, minutes=30),
            "capacity": 3,
            "per_grantee_cap": 2,
            "registration_opens_at": timezone.now() - timedelta(days=1),
            "registration_closes_at": start - timedelta(hours=1),
            "organizers": [users["coach"]],
        },
    )
    event_services.agenda_item_add(
        actor=users["ta_admin"],
        event=event,
        data={
            "starts_at": start,
            "ends_at": start + timedelta(minutes=45),
            "title": "Reading the regional dashboards",
            "speakers": "Dana Ruiz, Valley Health (employer)",
        },
    )
    event_services.material_add(
        actor=users["ta_admin"],
        event=event,
        data={"title": "Slides", "kind": "slides", "release": "before", "file_in_library": False},
        # Shared with every seat, A's and B's: no marker in it.
        upload=pdf_upload("slides.pdf", "Slides", ["Speaker notes for the webinar"]),
    )
    alpha, bravo = Grantee.objects.get(slug="alpha"), Grantee.objects.get(slug="bravo")
    registration = event_services.registration_create(
        actor=users["staff"],
        grantee=alpha,
        event=event,
        person=users["staff"],
        needs=f"Captions please {MARKER}",
        key="world-registration-alpha",
    )
    other = event_services.registration_create(
        actor=users["other_staff"],
        grantee=bravo,
        event=event,
        person=users["other_staff"],
        needs="Vegetarian lunch",
        key="world-registration-bravo",
    )
    return event, registration, other


def _library_data(users):
    """A resource for everyone, one for A only (MARKER in its title and summary), one for B."""
    from grantees.models import Grantee
    from library import services as library_services

    alpha, bravo = Grantee.objects.get(slug="alpha"), Grantee.objects.get(slug="bravo")

    def add(title, summary, visibility, grantee=None):
        return library_services.resource_create(
            actor=users["ta_admin"],
            data={
                "title": title,
                "summary": summary,
                "kind": "toolkit",
                "audience": "everyone",
                "visibility": visibility,
                "grantee": grantee,
                "external_url": "https://example.org/toolkit",
                "publish": True,
            },
        )

    add("Employer engagement toolkit", "Steps to recruit clinical partners.", "portal")
    resource = add(f"Alpha plan {MARKER}", f"Notes for Alpha only {MARKER}", "grantee", alpha)
    other = add("Bravo plan", "Notes for Bravo only.", "grantee", bravo)
    collection = library_services.collection_save(
        actor=users["ta_admin"],
        data={"title": "Planning toolkit"},
        resources=[resource, other],
    )
    return resource, other, collection


def _event_series_data(program, users):
    """A community-of-practice series with one session; A's and B's staff registered for it."""
    from datetime import timedelta

    from django.utils import timezone

    from events import services as event_services
    from grantees.models import Grantee

    series = event_services.series_create(
        actor=users["ta_admin"],
        program=program,
        data={
            "title": "Community of practice",
            "description": "Quarterly peer exchange.",
            "registration_mode": "series",
        },
    )
    start = timezone.now() + timedelta(days=40)
    event_services.event_create(
        actor=users["ta_admin"],
        program=program,
        data={
            "kind": "community_of_practice",
            "title": "CoP: employer engagement",
            "format": "virtual",
            "meeting_url": "https://meet.example.org/cop",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "capacity": 30,
            "registration_opens_at": timezone.now() - timedelta(days=1),
            "registration_closes_at": start - timedelta(hours=1),
            "series": series,
        },
    )
    alpha, bravo = Grantee.objects.get(slug="alpha"), Grantee.objects.get(slug="bravo")
    enrollment, _ = event_services.series_enroll(
        actor=users["staff"],
        grantee=alpha,
        series=series,
        person=users["staff"],
        needs="",
        key="world-series-alpha",
    )
    other, _ = event_services.series_enroll(
        actor=users["other_staff"],
        grantee=bravo,
        series=series,
        person=users["other_staff"],
        needs="",
        key="world-series-bravo",
    )
    return series, enrollment, other


def _booking_data(grantee, member, coach, marker):
    """A 1:1 schedule for the coach, office hours they host, a 1:1 and an office-hour booking."""
    from datetime import time, timedelta

    from django.utils import timezone

    from booking import selectors as booking_selectors
    from booking import services as booking_services

    booking_services.schedule_update(
        actor=coach,
        settings={"meeting_url": "https://meet.example.org/coach-room"},
        windows=[{"weekday": day, "starts_at": time(9), "ends_at": time(17)} for day in range(5)],
    )
    today = timezone.localdate()
    series = booking_services.office_hours_create(
        actor=coach,
        program=grantee.program,
        data={
            "title": f"Office hours with {coach.full_name}",
            "description": "Bring your pathway questions.",
            "frequency": "weekly",
            "weekday": (today.weekday() + 3) % 7,
            "starts_at": time(10),
            "ends_at": time(12),
            "first_date": today + timedelta(days=1),
            "last_date": today + timedelta(days=90),
            "format": "slots",
            "slot_minutes": 30,
            "hosts": [coach],
            "meeting_url": "https://meet.example.org/office-hours",
        },
    )
    occurrence = series.occurrences.order_by("starts_at").first()
    office_booking = booking_services.book_office_hours(
        actor=member,
        grantee=grantee,
        occurrence=occurrence,
        starts_at=occurrence.starts_at,
        note=f"Our IET schedule {marker}",
        key=f"world-office-{grantee.slug}",
    )
    schedule = booking_selectors.schedule_of(coach)
    slot = booking_selectors.next_free_slots(
        schedule=schedule, zone=schedule.time_zone, after=today + timedelta(days=3), count=1
    )[0]
    booking = booking_services.book_one_on_one(
        actor=member,
        grantee=grantee,
        coach=coach,
        starts_at=slot.starts_at,
        note=f"Clinical placement plan {marker}",
        key=f"world-1on1-{grantee.slug}",
    )
    away = booking_services.availability_exception_add(
        actor=coach,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=62),
        reason="Conference",
    )
    return {
        "series": series,
        "office_booking": office_booking,
        "booking": booking,
        "away": away,
    }


def sign_in(client, user: User) -> None:
    """Sign a test client in as `user`, with this session's second factor already proved."""
    from allauth.account.internal.userkit import user_id_to_str

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["account_authentication_methods_user"] = user_id_to_str(user)
    session["account_authentication_methods"] = [
        {"method": "password", "at": 0, "email": user.email},
        {"method": "mfa", "at": 0, "type": "totp"},
    ]
    session.save()


def _assessment_data(a, b, users) -> dict:
    """A's finalized baseline and midpoint in progress, B's baseline in progress."""
    from django.utils import timezone

    from assessments import services
    from assessments.instrument_data import load_standard_instrument
    from assessments.models import Assessment, Item

    version = load_standard_instrument()
    items = list(Item.objects.filter(domain__version=version))
    coach = users["coach"]

    def rate(assessment, actor, source, level):
        for item in items:
            services.assessment_save_field(
                actor=actor,
                assessment=assessment,
                field=f"{source}:{item.pk}:level",
                value=str(level),
                was="",
            )

    baseline = services.assessment_start(
        actor=coach, grantee=a, kind=Assessment.Kind.BASELINE, version=version
    )
    rate(baseline, users["staff"], "grantee", 3)
    rate(baseline, coach, "coach", 2)
    services.assessment_save_field(
        actor=coach,
        assessment=baseline,
        field=f"coach:{items[0].pk}:evidence",
        value=f"Evidence {MARKER}",
        was="",
    )
    for name in ("regional_strategy", "internal_notes"):
        marker = INTERNAL_MARKER if name == "internal_notes" else MARKER
        services.assessment_save_field(
            actor=coach, assessment=baseline, field=name, value=f"{name} {marker}", was=""
        )
    services.assessment_set_date(
        # The local date: the UTC date is tomorrow in California each evening after 4 or 5 pm.
        actor=coach,
        assessment=baseline,
        interview_on=timezone.localdate(baseline.created_at),
    )
    services.assessment_finalize(actor=coach, assessment=baseline)
    draft = services.assessment_start(
        actor=coach, grantee=a, kind=Assessment.Kind.MIDPOINT, version=version
    )
    rate(draft, coach, "coach", 3)
    services.assessment_save_field(
        actor=coach,
        assessment=draft,
        field="internal_notes",
        value=f"Draft notes {INTERNAL_MARKER}",
        was="",
    )
    services.assessment_save_field(
        actor=users["staff"],
        assessment=draft,
        field=f"grantee:{items[0].pk}:evidence",
        value=f"Self {MARKER}",
        was="",
    )
    other = services.assessment_start(
        actor=users["other_coach"], grantee=b, kind=Assessment.Kind.BASELINE, version=version
    )
    plan = services.plan_create(
        actor=coach, assessment=baseline, domains=list(version.domains.all()[:2])
    )
    goal = plan.goals.first()
    services.goal_save(actor=coach, plan=plan, goal=goal, data={"title": f"Goal {MARKER}"})
    services.goal_action_add(
        actor=users["lead"], goal=goal, data={"description": f"Action {MARKER}"}
    )
    return {
        "goal": goal,
        "instrument_version": version,
        "assessment": baseline,
        "assessment_draft": draft,
        "other_assessment": other,
    }


def _export_data(program, state_admin):
    from django.utils import timezone

    from reports import periods, services

    period = periods.current_quarter(program, timezone.localdate())
    job = services.export_request(actor=state_admin, program=program, period=period, fmt="xlsx")
    return services.export_run(job.pk)  # the worker's part, here and now


def _issued_data(program, state_admin):
    from reports import periods, services

    period = periods.program_period(program, "q1")
    from datetime import timedelta

    day_after = period.ends_on + timedelta(days=1)
    return services.report_issue(actor=state_admin, program=program, period=period, today=day_after)


def _newsletter_data(program, ta_admin):
    from datetime import date

    from django.core.files.base import ContentFile

    from newsletter import services
    from newsletter.models import Issue
    from portal.demo_files import text_pdf

    issue = services.issue_save(
        actor=ta_admin,
        program=program,
        data={
            "title": "Pathways One newsletter, fall",
            "period_starts_on": date(2026, 7, 1),
            "period_ends_on": date(2026, 12, 31),
            "highlights": "Eight regional trainings.",
            "spotlight_title": "",
            "spotlight_body": "",
        },
    )
    # As if the worker had made it (WeasyPrint would add a second to every world).
    issue.pdf.save("fall.pdf", ContentFile(text_pdf("Pathways One newsletter", ["Fall."])))
    issue.status = Issue.Status.READY
    issue.save(update_fields=["status"])
    return issue


def _workspace_data(program, a, b, users):
    """Priority occupations, partners with a commitment, a drafted pathway with a coach's comment
    on a step, a quarter's outcomes, and the program's living wage for A's region."""
    from datetime import date

    from grantees.models import Occupation
    from labor_market.models import LivingWage, PriorityOccupation
    from outcomes.models import QuarterlyOutcome
    from partners.models import Commitment, Partner
    from pathways.models import EntryPoint, PathwayConcept, PathwayStep, PathwayVersion, StepComment

    medical_assistants = Occupation.objects.get(soc_code="31-9092")
    phlebotomists = Occupation.objects.get(soc_code="31-9097")
    living_wage = LivingWage.objects.create(
        program=program,
        region=a.region,
        hourly_cents=2650,
        year=2026,
        source="MIT Living Wage Calculator, 1 adult 0 children",
        updated_by=users["ta_admin"],
    )
    rows = {"living_wage": living_wage}
    for prefix, grantee, member, coach, marker in (
        ("", a, users["lead"], users["coach"], MARKER),
        ("other_", b, users["other_staff"], users["other_coach"], "bravo"),
    ):
        rows[f"{prefix}priority"] = PriorityOccupation.objects.create(
            grantee=grantee,
            occupation=medical_assistants,
            rationale=f"Clinics are hiring {marker}",
            created_by=member,
        )
        partner = Partner.objects.create(
            grantee=grantee,
            name=f"Valley Clinic {marker}",
            kind=Partner.Kind.EMPLOYER,
            stage=Partner.Stage.ENGAGED,
            contact_name=f"Dana {marker}",
            contact_email="dana@example.org",
            created_by=member,
        )
        rows[f"{prefix}partner"] = partner
        rows[f"{prefix}commitment"] = Commitment.objects.create(
            grantee=grantee,
            partner=partner,
            kind=Commitment.Kind.WBL_SLOTS,
            quantity=6,
            description=f"Externship slots {marker}",
            created_by=member,
        )
        concept = PathwayConcept.objects.create(
            grantee=grantee, title=f"Medical assistant IET {marker}", created_by=member
        )
        version = PathwayVersion.objects.create(
            grantee=grantee,
            concept=concept,
            number=1,
            model="iet",
            summary=f"From VESL to a medical assistant certificate {marker}",
            supports="Childcare and bus passes",
            created_by=member,
        )
        version.target_occupations.set([medical_assistants, phlebotomists])
        first = PathwayStep.objects.create(
            grantee=grantee,
            version=version,
            position=0,
            kind="course",
            title=f"VESL for healthcare {marker}",
            duration="10 weeks",
        )
        first.partners.set([partner])
        PathwayStep.objects.create(
            grantee=grantee,
            version=version,
            position=1,
            kind="credential",
            title="Medical assistant certificate",
            duration="9 months",
        )
        EntryPoint.objects.create(
            grantee=grantee, version=version, english_level="esl_4", step_key=first.key
        )
        rows[f"{prefix}pathway"] = concept
        rows[f"{prefix}pathway_step"] = first
        rows[f"{prefix}step_comment"] = StepComment.objects.create(
            grantee=grantee,
            concept=concept,
            step_key=first.key,
            version_number=1,
            author=coach,
            body=f"Add a CASAS cut score {marker}",
        )
        rows[f"{prefix}outcome"] = QuarterlyOutcome.objects.create(
            grantee=grantee,
            quarter_start=date(2026, 7, 1),
            enrolled=24,
            enrolled_esl_3=6,
            enrolled_esl_4=12,
            enrolled_esl_5=6,
            skill_gains=15,
            completed_bridge_iet=18,
            credentials_earned=11,
            placed_wbl=14,
            employed_healthcare=7,
            median_wage_cents=2200,
            notes=f"First cohort {marker}",
            submitted_by=member,
        )
    return rows

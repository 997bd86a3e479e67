"""Load the demo program, grantees and accounts — once. Refuses with DEBUG off unless forced."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from grantees.models import (
    CoachAssignment,
    CoachProfile,
    Grantee,
    Invitation,
    Membership,
    Occupation,
    Program,
    ProgramRole,
    Region,
    Topic,
    User,
)
from grantees.reference_data import load_reference_data
from labor_market.models import PriorityOccupation

DEMO_PASSWORD = "pathways-demo-2026"
PROGRAM_SLUG = "ell-healthcare-2026"

# Why each demo grantee chose an occupation (their priority occupations' rationale).
RATIONALE = {
    "31-9092": (
        "Clinics and FQHCs in the region post more medical assistant openings than any other "
        "entry role, and a certificate in under a year fits learners who work."
    ),
    "31-9097": (
        "Short CPT I training stacks into the MA certificate; our hospital partner hires "
        "phlebotomists who speak Spanish."
    ),
    "31-1131": (
        "The state-approved CNA program is short and the first rung of the nursing ladder "
        "(CNA, LVN, RN)."
    ),
    "31-1120": (
        "Home health agencies in the region cannot fill aide positions; the HHA certificate "
        "adds about 40 hours to the CNA."
    ),
    "29-2061": (
        "LVN wages clear the regional living wage; our CNA completers ask for a next step "
        "that keeps them working."
    ),
    "29-2052": (
        "Retail and hospital pharmacies are hiring, and learners can register with the Board "
        "of Pharmacy after a short program."
    ),
    "21-1094": (
        "The Medi-Cal CHW benefit creates paid promotor roles that value bilingual community "
        "members."
    ),
    "43-6013": (
        "Front-office roles suit learners with intermediate English and lead into medical "
        "billing and coding."
    ),
    "31-9091": ("Dental offices in the county need assistants; the RDA license raises wages."),
}

# (slug, name, region slug, member agencies, focus, (SOC code, rationale) of priorities)
GRANTEES = [
    (
        "harbor-bay",
        "Harbor Bay Adult Education Consortium",
        "bay-area",
        "Harbor Bay Adult School\nEastshore Community College\nHarbor Bay Workforce Board",
        "An IET for Medical Assistants co-taught by ESL and MA instructors, with a VESL bridge for "
        "intermediate English learners.",
        [("31-9092", RATIONALE["31-9092"]), ("31-9097", RATIONALE["31-9097"])],
    ),
    (
        "golden-foothills",
        "Golden Foothills Regional Consortium",
        "central-valley-mother-lode",
        "Foothill Unified Adult Education\nMother Lode Community College",
        "Pre-CNA bridge leading to a state-approved CNA program with clinical placements.",
        [("31-1131", RATIONALE["31-1131"]), ("31-1120", RATIONALE["31-1120"])],
    ),
    (
        "redwood-coast",
        "Redwood Coast Adult Learning Consortium",
        "north-far-north",
        "Redwood Coast Adult School\nNorth Coast College",
        "Home health aide and CNA pathway.",
        [("31-1120", RATIONALE["31-1120"])],
    ),
    (
        "capitol-river",
        "Capitol River Adult Education Alliance",
        "north-far-north",
        "Capitol River Adult School\nRiver City College",
        "LVN pre-apprenticeship.",
        [("29-2061", RATIONALE["29-2061"])],
    ),
    (
        "mission-valley",
        "Mission Valley Learning Consortium",
        "san-diego-imperial",
        "Mission Valley Adult School\nMesa Verde College",
        "Pharmacy technician IET.",
        [("29-2052", RATIONALE["29-2052"])],
    ),
    (
        "imperial-sun",
        "Imperial Sun Adult Education Consortium",
        "san-diego-imperial",
        "Imperial Sun Adult School",
        "Bilingual medical assistant bridge.",
        [("31-9092", RATIONALE["31-9092"])],
    ),
    (
        "pacific-gateway",
        "Pacific Gateway Adult Education Consortium",
        "los-angeles",
        "Pacific Gateway USD Adult School\nGateway City College",
        "Phlebotomy and MA pathways.",
        [("31-9097", RATIONALE["31-9097"]), ("31-9092", RATIONALE["31-9092"])],
    ),
    (
        "san-gabriel-foothill",
        "San Gabriel Foothill Consortium",
        "los-angeles",
        "Foothill Adult School\nSan Gabriel College",
        "Community health worker pathway.",
        [("21-1094", RATIONALE["21-1094"])],
    ),
    (
        "orange-grove",
        "Orange Grove Adult Learning Partnership",
        "orange-county",
        "Orange Grove Adult School",
        "Medical administrative assistant bridge.",
        [("43-6013", RATIONALE["43-6013"])],
    ),
    (
        "desert-palms",
        "Desert Palms Adult Education Consortium",
        "inland-empire-desert",
        "Desert Palms Adult School\nValley Desert College",
        "CNA to LVN apprenticeship.",
        [("31-1131", RATIONALE["31-1131"]), ("29-2061", RATIONALE["29-2061"])],
    ),
    (
        "channel-islands",
        "Channel Islands Coast Consortium",
        "south-central-coast",
        "Channel Coast Adult School\nSeaside College",
        "Dental assistant IET.",
        [("31-9091", RATIONALE["31-9091"])],
    ),
]

PEOPLE = {
    # email: (full name, title)
    "ta-admin@example.org": ("Teresa Alvarado", "TA director"),
    "coach@example.org": ("Marcus Chen", "Senior TA coach"),
    "other-coach@example.org": ("Priya Raman", "TA coach, work-based learning"),
    "state@example.org": ("Samuel Ortiz", "State office program monitor"),
    "lead@example.org": ("Lucia Hernández", "Consortium director"),
    "staff@example.org": ("Sofia Nguyen", "Transition specialist"),
    "other-staff@example.org": ("Omar Haddad", "ESL coordinator"),
}


class Command(BaseCommand):
    help = "Load demo data (program, grantees, demo accounts) once; DEBUG only unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow with DEBUG off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo accounts with a known password while DEBUG is off. "
                "Use --force if you really mean it."
            )
        with scopes_disabled():
            if Program.objects.filter(slug=PROGRAM_SLUG).exists():
                self.stdout.write("Demo data is already loaded.")
                return
            self._seed()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    @transaction.atomic
    def _seed(self) -> None:
        load_reference_data()
        program = Program.objects.create(
            name="ELL Healthcare Pathways TA 2026–27",
            slug=PROGRAM_SLUG,
            description="Professional development and technical assistance for adult education "
            "consortia building English Language Learner healthcare career pathways.",
            starts_on=date(2026, 7, 1),
            ends_on=date(2027, 6, 30),
        )
        regions = {r.slug: r for r in Region.objects.all()}
        occupations = {o.soc_code: o for o in Occupation.objects.all()}
        grantees = {}
        for slug, name, region, agencies, focus, socs in GRANTEES:
            grantee = Grantee.objects.create(
                program=program,
                slug=slug,
                name=name,
                region=regions[region],
                member_agencies=agencies,
                pathway_focus=focus,
            )
            PriorityOccupation.objects.bulk_create(
                PriorityOccupation(
                    grantee=grantee,
                    occupation=occupations[soc],
                    rationale=rationale,
                    position=position,
                )
                for position, (soc, rationale) in enumerate(socs)
            )
            grantees[slug] = grantee

        people = {}
        for email, (full_name, _title) in PEOPLE.items():
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=full_name
            )
            people[email] = user

        ProgramRole.objects.create(
            user=people["ta-admin@example.org"], program=program, role=ProgramRole.Role.TA_ADMIN
        )
        ProgramRole.objects.create(
            user=people["state@example.org"], program=program, role=ProgramRole.Role.STATE_ADMIN
        )

        topics = {t.slug: t for t in Topic.objects.all()}
        for email, topic_slugs in {
            "coach@example.org": [
                "integrated-education-and-training-iet",
                "pathway-design-program-models",
                "contextualized-esl-vesl-instruction",
            ],
            "other-coach@example.org": [
                "work-based-learning-clinical-placements",
                "employer-engagement",
            ],
        }.items():
            profile = CoachProfile.objects.create(user=people[email], title=PEOPLE[email][1])
            profile.expertise.set([topics[s] for s in topic_slugs if s in topics])

        harbor, foothills = grantees["harbor-bay"], grantees["golden-foothills"]
        harbor.contact_name, harbor.contact_email = "Lucia Hernández", "lead@example.org"
        harbor.contact_phone = "(510) 555-0142"
        harbor.save()
        Membership.objects.create(
            user=people["lead@example.org"],
            grantee=harbor,
            role="lead",
            title=PEOPLE["lead@example.org"][1],
        )
        Membership.objects.create(
            user=people["staff@example.org"],
            grantee=harbor,
            role="staff",
            title=PEOPLE["staff@example.org"][1],
        )
        Membership.objects.create(
            user=people["other-staff@example.org"],
            grantee=foothills,
            role="staff",
            title=PEOPLE["other-staff@example.org"][1],
        )

        coach, other_coach = people["coach@example.org"], people["other-coach@example.org"]
        ta_admin = people["ta-admin@example.org"]
        for slug in ("harbor-bay", "mission-valley", "pacific-gateway"):
            CoachAssignment.objects.create(
                coach=coach, grantee=grantees[slug], assigned_by=ta_admin
            )
        for slug in ("golden-foothills", "desert-palms", "redwood-coast"):
            CoachAssignment.objects.create(
                coach=other_coach, grantee=grantees[slug], assigned_by=ta_admin
            )

        # A few more people so team lists look like a real program.
        extra = [
            ("harbor-bay", "ana.ruiz@example.org", "Ana Ruiz", "staff"),
            ("golden-foothills", "dale.morgan@example.org", "Dale Morgan", "lead"),
            ("mission-valley", "grace.kim@example.org", "Grace Kim", "lead"),
            ("pacific-gateway", "jorge.flores@example.org", "Jorge Flores", "lead"),
            ("desert-palms", "hannah.lee@example.org", "Hannah Lee", "lead"),
        ]
        for slug, email, full_name, role in extra:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=full_name
            )
            Membership.objects.create(user=user, grantee=grantees[slug], role=role)

        token, token_hash = Invitation.new_token()
        Invitation.objects.create(
            grantee=harbor,
            email="new.colleague@example.org",
            full_name="Rosa Delgado",
            role="staff",
            token_hash=token_hash,
            invited_by=people["lead@example.org"],
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )

        from support_hours.demo import seed_support_demo

        seed_support_demo(program=program, ta_admin=ta_admin)

        from booking.demo import seed_booking_demo

        seed_booking_demo(program=program, ta_admin=ta_admin)

        from events.demo import seed_events_demo

        seed_events_demo(program=program, ta_admin=ta_admin)
        from library.demo import seed_library_demo

        seed_library_demo(program=program, ta_admin=ta_admin)

        from assessments.demo import seed_assessment_demo

        seed_assessment_demo(program=program)

        from outcomes.demo import seed_outcomes_demo

        # Before the reports demo: its issued quarter freezes the outcomes too.
        seed_outcomes_demo(program=program)

        from reports.demo import seed_reports_demo

        seed_reports_demo(program=program, state_admin=people["state@example.org"])

        from labor_market.demo import seed_labor_market_demo

        seed_labor_market_demo(program=program, ta_admin=ta_admin)

        from partners.demo import seed_partners_demo
        from pathways.demo import seed_pathways_demo

        seed_partners_demo(program=program)
        seed_pathways_demo(program=program)  # its steps name the partners

        from newsletter.demo import seed_newsletter_demo

        seed_newsletter_demo(
            program=program,
            ta_admin=ta_admin,
            subscribers=[people["lead@example.org"], people["state@example.org"]],
        )

"""Demo partners: every demo grantee gets a realistic, fictional set of adult schools, colleges,
clinics and hospitals, a workforce board / AJCC, community organizations and a union, at varied
stages with a believable history and commitments. Harbor Bay (the demo lead's consortium) has
the fullest set, so its map and pipeline look like a consortium a year into the work."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grantees.models import Grantee, Membership, Program
from partners.models import Commitment, Partner, StageChange

STAGES = Partner.Stage.values

# (name, kind, stage, days in that stage, contact, contact's title, notes,
#  [(commitment kind, quantity, status, description)])
Spec = tuple[str, str, str, int, str, str, str, list[tuple[str, int | None, str, str]]]

HARBOR_BAY: list[Spec] = [
    (
        "Harbor Bay Adult School",
        "adult_school",
        "active_wbl",
        210,
        "Monica Reyes",
        "Principal",
        "Runs the VESL for Healthcare bridge and co-teaches the MA IET with the college.",
        [("guest_speaking", 2, "fulfilled", "Alumni panel for each new cohort")],
    ),
    (
        "Eastshore Community College",
        "college",
        "committed",
        95,
        "Dr. Alan Whitfield",
        "Dean of Health Sciences",
        "Articulation agreement drafted: noncredit MA certificate into the credit MA program.",
        [("other", None, "confirmed", "Articulation of the noncredit MA certificate (9 units)")],
    ),
    (
        "Harbor Bay Workforce Board / AJCC",
        "workforce_board",
        "active_wbl",
        150,
        "Keisha Thompson",
        "Business services lead",
        "Co-enrolls IET learners in WIOA Title I; pays for scrubs and exam fees.",
        [("equipment", 30, "fulfilled", "Scrubs and CPR cards for the fall cohort")],
    ),
    (
        "Bayview Community Health Center",
        "employer",
        "active_wbl",
        64,
        "Dr. Priya Natarajan",
        "Medical director",
        "FQHC with Spanish and Vietnamese speaking patients; hosts the MA externships.",
        [
            ("wbl_slots", 8, "confirmed", "MA externship slots, 160 hours each"),
            ("hiring", 3, "confirmed", "Bilingual MAs after externship"),
        ],
    ),
    (
        "Eastshore Medical Group",
        "employer",
        "committed",
        31,
        "Renee Park",
        "Clinic operations manager",
        "MOU signed in October. Wants learners who can room patients in Spanish.",
        [
            ("wbl_slots", 6, "confirmed", "Externship slots at the Eastshore clinic"),
            ("hiring", 2, "proposed", "Front-office and MA openings in spring"),
        ],
    ),
    (
        "Harbor Regional Hospital",
        "employer",
        "engaged",
        47,
        "James Okafor",
        "Talent acquisition partner",
        "Interested in phlebotomy (CPT I) completers; HR is reviewing the MOU.",
        [
            ("guest_speaking", 1, "confirmed", "Career talk on hospital lab roles"),
            ("interviews", 10, "proposed", "Guaranteed interviews for CPT I completers"),
        ],
    ),
    (
        "Lakeside Family Clinic",
        "employer",
        "contacted",
        12,
        "Ana Beltrán",
        "Office manager",
        "Small practice; asked for a one-page summary of the MA IET.",
        [],
    ),
    (
        "Shoreline Pharmacy",
        "employer",
        "identified",
        20,
        "",
        "",
        "Three locations in the county; pharmacy technician demand.",
        [],
    ),
    (
        "Marina Home Health Services",
        "employer",
        "identified",
        88,
        "",
        "",
        "Home health aides needed; could be a partner for an HHA add-on.",
        [],
    ),
    (
        "Eastbay Labs Diagnostics",
        "employer",
        "contacted",
        73,
        "Victor Lam",
        "Lab supervisor",
        "Left two voicemails; follow up at the regional training.",
        [],
    ),
    (
        "Familias Unidas Community Center",
        "community",
        "engaged",
        40,
        "Rosa Jiménez",
        "Promotora coordinator",
        "Recruits learners and offers childcare during evening classes.",
        [("other", None, "confirmed", "Childcare for evening cohort, Tue/Thu")],
    ),
    (
        "Eastshore Public Library Literacy Program",
        "community",
        "contacted",
        18,
        "Tom Becker",
        "Literacy coordinator",
        "Conversation circles for learners between bridge and IET.",
        [],
    ),
    (
        "Bay Healthcare Workers Union, Local 415",
        "union",
        "engaged",
        26,
        "Luz Martínez",
        "Training fund director",
        "Exploring a CNA-to-LVN pre-apprenticeship with the training fund.",
        [("guest_speaking", 1, "proposed", "Workers' rights session for the IET cohort")],
    ),
]

# For the other grantees: partners named after the grantee's own place, picked and staged so
# no two consortia look alike.
TEMPLATES: list[tuple[str, str, str, str, list[tuple[str, int | None, str, str]]]] = [
    ("{place} Adult School", "adult_school", "Ms. Laura Chen", "Assistant principal", []),
    ("{place} College", "college", "Dr. Mark Ellison", "Dean of Career Education", []),
    ("{place} Workforce Board / AJCC", "workforce_board", "Denise Walker", "Program manager", []),
    (
        "{place} Medical Center",
        "employer",
        "Carlos Rivera",
        "Nursing education manager",
        [("wbl_slots", 10, "confirmed", "CNA clinical rotation slots")],
    ),
    (
        "{place} Community Clinic",
        "employer",
        "Mai Tran",
        "Clinic manager",
        [
            ("wbl_slots", 4, "proposed", "MA externship slots"),
            ("hiring", 2, "proposed", "Bilingual front-office hires"),
        ],
    ),
    (
        "{place} Skilled Nursing and Rehabilitation",
        "employer",
        "Gloria Hughes",
        "Director of staff development",
        [("hiring", 5, "confirmed", "CNA hires for completers")],
    ),
    ("{place} Home Care", "employer", "", "", []),
    (
        "{place} Pharmacy",
        "employer",
        "Sam Patel",
        "Pharmacist in charge",
        [("guest_speaking", 1, "confirmed", "Pharmacy technician career talk")],
    ),
    ("{place} Promotores Network", "community", "Elena Cruz", "Coordinator", []),
    ("{place} Immigrant Resource Center", "community", "", "", []),
    ("{place} Healthcare Workers Union", "union", "Ray Johnson", "Training coordinator", []),
]
# Days each stage has lasted (a stage's days in the partner's current stage come from the list).
DAYS = [5, 9, 14, 21, 30, 38, 45, 52, 61, 75, 90]


def _place(grantee: Grantee) -> str:
    words = grantee.name.split()
    return " ".join(words[:2]) if len(words) > 2 else words[0]


def _specs_for(index: int, grantee: Grantee) -> list[Spec]:
    place = _place(grantee)
    specs = []
    for n, (name, kind, contact, title, commitments) in enumerate(TEMPLATES):
        if (n + index) % 4 == 3 and kind not in ("adult_school", "employer"):
            continue  # each consortium misses a different type or two: gaps show on the map
        stage = STAGES[(n * 3 + index) % 5]
        if commitments and STAGES.index(stage) < 2:
            stage = "engaged"  # a partner that has committed something has at least talked
        specs.append(
            (
                name.format(place=place),
                kind,
                stage,
                DAYS[(n + index * 2) % len(DAYS)],
                contact,
                title,
                "",
                commitments,
            )
        )
    return specs


def _add(grantee: Grantee, spec: Spec, author, program: Program, now) -> Partner:
    name, kind, stage, days, contact, title, notes, commitments = spec
    email = ""
    if contact:
        first = contact.replace("Dr. ", "").replace("Ms. ", "").split()[0].lower()
        words = ["".join(ch for ch in word if ch.isalnum()) for word in name.lower().split()]
        domain = "".join(words[:2])
        email = f"{first}@{domain}.example.org"
    partner = Partner.objects.create(
        grantee=grantee,
        name=name,
        kind=kind,
        stage=stage,
        contact_name=contact,
        contact_title=title,
        contact_email=email,
        contact_phone=f"(510) 555-01{len(name) % 100:02d}" if contact else "",
        notes=notes,
        created_by=author,
        stage_changed_at=now - timedelta(days=days),
    )
    # The history: added at "identified", then one move per stage, 2–5 weeks apart, the last
    # one `days` ago.
    reached = STAGES.index(stage)
    moments = [now - timedelta(days=days + 24 * (reached - step)) for step in range(reached + 1)]
    for step, moment in enumerate(moments):
        change = StageChange.objects.create(
            grantee=grantee,
            partner=partner,
            from_stage=STAGES[step - 1] if step else "",
            to_stage=STAGES[step],
            changed_by=author,
        )
        StageChange.objects.filter(pk=change.pk).update(changed_at=moment)
    Partner.objects.filter(pk=partner.pk).update(created_at=moments[0])
    for kind_, quantity, status, description in commitments:
        Commitment.objects.create(
            grantee=grantee,
            partner=partner,
            kind=kind_,
            quantity=quantity,
            status=status,
            description=description,
            starts_on=program.starts_on + timedelta(days=60) if kind_ == "wbl_slots" else None,
            ends_on=program.ends_on if kind_ == "wbl_slots" else None,
            created_by=author,
        )
    return partner


def seed_partners_demo(*, program: Program) -> int:
    """Give each of the program's grantees its partners; returns how many were added."""
    now = timezone.now()
    authors = {}
    for membership in Membership.objects.filter(grantee__program=program).order_by("role", "pk"):
        authors.setdefault(membership.grantee_id, membership.user)
    added = 0
    grantees = Grantee.objects.filter(program=program).order_by("pk")
    for index, grantee in enumerate(grantees):
        specs = HARBOR_BAY if grantee.slug == "harbor-bay" else _specs_for(index, grantee)
        for spec in specs:
            _add(grantee, spec, authors.get(grantee.pk), program, now)
            added += 1
    return added

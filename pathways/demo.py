"""Demo pathway concepts: three demo consortia each have a drafted pathway with Spanish copies,
entry points by English level and target occupations. Version 1 is frozen after their coach's
review and version 2 is the working draft; the coach's comments follow the steps into it.

Partners beside the steps come from the grantee's own partner list when it has one (the
partners demo may or may not have run first); without partners the steps simply name none.
"""

from __future__ import annotations

from django_scopes import scopes_disabled

from grantees.models import CoachAssignment, Grantee, Membership, Occupation, Program
from partners.models import Partner
from pathways import services
from pathways.models import PathwayStep

# kind, title, title_es, duration, duration_es, detail, detail_es, partner kinds
Step = tuple[str, str, str, str, str, str, str, tuple[str, ...]]

PATHWAYS: dict[str, dict] = {
    "harbor-bay": {
        "title": "Medical assistant pathway",
        "title_es": "Camino a asistente médico",
        "model": "iet",
        "occupations": ["31-9092", "29-2061"],
        "summary": "For adults learning English who want to work in clinics: start with English "
        "for healthcare, train as a medical assistant with English support in every class, earn "
        "the CCMA, practice in a clinic and keep going toward nursing.",
        "summary_es": "Para adultos que aprenden inglés y quieren trabajar en clínicas: empieza "
        "con inglés para el sector salud, estudia para asistente médico con apoyo de inglés en "
        "cada clase, obtén la certificación CCMA, practica en una clínica y sigue hacia "
        "enfermería.",
        "supports": "Free childcare during evening classes\nBus passes\nExam fees and scrubs "
        "paid\nA bilingual navigator from the first class to the first job",
        "supports_es": "Cuidado de niños gratis en las clases de la tarde\nPases de autobús\n"
        "Pagamos el examen y los uniformes\nUna persona bilingüe te acompaña de la primera "
        "clase al primer empleo",
        "steps": [
            (
                "course",
                "VESL for Healthcare bridge",
                "Puente de inglés para el sector salud (VESL)",
                "12 weeks",
                "12 semanas",
                "English for clinics: medical words, talking with patients, reading a chart. "
                "Free, Monday to Thursday evenings.",
                "Inglés para clínicas: palabras médicas, hablar con pacientes, leer un "
                "expediente. Gratis, de lunes a jueves por la tarde.",
                ("adult_school",),
            ),
            (
                "course",
                "Medical assistant IET, co-taught",
                "Curso integrado de asistente médico",
                "32 weeks",
                "32 semanas",
                "Clinical and front-office skills; an ESL teacher and an MA instructor teach "
                "together. CPR/BLS card included.",
                "Habilidades clínicas y de oficina; una maestra de inglés y un instructor de "
                "asistente médico enseñan juntos. Incluye la tarjeta de RCP (BLS).",
                ("adult_school", "college"),
            ),
            (
                "credential",
                "CCMA certification",
                "Certificación CCMA",
                "1 exam day",
                "1 día de examen",
                "The national Certified Clinical Medical Assistant exam (NHA). We pay the fee.",
                "El examen nacional de asistente médico clínico certificado (NHA). Nosotros "
                "pagamos la cuota.",
                (),
            ),
            (
                "wbl",
                "Clinical externship",
                "Práctica en una clínica",
                "160 hours",
                "160 horas",
                "Supervised work with patients at a community clinic; many externs are hired "
                "by their clinic.",
                "Trabajo supervisado con pacientes en una clínica comunitaria; muchas clínicas "
                "contratan a sus practicantes.",
                ("employer",),
            ),
            (
                "next_step",
                "LVN prerequisites at Eastshore Community College",
                "Cursos previos de enfermería vocacional (LVN) en Eastshore Community College",
                "2 semesters",
                "2 semestres",
                "Articulation: the IET earns 6 college units toward the health-careers "
                "certificate; a counselor helps you apply.",
                "Articulación: el curso integrado vale 6 unidades universitarias para el "
                "certificado de carreras de salud; un consejero te ayuda a inscribirte.",
                ("college",),
            ),
        ],
        "entries": {
            "esl_3": (
                0,
                "CASAS reading 201–210: the bridge builds your English first.",
                "CASAS de lectura 201–210: el puente fortalece tu inglés primero.",
            ),
            "esl_4": (0, "CASAS reading 211–220.", "CASAS de lectura 211–220."),
            "esl_5": (
                1,
                "CASAS reading 221 or more, and a talk with the navigator.",
                "CASAS de lectura 221 o más, y una plática con la orientadora.",
            ),
            "esl_6": (1, "", ""),
        },
        "review": (
            1,
            "Add the CASAS cut score the college uses for the IET, and say who co-teaches "
            "which hours.",
            "Added: CASAS 221, and the ESL teacher co-teaches 6 of the 12 weekly hours.",
        ),
        "change_note": "After the coach's review: the IET's CASAS cut score and co-teaching "
        "hours, and a phlebotomy add-on",
        "v2_step": (
            3,
            (
                "credential",
                "Phlebotomy technician (CPT I) add-on",
                "Complemento de técnico en flebotomía (CPT I)",
                "6 weeks",
                "6 semanas",
                "Optional: draw blood safely and earn the state CPT I certificate (CDPH).",
                "Opcional: aprende a sacar sangre con seguridad y obtén el certificado "
                "estatal CPT I (CDPH).",
                ("college",),
            ),
        ),
        "open_comment": (
            "wbl",
            "Which clinics have signed for externship slots? Name them on this step so the "
            "map shows where learners go.",
        ),
    },
    "golden-foothills": {
        "title": "Nursing assistant pathway",
        "title_es": "Camino a asistente de enfermería",
        "model": "bridge",
        "occupations": ["31-1131", "31-1120"],
        "summary": "A short bridge into the state-approved nursing assistant program, with "
        "clinical hours in a skilled-nursing facility and a home health add-on.",
        "summary_es": "Un puente corto hacia el programa estatal de auxiliar de enfermería, con "
        "horas clínicas en un centro de enfermería especializada y un complemento de salud en "
        "el hogar.",
        "supports": "Gas cards for clinical days\nTB test, background check and uniforms "
        "paid\nTutoring for the state exam",
        "supports_es": "Tarjetas de gasolina para los días clínicos\nPagamos la prueba de TB, la "
        "revisión de antecedentes y los uniformes\nTutorías para el examen estatal",
        "steps": [
            (
                "course",
                "Pre-CNA bridge",
                "Puente preparatorio para auxiliar de enfermería",
                "8 weeks",
                "8 semanas",
                "English for patient care, basic math for vital signs, and a visit to a "
                "nursing home.",
                "Inglés para el cuidado de pacientes, matemáticas básicas para los signos "
                "vitales y una visita a un centro de cuidado.",
                ("adult_school",),
            ),
            (
                "course",
                "Nursing assistant program",
                "Programa de auxiliar de enfermería",
                "10 weeks",
                "10 semanas",
                "The state-approved program: 60 hours in class and 100 clinical hours.",
                "El programa aprobado por el estado: 60 horas en clase y 100 horas clínicas.",
                ("college",),
            ),
            (
                "wbl",
                "Clinical hours in a skilled-nursing facility",
                "Horas clínicas en un centro de enfermería especializada",
                "100 hours",
                "100 horas",
                "Care for residents with a licensed nurse beside you.",
                "Cuida a residentes junto a una enfermera con licencia.",
                ("employer",),
            ),
            (
                "credential",
                "CNA certificate (CDPH exam)",
                "Certificado de auxiliar de enfermería (examen de CDPH)",
                "1 exam day",
                "1 día de examen",
                "The state competency exam, written (or oral) and skills.",
                "El examen estatal de competencia: escrito (u oral) y de habilidades.",
                (),
            ),
        ],
        "entries": {
            "esl_4": (0, "CASAS reading 211 or more.", "CASAS de lectura 211 o más."),
            "esl_5": (0, "", ""),
            "esl_6": (1, "Go straight to the CNA program.", "Entra directo al programa."),
        },
        "review": (
            2,
            "Who hosts the clinical hours? The state program needs a signed facility "
            "agreement before the cohort starts.",
            "Valley Care Center signed for 12 learners a cohort.",
        ),
        "change_note": "Home health aide add-on after the CNA",
        "v2_step": (
            4,
            (
                "next_step",
                "Home health aide add-on",
                "Complemento de auxiliar de salud en el hogar",
                "40 hours",
                "40 horas",
                "Forty more hours turn the CNA into a home health aide certificate.",
                "Cuarenta horas más convierten tu certificado en auxiliar de salud en el hogar.",
                ("college",),
            ),
        ),
        "open_comment": (
            "credential",
            "Add the exam pass rate from the last cohort to the pathway's summary.",
        ),
    },
    "pacific-gateway": {
        "title": "Phlebotomy to medical assistant",
        "title_es": "De flebotomía a asistente médico",
        "model": "pre_apprenticeship",
        "occupations": ["31-9097", "31-9092"],
        "summary": "Start working sooner as a phlebotomy technician, then stack a medical "
        "assistant certificate while you earn.",
        "summary_es": "Empieza a trabajar antes como técnico en flebotomía y luego suma el "
        "certificado de asistente médico mientras ganas dinero.",
        "supports": "Metro passes\nLaptop loans\nEvening and Saturday classes",
        "supports_es": "Pases de Metro\nPréstamo de computadoras portátiles\nClases por la "
        "tarde y los sábados",
        "steps": [
            (
                "course",
                "Healthcare English and careers",
                "Inglés y carreras del sector salud",
                "10 weeks",
                "10 semanas",
                "Contextualized ESL and a tour of lab and clinic jobs.",
                "Inglés en contexto y un recorrido por empleos de laboratorio y clínica.",
                ("adult_school",),
            ),
            (
                "credential",
                "Phlebotomy technician (CPT I)",
                "Técnico en flebotomía (CPT I)",
                "12 weeks",
                "12 semanas",
                "Class, 40 hours of practice and 50 venipunctures, then the state certificate.",
                "Clases, 40 horas de práctica y 50 venopunciones, y luego el certificado estatal.",
                ("college",),
            ),
            (
                "wbl",
                "Paid work in a hospital lab",
                "Trabajo pagado en un laboratorio de hospital",
                "6 months",
                "6 meses",
                "Work as a phlebotomist while you continue.",
                "Trabaja como flebotomista mientras sigues estudiando.",
                ("employer",),
            ),
            (
                "next_step",
                "Medical assistant certificate at Gateway City College",
                "Certificado de asistente médico en Gateway City College",
                "2 semesters",
                "2 semestres",
                "Your CPT I counts toward the program's lab unit.",
                "Tu CPT I cuenta para la unidad de laboratorio del programa.",
                ("college",),
            ),
        ],
        "entries": {
            "esl_4": (0, "", ""),
            "esl_5": (0, "", ""),
            "esl_6": (1, "CASAS reading 230 or more.", "CASAS de lectura 230 o más."),
        },
        "review": (
            1,
            "The CPT I needs a registered apprenticeship partner for the pre-apprenticeship "
            "model: which program is it?",
            "We are talking with the hospital's apprenticeship program; the MOU is in review.",
        ),
        "change_note": "Apprenticeship partner named; laptop loans added",
        "v2_step": None,
        "open_comment": (
            "next_step",
            "Is the credit for the CPT I written into an articulation agreement yet?",
        ),
    },
}


def _member(grantee: Grantee):
    membership = (
        Membership.objects.filter(grantee=grantee, user__is_active=True)
        .select_related("user")
        .order_by("role", "pk")  # "lead" sorts before "staff": a lead drafts when there is one
        .first()
    )
    return membership.user if membership else None


def _coach(grantee: Grantee):
    assignment = (
        CoachAssignment.objects.filter(grantee=grantee).select_related("coach").order_by("pk")
    ).first()
    return assignment.coach if assignment else None


def _partners_by_kind(grantee: Grantee) -> dict[str, Partner]:
    found: dict[str, Partner] = {}
    for partner in Partner.objects.filter(grantee=grantee).order_by("-stage", "name"):
        found.setdefault(partner.kind, partner)
    return found


def _step_data(step: Step, partners: dict[str, Partner]) -> dict:
    kind, title, title_es, duration, duration_es, detail, detail_es, partner_kinds = step
    return {
        "kind": kind,
        "title": title,
        "title_es": title_es,
        "duration": duration,
        "duration_es": duration_es,
        "detail": detail,
        "detail_es": detail_es,
        "partners": [partners[k] for k in partner_kinds if k in partners],
    }


def seed_pathways_demo(*, program: Program) -> list:
    """Give the program's demo consortia (those of PATHWAYS that exist and have a member) their
    pathway; returns the concepts made. Safe to call before or after the partners demo, and
    again (a consortium that has its demo pathway is left alone)."""
    made = []
    with scopes_disabled():
        occupations = {o.soc_code: o for o in Occupation.objects.all()}
        for slug, spec in PATHWAYS.items():
            grantee = Grantee.objects.filter(program=program, slug=slug).first()
            member = _member(grantee) if grantee else None
            if member is None or grantee.pathways.filter(title=spec["title"]).exists():
                continue  # not in this program, nobody to draft it, or seeded already
            made.append(_seed_one(grantee, member, _coach(grantee), spec, occupations))
    return made


def _seed_one(grantee, member, coach, spec: dict, occupations: dict):
    partners = _partners_by_kind(grantee)
    concept = services.pathway_create(
        actor=member, grantee=grantee, title=spec["title"], model=spec["model"]
    )
    version = concept.versions.get()
    services.pathway_update(
        actor=member,
        version=version,
        data={
            "title": spec["title"],
            "title_es": spec["title_es"],
            "model": spec["model"],
            "summary": spec["summary"],
            "summary_es": spec["summary_es"],
            "supports": spec["supports"],
            "supports_es": spec["supports_es"],
            "target_occupations": [occupations[s] for s in spec["occupations"] if s in occupations],
        },
    )
    steps = [
        services.step_add(actor=member, version=version, data=_step_data(step, partners))
        for step in spec["steps"]
    ]
    services.entry_points_set(
        actor=member,
        version=version,
        rows={
            level: {"step_key": steps[index].key, "note": note, "note_es": note_es}
            for level, (index, note, note_es) in spec["entries"].items()
        },
    )
    index, comment, reply = spec["review"]
    review = None
    if coach is not None:
        review = services.step_comment_add(actor=coach, step=steps[index], body=comment)
        services.step_comment_add(actor=member, step=steps[index], body=reply)
    draft = services.version_new(
        actor=member, concept=concept, from_number=1, change_note=spec["change_note"]
    )
    if spec["v2_step"] is not None:
        position, step = spec["v2_step"]
        added = services.step_add(actor=member, version=draft, data=_step_data(step, partners))
        for _ in range(len(steps) - position):
            added = services.step_move(actor=member, step=added, direction="up")
    if review is not None:
        # The review on version 1 is dealt with; a new comment on the draft is still open.
        services.step_comment_resolve(actor=coach, comment=review, resolved=True)
        kind, body = spec["open_comment"]
        target = draft.steps.filter(kind=kind).order_by("position").first()
        if target is not None:
            target = PathwayStep.objects.select_related("version", "grantee").get(pk=target.pk)
            services.step_comment_add(actor=coach, step=target, body=body)
    return concept

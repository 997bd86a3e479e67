"""Demo data for the library: about forty resources across every kind and topic — small
generated PDFs for toolkits, tools, briefs and slides, video links for recordings and webinars,
plain links — some for one program or one grantee, one draft; and three collections. The events
demo adds the slides and recordings it files from trainings, CoPs and webinars."""

from __future__ import annotations

from grantees.models import Grantee, Program, Topic, User
from library import services
from library.models import PathwayModel, Resource
from portal.demo_files import pdf_upload

# Topic names, shortened for the table below.
EMPLOYERS = "Employer engagement"
LMI = "Labor-market data & priority occupations"
DESIGN = "Pathway design & program models"
IET = "Integrated Education and Training (IET)"
BRIDGE = "Bridge programs"
APPRENTICE = "Pre-apprenticeship & apprenticeship"
ESL = "Contextualized ESL / VESL instruction"
NAVIGATION = "Outreach, intake & navigation"
SUPPORTS = "Support services & barrier reduction"
WBL = "Work-based learning & clinical placements"
DATA = "Data, outcomes & continuous improvement"
FUNDING = "Braided funding & CAEP/WIOA compliance"
CREDENTIALS = "Credentialing & licensure"
PARTNERSHIP = "Partnership, governance & sustainability"

# (title, kind, topics, pathway model slugs, audience, summary)
# fmt: off
RESOURCES = [
    ("Employer engagement playbook", "toolkit", [EMPLOYERS], [], "everyone",
     "Steps, scripts and templates for recruiting clinical and work-based learning partners."),
    ("Reading regional labor-market data", "recording", [LMI], [], "leaders",
     "A 60-minute walkthrough of wage and demand data for healthcare occupations."),
    ("IET program design template", "tool", [IET, ESL], ["iet"], "instructors",
     "A fill-in template pairing contextualized ESL with a certified nursing assistant course."),
    ("Bridge course sequence for medical assistants", "brief", [BRIDGE, DESIGN], ["bridge"],
     "leaders",
     "How three consortia sequence ESL bridge courses into medical-assistant programs."),
    ("Healthcare pre-apprenticeship models", "slides", [APPRENTICE], ["pre-apprenticeship"],
     "everyone", "Slides from the webinar on pre-apprenticeship in healthcare."),
    ("Registered apprenticeship for pharmacy technicians", "brief", [APPRENTICE, CREDENTIALS],
     ["registered-apprenticeship"], "leaders",
     "A one-page brief on sponsor requirements and related instruction hours."),
    ("Intake and navigation checklist", "tool", [NAVIGATION], [], "navigators",
     "A checklist for navigators meeting English learners interested in healthcare careers."),
    ("Contextualized ESL lesson bank", "toolkit", [ESL], ["iet"], "instructors",
     "Lessons on patient communication, vital signs and workplace safety vocabulary."),
    ("Clinical placement agreements explained", "webinar", [WBL, EMPLOYERS], [], "leaders",
     "A recorded webinar on affiliation agreements with hospitals and clinics."),
    ("Pathway model selection guide", "link", [DESIGN], [], "everyone",
     "Compare bridge, IET, pre-apprenticeship and registered apprenticeship for your region."),
    ("Priority occupation worksheet", "tool", [LMI], [], "leaders",
     "Score occupations on wage, demand, entry education and fit for English learners."),
    ("Living wage and healthcare wages by region", "brief", [LMI], [], "everyone",
     "Median wages of entry healthcare jobs set against each region's living wage."),
    ("Employer advisory board starter kit", "toolkit", [EMPLOYERS, PARTNERSHIP], [], "leaders",
     "Agendas, invitation letters and a charter for a healthcare employer advisory board."),
    ("Guest speaker request template", "tool", [EMPLOYERS], [], "instructors",
     "A short request employers can say yes to, with a prep sheet for the speaker."),
    ("Hiring pledge one-pager", "brief", [EMPLOYERS], [], "leaders",
     "How two hospitals committed to interview program completers, and the pledge they signed."),
    ("Team teaching in IET: roles and planning time", "recording", [IET, ESL], ["iet"],
     "instructors", "ESL and CTE instructors on co-planning, co-teaching and shared grading."),
    ("IET compliance checklist (WIOA Title II)", "tool", [IET, FUNDING], ["iet"], "leaders",
     "The three IET components and the evidence a program keeps for each."),
    ("Braiding CAEP and WIOA funds", "slides", [FUNDING], [], "leaders",
     "Slides on allowable costs, co-enrollment and keeping the books straight."),
    ("Navigator caseload tracker", "tool", [NAVIGATION, DATA], [], "navigators",
     "A spreadsheet layout for contacts, referrals and follow-ups without personal data sprawl."),
    ("Childcare and transportation supports", "brief", [SUPPORTS], [], "navigators",
     "What consortia pay for, who partners on it, and how learners hear about it."),
    ("Emergency aid in adult education", "webinar", [SUPPORTS], [], "everyone",
     "A recorded panel on small grants that keep learners enrolled."),
    ("Clinical placement readiness checklist", "tool", [WBL], [], "instructors",
     "Immunizations, background checks, CPR and uniforms: what to start weeks ahead."),
    ("Work-based learning continuum", "link", [WBL], [], "everyone",
     "From career awareness to paid internships: a shared vocabulary for partners."),
    ("Measuring skill gains for English learners", "slides", [DATA, ESL], [], "leaders",
     "CASAS and other measures, and how to report measurable skill gains."),
    ("Outcomes dashboard walkthrough", "recording", [DATA], [], "leaders",
     "How to read quarterly outcomes and spot where learners stall."),
    ("Continuous improvement cycle for pathways", "toolkit", [DATA, PARTNERSHIP], [], "leaders",
     "Plan-do-study-act worksheets adapted for consortium pathway teams."),
    ("Licensure exams and English learners", "brief", [CREDENTIALS], [], "everyone",
     "Language supports allowed in CNA, phlebotomy and pharmacy technician exams."),
    ("Credential ladder for allied health", "link", [CREDENTIALS, DESIGN], [], "everyone",
     "Stackable credentials from entry roles to licensed occupations."),
    ("Consortium governance and MOUs", "toolkit", [PARTNERSHIP], [], "leaders",
     "Sample MOUs between adult schools, colleges and workforce boards."),
    ("Sustaining a pathway after the grant", "webinar", [PARTNERSHIP, FUNDING], [], "leaders",
     "Consortia that kept their IETs running on regular funding explain how."),
    ("Recruiting English learners into healthcare", "slides", [NAVIGATION], [], "navigators",
     "Outreach through community organizations, clinics and ethnic media."),
    ("Pre-apprenticeship program standards", "link", [APPRENTICE], ["pre-apprenticeship"],
     "leaders", "The state's quality framework for pre-apprenticeship programs."),
    ("VESL vocabulary for patient care", "tool", [ESL], ["bridge", "iet"], "instructors",
     "Word lists and role plays for patient care technician and CNA courses."),
    ("Bridge to community health worker", "brief", [BRIDGE], ["bridge"], "leaders",
     "A bridge that prepares English learners for a community health worker certificate."),
]
# fmt: on

FORM_OF_KIND = {
    "recording": "video",
    "webinar": "video",
    "link": "link",
}


def _paragraphs(title: str, summary: str, topics: list[str]) -> list[str]:
    return [
        summary,
        f"Topics: {', '.join(topics)}.",
        "Who it is for: consortium leads, instructors and navigators building healthcare "
        "career pathways for English language learners in California.",
        "How to use it: read it with your pathway team, adapt the examples to your region, and "
        "bring questions to office hours or a 1:1 session with your TA coach.",
        f"{title} is part of the Pathways TA library and may be shared with partners.",
    ]


def seed_library_demo(*, program: Program, ta_admin: User) -> None:
    topics = {t.name: t for t in Topic.objects.all()}
    models = {m.slug: m for m in PathwayModel.objects.all()}
    created = {}
    for index, (title, kind, topic_names, model_slugs, audience, summary) in enumerate(RESOURCES):
        data = {
            "title": title,
            "summary": summary,
            "kind": kind,
            "audience": audience,
            "visibility": "portal",
            "topics": [topics[name] for name in topic_names],
            "pathway_models": [models[slug] for slug in model_slugs],
            "publish": True,
        }
        upload = None
        form = FORM_OF_KIND.get(kind, "file")
        if form == "video":
            data["video_url"] = f"https://video.example.org/library/{index + 1}"
            data["duration_minutes"] = 45 + 15 * (index % 3)
        elif form == "link":
            data["external_url"] = f"https://resources.example.org/{index + 1}"
        else:
            upload = pdf_upload(f"{title}.pdf", title, _paragraphs(title, summary, topic_names))
        created[title] = services.resource_create(actor=ta_admin, data=data, upload=upload)

    grantee = Grantee.objects.filter(program=program).order_by("name").first()
    extras = [
        (
            "Program kickoff slides",
            "slides",
            {"visibility": "program", "program": program},
            "The program year's goals, calendar and how to ask for support.",
            True,
        ),
        (
            f"{grantee.name}: TA plan notes",
            "brief",
            {"visibility": "grantee", "grantee": grantee},
            "Notes from the baseline interview, shared with the consortium's team.",
            True,
        ),
        (
            "Phlebotomy IET case study",
            "brief",
            {"visibility": "portal"},
            "A draft case study, to publish once the consortium has reviewed it.",
            False,
        ),
    ]
    for title, kind, placement, summary, publish in extras:
        data = {
            "title": title,
            "summary": summary,
            "kind": kind,
            "audience": "everyone",
            "topics": [topics[DESIGN]],
            "publish": publish,
            **placement,
        }
        upload = pdf_upload(f"{title}.pdf", title, [summary])
        created[title] = services.resource_create(actor=ta_admin, data=data, upload=upload)

    for title, summary, items in (
        (
            "Employer engagement toolkit",
            "Start with the playbook, then set up an advisory board and ask for commitments.",
            [
                "Employer engagement playbook",
                "Employer advisory board starter kit",
                "Guest speaker request template",
                "Hiring pledge one-pager",
                "Clinical placement agreements explained",
            ],
        ),
        (
            "Starting an IET pathway",
            "From choosing occupations to a compliant, team-taught IET.",
            [
                "Reading regional labor-market data",
                "Priority occupation worksheet",
                "Pathway model selection guide",
                "IET program design template",
                "IET compliance checklist (WIOA Title II)",
                "Team teaching in IET: roles and planning time",
            ],
        ),
        (
            "Keeping learners enrolled",
            "Intake, navigation and the supports that keep English learners in the pathway.",
            [
                "Intake and navigation checklist",
                "Navigator caseload tracker",
                "Childcare and transportation supports",
                "Emergency aid in adult education",
            ],
        ),
    ):
        services.collection_save(
            actor=ta_admin,
            data={"title": title, "summary": summary},
            resources=[created[name] for name in items],
        )
    # Text extraction normally runs in the worker after the commit; the demo reads it now (the
    # events' filed slides too) so words inside the PDFs are searchable from the first visit.
    for resource_id in Resource.objects.exclude(file="").values_list("pk", flat=True):
        services.extract_text(resource_id)

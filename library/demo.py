"""Demo data for the library: a first shelf of linked resources and one collection. (Uploaded
demo PDFs and the full ~40 resources come with the rest of the library issue.)"""

from __future__ import annotations

from grantees.models import Topic, User
from library import services
from library.models import PathwayModel

# (title, kind, topic, pathway model slug or "", summary)
RESOURCES = [
    (
        "Employer engagement playbook",
        "toolkit",
        "Employer engagement",
        "",
        "Steps, scripts and templates for recruiting clinical and work-based learning partners.",
    ),
    (
        "Reading regional labor-market data",
        "recording",
        "Labor-market data & priority occupations",
        "",
        "A 60-minute walkthrough of wage and demand data for healthcare occupations.",
    ),
    (
        "IET program design template",
        "tool",
        "Integrated Education and Training (IET)",
        "iet",
        "A fill-in template pairing contextualized ESL with a certified nursing assistant course.",
    ),
    (
        "Bridge course sequence for medical assistants",
        "brief",
        "Pathway design & program models",
        "bridge",
        "How three consortia sequence ESL bridge courses into medical-assistant programs.",
    ),
    (
        "Healthcare pre-apprenticeship models",
        "slides",
        "Pre-apprenticeship & apprenticeship",
        "pre-apprenticeship",
        "Slides from the webinar on pre-apprenticeship in healthcare.",
    ),
    (
        "Registered apprenticeship for pharmacy technicians",
        "brief",
        "Pre-apprenticeship & apprenticeship",
        "registered-apprenticeship",
        "A one-page brief on sponsor requirements and related instruction hours.",
    ),
    (
        "Intake and navigation checklist",
        "tool",
        "Outreach, intake & navigation",
        "",
        "A checklist for navigators meeting English learners interested in healthcare careers.",
    ),
    (
        "Contextualized ESL lesson bank",
        "toolkit",
        "Contextualized ESL / VESL instruction",
        "iet",
        "Lessons on patient communication, vital signs and workplace safety vocabulary.",
    ),
    (
        "Clinical placement agreements explained",
        "webinar",
        "Employer engagement",
        "",
        "A recorded webinar on affiliation agreements with hospitals and clinics.",
    ),
    (
        "Pathway model selection guide",
        "link",
        "Pathway design & program models",
        "",
        "Compare bridge, IET, pre-apprenticeship and registered apprenticeship for your region.",
    ),
]


def seed_library_demo(*, ta_admin: User) -> None:
    topics = {t.name: t for t in Topic.objects.all()}
    models = {m.slug: m for m in PathwayModel.objects.all()}
    created = []
    for index, (title, kind, topic, model, summary) in enumerate(RESOURCES):
        data = {
            "title": title,
            "summary": summary,
            "kind": kind,
            "audience": "everyone",
            "visibility": "portal",
            "topics": [topics[topic]] if topic in topics else [],
            "pathway_models": [models[model]] if model in models else [],
            "external_url": f"https://resources.example.org/{index + 1}",
            "publish": True,
        }
        if kind in ("recording", "webinar"):
            data["video_url"] = f"https://video.example.org/{index + 1}"
            data["duration_minutes"] = 60
        created.append(services.resource_create(actor=ta_admin, data=data))
    services.collection_save(
        actor=ta_admin,
        data={
            "title": "Employer engagement toolkit",
            "summary": "Start with the playbook, then the agreements webinar.",
        },
        resources=[created[0], created[8], created[1]],
    )

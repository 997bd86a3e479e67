"""Pathway drafting rules: only the draft changes, versions copy with stable step keys, comments
follow the keys, partners stay within the tenant, and each role may do only its part."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation

from grantees.models import Occupation
from pathways import selectors, services
from pathways.models import EntryPoint, PathwayStep, PathwayVersion, StepComment
from portal.services import ServiceError
from tests.pathways.helpers import draft_of, step_data

pytestmark = pytest.mark.django_db


def test_a_new_concept_starts_with_version_1_as_the_draft(world):
    concept = services.pathway_create(
        actor=world.users["staff"], grantee=world.grantee, title=" CNA bridge ", model="bridge"
    )
    assert concept.title == "CNA bridge"
    version = concept.versions.get()
    assert (version.number, version.is_draft, version.model) == (1, True, "bridge")


def test_create_refuses_a_blank_title_and_an_unknown_model(world):
    with pytest.raises(ServiceError) as error:
        services.pathway_create(
            actor=world.users["lead"], grantee=world.grantee, title="  ", model="iet"
        )
    assert error.value.field == "title"
    with pytest.raises(ServiceError) as error:
        services.pathway_create(
            actor=world.users["lead"], grantee=world.grantee, title="X", model="bootcamp"
        )
    assert error.value.field == "model"


def test_update_changes_the_draft_and_the_concept_title(world):
    version = draft_of(world.pathway)
    lvn = Occupation.objects.get(soc_code="29-2061")
    services.pathway_update(
        actor=world.users["lead"],
        version=version,
        data={
            "title": "MA pathway",
            "model": "pre_apprenticeship",
            "summary": "Summary",
            "summary_es": "Resumen",
            "supports": "Childcare",
            "supports_es": "Cuidado de niños",
            "target_occupations": [lvn],
        },
    )
    version.refresh_from_db()
    world.pathway.refresh_from_db()
    assert world.pathway.title == "MA pathway"
    assert (version.model, version.summary_es, version.supports_es) == (
        "pre_apprenticeship",
        "Resumen",
        "Cuidado de niños",
    )
    assert list(version.target_occupations.all()) == [lvn]


def freeze(world, concept=None, note="Reviewed"):
    concept = concept or world.pathway
    number = draft_of(concept).number
    return services.version_new(
        actor=world.users["lead"], concept=concept, from_number=number, change_note=note
    )


def test_new_version_freezes_the_draft_and_copies_everything_with_the_same_keys(world):
    v1 = draft_of(world.pathway)
    second = services.step_add(
        actor=world.users["lead"], version=v1, data=step_data("Externship", "wbl")
    )
    second.partners.set([world.partner])
    v2 = freeze(world, note="After the coach's review")
    v1.refresh_from_db()
    assert v1.frozen_at is not None and not v1.is_draft
    assert (v2.number, v2.is_draft, v2.change_note) == (2, True, "After the coach's review")
    assert (v2.model, v2.summary, v2.supports) == (v1.model, v1.summary, v1.supports)
    assert set(v2.target_occupations.all()) == set(v1.target_occupations.all())
    old = list(v1.steps.order_by("position"))
    new = list(v2.steps.order_by("position"))
    assert [(s.key, s.kind, s.title, s.position) for s in new] == [
        (s.key, s.kind, s.title, s.position) for s in old
    ]
    assert {s.pk for s in new}.isdisjoint({s.pk for s in old})
    assert [list(s.partners.all()) for s in new] == [list(s.partners.all()) for s in old]
    assert [(e.english_level, e.step_key, e.note) for e in v2.entry_points.all()] == [
        (e.english_level, e.step_key, e.note) for e in v1.entry_points.all()
    ]
    # The copy is independent: changing the draft leaves the frozen version as it was.
    services.step_update(
        actor=world.users["lead"], step=new[0], data=step_data("Renamed", partners=[])
    )
    assert PathwayStep.objects.get(pk=old[0].pk).title == old[0].title
    assert list(PathwayStep.objects.get(pk=old[0].pk).partners.all()) == [world.partner]


def test_a_frozen_version_refuses_every_edit(world):
    v1 = draft_of(world.pathway)
    step = v1.steps.order_by("position").first()
    freeze(world)
    v1.refresh_from_db()
    step.refresh_from_db()
    lead = world.users["lead"]
    attempts = [
        lambda: services.pathway_update(
            actor=lead, version=v1, data={"title": "X", "model": "iet"}
        ),
        lambda: services.step_add(actor=lead, version=v1, data=step_data("New")),
        lambda: services.step_update(actor=lead, step=step, data=step_data("New")),
        lambda: services.step_move(actor=lead, step=step, direction="down"),
        lambda: services.step_delete(actor=lead, step=step),
        lambda: services.entry_points_set(actor=lead, version=v1, rows={}),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError) as error:
            attempt()
        assert error.value.code == "frozen"
    assert PathwayStep.objects.filter(version=v1).count() == 2
    assert EntryPoint.objects.filter(version=v1).count() == 1


def test_a_second_submit_for_the_same_draft_is_refused_not_a_third_version(world):
    freeze(world)
    with pytest.raises(ServiceError) as error:
        services.version_new(
            actor=world.users["lead"], concept=world.pathway, from_number=1, change_note="Again"
        )
    assert error.value.code == "stale"
    assert PathwayVersion.objects.filter(concept=world.pathway).count() == 2


def test_a_new_version_needs_a_note(world):
    with pytest.raises(ServiceError) as error:
        services.version_new(
            actor=world.users["lead"], concept=world.pathway, from_number=1, change_note=" "
        )
    assert error.value.field == "change_note"
    assert draft_of(world.pathway).number == 1


def test_the_database_allows_one_open_draft_per_concept(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PathwayVersion.objects.create(
            grantee=world.grantee, concept=world.pathway, number=2, model="iet"
        )


def test_comments_follow_the_step_key_into_later_versions(world):
    coach = world.users["coach"]
    step = world.pathway_step
    later = services.step_comment_add(actor=coach, step=step, body="Name the CASAS test")
    assert (later.version_number, later.step_key) == (1, step.key)
    v2 = freeze(world)
    v2_step = v2.steps.get(key=step.key)
    reply = services.step_comment_add(actor=world.users["lead"], step=v2_step, body="Done")
    assert reply.version_number == 2
    view = selectors.version_view(world.pathway, selectors.versions_of(world.pathway), v2)
    shown = next(s for s in view.steps if s.key == step.key)
    assert [(c.body, c.version_number) for c in shown.comments] == [
        (world.step_comment.body, 1),
        ("Name the CASAS test", 1),
        ("Done", 2),
    ]
    other = next(s for s in view.steps if s.key != step.key)
    assert other.comments == []


def test_resolving_and_reopening_a_comment(world):
    comment = services.step_comment_resolve(
        actor=world.users["lead"], comment=world.step_comment, resolved=True
    )
    assert comment.resolved_at is not None and comment.resolved_by == world.users["lead"]
    comment = services.step_comment_resolve(
        actor=world.users["coach"], comment=comment, resolved=False
    )
    assert comment.resolved_at is None and comment.resolved_by is None


def test_an_empty_comment_is_refused(world):
    with pytest.raises(ServiceError) as error:
        services.step_comment_add(actor=world.users["coach"], step=world.pathway_step, body="  ")
    assert error.value.field == "body"


def test_another_grantees_partner_cannot_stand_beside_a_step(world):
    version = draft_of(world.pathway)
    with pytest.raises(ServiceError) as error:
        services.step_add(
            actor=world.users["lead"],
            version=version,
            data=step_data("Externship", "wbl", partners=[world.other_partner]),
        )
    assert error.value.field == "partners"
    with pytest.raises(ServiceError):
        services.step_update(
            actor=world.users["lead"],
            step=world.pathway_step,
            data=step_data("VESL", partners=[world.partner, world.other_partner]),
        )
    assert list(world.pathway_step.partners.all()) == [world.partner]
    assert version.steps.count() == 2


def test_steps_are_added_at_the_end_and_move_up_and_down(world):
    version = draft_of(world.pathway)
    lead = world.users["lead"]
    third = services.step_add(actor=lead, version=version, data=step_data("Third"))
    titles = lambda: list(version.steps.order_by("position").values_list("title", flat=True))  # noqa: E731
    first, second = titles()[:2]
    assert titles() == [first, second, "Third"]
    services.step_move(actor=lead, step=third, direction="up")
    assert titles() == [first, "Third", second]
    services.step_move(actor=lead, step=third, direction="up")
    services.step_move(actor=lead, step=third, direction="up")  # already first: no change
    assert titles() == ["Third", first, second]
    assert list(version.steps.order_by("position").values_list("position", flat=True)) == [0, 1, 2]
    with pytest.raises(ServiceError):
        services.step_move(actor=lead, step=third, direction="sideways")


def test_a_step_where_learners_start_cannot_be_deleted(world):
    lead = world.users["lead"]
    with pytest.raises(ServiceError) as error:
        services.step_delete(actor=lead, step=world.pathway_step)
    assert "Low intermediate ESL" in error.value.messages[0]
    assert PathwayStep.objects.filter(pk=world.pathway_step.pk).exists()
    other = draft_of(world.pathway).steps.exclude(pk=world.pathway_step.pk).get()
    services.step_delete(actor=lead, step=other)
    assert list(draft_of(world.pathway).steps.values_list("position", flat=True)) == [0]


def test_entry_points_point_at_steps_of_this_version_only(world):
    lead = world.users["lead"]
    version = draft_of(world.pathway)
    foreign_key = world.other_pathway_step.key
    with pytest.raises(ServiceError) as error:
        services.entry_points_set(
            actor=lead, version=version, rows={"esl_2": {"step_key": foreign_key}}
        )
    assert error.value.field == "esl_2-step"
    with pytest.raises(ServiceError) as error:
        services.entry_points_set(
            actor=lead, version=version, rows={"esl_2": {"step_key": None, "note": "Hi"}}
        )
    assert error.value.field == "esl_2-step"
    step = world.pathway_step
    services.entry_points_set(
        actor=lead,
        version=version,
        rows={
            "esl_3": {"step_key": str(step.key), "note": "CASAS 201", "note_es": "CASAS 201"},
            "esl_4": {"step_key": None},
        },
    )
    assert [(e.english_level, e.step_key) for e in version.entry_points.all()] == [
        ("esl_3", step.key)
    ]


@pytest.mark.parametrize("role", ["coach", "ta_admin", "state", "other_staff"])
def test_only_the_grantees_members_draft(world, role):
    actor = world.users[role]
    version = draft_of(world.pathway)
    for attempt in (
        lambda: services.pathway_create(
            actor=actor, grantee=world.grantee, title="Mine", model="iet"
        ),
        lambda: services.step_add(actor=actor, version=version, data=step_data("X")),
        lambda: services.version_new(
            actor=actor, concept=world.pathway, from_number=1, change_note="X"
        ),
        lambda: services.entry_points_set(actor=actor, version=version, rows={}),
    ):
        with pytest.raises(PermissionDenied):
            attempt()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coach", True),
        ("ta_admin", True),
        ("staff", True),
        ("state", False),
        ("other_coach", False),
    ],
)
def test_who_may_comment(world, role, allowed):
    add = lambda: services.step_comment_add(  # noqa: E731
        actor=world.users[role], step=world.pathway_step, body="A thought"
    )
    if allowed:
        assert add().author == world.users[role]
    else:
        with pytest.raises(PermissionDenied):
            add()
        with pytest.raises(PermissionDenied):
            services.step_comment_resolve(
                actor=world.users[role], comment=world.step_comment, resolved=True
            )
    assert StepComment.objects.filter(body="A thought").count() == int(allowed)


def test_the_list_counts_open_comments_and_shows_the_newest_version(world):
    services.step_comment_add(actor=world.users["coach"], step=world.pathway_step, body="Two")
    services.step_comment_resolve(
        actor=world.users["lead"], comment=world.step_comment, resolved=True
    )
    freeze(world)
    (concept,) = selectors.concepts_for(world.grantee)
    assert (concept.current_number, concept.open_comments) == (2, 1)
    assert concept.current_frozen_at is None
    assert str(concept.current_model_label) == "Integrated education and training (IET)"


def test_priority_occupations_come_first_in_the_choice(world):
    choices = list(selectors.occupations_for_choice(world.grantee))
    assert choices[0] == world.priority.occupation
    assert choices[0].priority_position == 0
    assert all(o.priority_position is None for o in choices[1:])
    assert [o.title for o in choices[1:]] == sorted(o.title for o in choices[1:])


def test_hourly_wage_is_the_annual_median_over_2080_hours():
    assert selectors.hourly_wage(40938) == "$19.68"
    assert selectors.annual_wage(40938) == "$40,938"
    assert selectors.hourly_wage(None) == ""


def test_wages_take_the_active_languages_separators():
    """Spanish maps print numbers the way Spanish readers in California do (Mexican formats,
    portal/formats/es): decimal point and comma thousands — not Spain's comma and space."""
    with translation.override("en"):
        assert selectors.hourly_wage(2_500_000) == "$1,201.92"
        assert selectors.annual_wage(2_500_000) == "$2,500,000"
    with translation.override("es"):
        assert selectors.hourly_wage(40938) == "$19.68"
        assert selectors.hourly_wage(2_500_000) == "$1,201.92"
        assert selectors.annual_wage(40938) == "$40,938"
        assert selectors.local_number(2080) == "2,080"


def test_the_spanish_title_is_set_on_create_and_on_update(world):
    lead = world.users["lead"]
    concept = services.pathway_create(
        actor=lead, grantee=world.grantee, title="CNA bridge", model="bridge", title_es=" Puente "
    )
    assert concept.title_es == "Puente"
    data = {"title": "CNA bridge", "title_es": "Puente a CNA", "model": "bridge"}
    services.pathway_update(actor=lead, version=draft_of(concept), data=data)
    concept.refresh_from_db()
    assert concept.title_es == "Puente a CNA"
    services.pathway_update(actor=lead, version=draft_of(concept), data={**data, "title_es": ""})
    concept.refresh_from_db()
    assert (concept.title, concept.title_es) == ("CNA bridge", "")


def _removed_since_read(world) -> PathwayStep:
    """The step as the page read it, after another member removed it (a stale instance)."""
    row = draft_of(world.pathway).steps.exclude(pk=world.pathway_step.pk).get()
    stale = selectors.step_in(world.grantee, row.pk)
    PathwayStep.objects.filter(pk=row.pk).delete()
    return stale


@pytest.mark.parametrize(
    "write",
    [
        lambda actor, step: services.step_update(actor=actor, step=step, data=step_data("New")),
        lambda actor, step: services.step_move(actor=actor, step=step, direction="up"),
        lambda actor, step: services.step_delete(actor=actor, step=step),
    ],
    ids=["update", "move", "delete"],
)
def test_a_step_removed_since_the_page_read_it_is_a_service_error(world, write):
    stale = _removed_since_read(world)
    with pytest.raises(ServiceError) as error:
        write(world.users["lead"], stale)
    assert error.value.code == "gone"
    assert error.value.messages == ["This step was removed by someone else."]
    assert list(draft_of(world.pathway).steps.all()) == [world.pathway_step]

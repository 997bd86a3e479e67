"""Instruments, assessments, autosave and finalizing: services and pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessments import scoring, services
from assessments.models import Answer, Assessment, DomainScore, Item
from portal.services import ServiceError
from tests.budget import assert_constant_queries
from tests.world import INTERNAL_MARKER, MARKER

pytestmark = pytest.mark.django_db


def _item(world, position=1):
    return Item.objects.get(domain__version=world.instrument_version, domain__position=position)


def save(world, role, assessment, field, value, was=""):
    return services.assessment_save_field(
        actor=world.users[role], assessment=assessment, field=field, value=value, was=was
    )


# --- Versions -------------------------------------------------------------------------------------


def test_a_used_version_is_frozen(world):
    item = _item(world)
    with pytest.raises(ServiceError) as error:
        services.item_save(
            actor=world.users["ta_admin"], domain=item.domain, item=item, data={"prompt": "x"}
        )
    assert error.value.code == "frozen"
    with pytest.raises(ServiceError):
        services.domain_delete(actor=world.users["ta_admin"], domain=item.domain)
    item.refresh_from_db()
    assert item.prompt.startswith("Where does the consortium stand")


def test_new_version_copies_everything_and_leaves_past_assessments_alone(world):
    old = world.instrument_version
    copy = services.version_new(actor=world.users["ta_admin"], version=old, notes="Clearer")
    assert copy.number == old.number + 1
    assert list(copy.domains.values_list("key", "title")) == list(
        old.domains.values_list("key", "title")
    )
    assert Item.objects.filter(domain__version=copy).count() == 8
    assert set(copy.domains.first().topics.all()) == set(old.domains.first().topics.all())
    new_item = Item.objects.get(domain__version=copy, domain__position=1)
    services.item_save(
        actor=world.users["ta_admin"],
        domain=new_item.domain,
        item=new_item,
        data={"prompt": "Reworded", **dict.fromkeys(services.RUBRIC_FIELDS, "text")},
    )
    assert _item(world).prompt.startswith("Where does the consortium stand")
    world.assessment.refresh_from_db()
    assert world.assessment.version_id == old.pk


def test_only_ta_admins_change_instruments(world):
    with pytest.raises(PermissionDenied):
        services.version_new(actor=world.users["coach"], version=world.instrument_version)


# --- Autosave -------------------------------------------------------------------------------------


def test_autosave_stores_each_field(world):
    draft, item = world.assessment_draft, _item(world, 2)
    outcome = save(world, "coach", draft, f"coach:{item.pk}:evidence", "Line one\r\nLine two")
    assert outcome.saved
    answer = Answer.objects.get(assessment=draft, item=item, source="coach")
    assert answer.evidence == "Line one\nLine two"  # one kind of line break
    assert answer.updated_by == world.users["coach"]
    save(world, "coach", draft, f"coach:{item.pk}:level", "4", was="3")
    assert Answer.objects.get(pk=answer.pk).level == 4


def test_two_editors_conflict_instead_of_overwriting(world):
    draft = world.assessment_draft
    # The coach and the TA admin both opened the page with an empty regional strategy.
    first = save(world, "ta_admin", draft, "regional_strategy", "Admin's view", was="")
    assert first.saved
    second = save(world, "coach", draft, "regional_strategy", "Coach's view", was="")
    assert not second.saved
    assert second.current == "Admin's view"
    assert second.updated_by == world.users["ta_admin"]
    draft.refresh_from_db()
    assert draft.regional_strategy == "Admin's view"
    # "Keep mine": the coach saves again knowing what they replace.
    assert save(
        world, "coach", draft, "regional_strategy", "Coach's view", was="Admin's view"
    ).saved
    draft.refresh_from_db()
    assert draft.regional_strategy == "Coach's view"


def test_conflict_on_an_item_names_the_other_editor(world):
    draft, item = world.assessment_draft, _item(world)
    field = f"coach:{item.pk}:level"
    assert save(world, "ta_admin", draft, field, "1", was="3").saved
    outcome = save(world, "coach", draft, field, "2", was="3")
    assert (outcome.saved, outcome.current, outcome.updated_by) == (
        False,
        "1",
        world.users["ta_admin"],
    )
    # Saving what is already there is no conflict.
    assert save(world, "coach", draft, field, "1", was="3").saved


def test_each_side_saves_only_its_own_answers(world):
    draft, item = world.assessment_draft, _item(world)
    with pytest.raises(PermissionDenied):
        save(world, "staff", draft, f"coach:{item.pk}:level", "4", was="3")
    with pytest.raises(PermissionDenied):
        save(world, "staff", draft, "internal_notes", "x")
    with pytest.raises(PermissionDenied):
        save(world, "coach", draft, f"grantee:{item.pk}:level", "4")
    with pytest.raises(PermissionDenied):
        save(world, "other_coach", draft, "regional_strategy", "x")
    assert save(world, "lead", draft, f"grantee:{item.pk}:flagged", "on").saved


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("coach:{item}:level", "5", "Choose a level from 1 to 4."),
        ("coach:{item}:level", "two", "Choose a level from 1 to 4."),
        ("coach:{item}:nonsense", "1", "Unknown field."),
        ("coach:999999:level", "1", "Unknown field."),
        ("created_at", "x", "Unknown field."),
        ("regional_strategy", "x" * 20_001, "Keep this under 20,000 characters."),
    ],
)
def test_bad_fields_and_values_are_refused(world, field, value, message):
    field = field.format(item=_item(world).pk)
    with pytest.raises(ServiceError) as error:
        save(world, "coach", world.assessment_draft, field, value, was="3")
    assert error.value.messages == [message]


def test_an_item_of_another_version_is_refused(world):
    copy = services.version_new(actor=world.users["ta_admin"], version=world.instrument_version)
    other_item = Item.objects.filter(domain__version=copy).first()
    with pytest.raises(ServiceError):
        save(world, "coach", world.assessment_draft, f"coach:{other_item.pk}:level", "2")


# --- Starting and finalizing ----------------------------------------------------------------------


def test_follow_up_needs_a_finalized_baseline_and_one_draft_per_kind(world):
    coach, version = world.users["other_coach"], world.instrument_version
    with pytest.raises(ServiceError) as error:
        services.assessment_start(
            actor=coach, grantee=world.other_grantee, kind="midpoint", version=version
        )
    assert error.value.field == "kind"
    with pytest.raises(ServiceError) as error:
        services.assessment_start(
            actor=coach, grantee=world.other_grantee, kind="baseline", version=version
        )
    assert "already in progress" in error.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.assessment_start(
            actor=coach, grantee=world.grantee, kind="baseline", version=version
        )


def test_finalize_needs_every_item_rated_and_a_date(world):
    other = world.other_assessment
    coach = world.users["other_coach"]
    for item in Item.objects.filter(domain__version=other.version).exclude(domain__position=5):
        save(world, "other_coach", other, f"coach:{item.pk}:level", "2")
    with pytest.raises(ServiceError) as error:
        services.assessment_finalize(actor=coach, assessment=other)
    assert "Outreach, intake, assessment & navigation" in error.value.messages[0]
    save(world, "other_coach", other, f"coach:{_item(world, 5).pk}:level", "4")
    with pytest.raises(ServiceError) as error:
        services.assessment_finalize(actor=coach, assessment=other)
    assert error.value.field == "interview_on"
    assert not DomainScore.objects.filter(assessment=other).exists()


def test_finalized_scores_are_reproducible_and_nothing_changes_after(world):
    draft = world.assessment_draft
    coach = world.users["coach"]
    levels = {1: [3], 2: [1], 3: [4], 4: [2], 5: [3], 6: [3], 7: [2], 8: [1]}
    for position, (level,) in levels.items():
        save(world, "coach", draft, f"coach:{_item(world, position).pk}:level", str(level), "3")
    services.assessment_set_date(actor=coach, assessment=draft, interview_on=draft.created_at)
    final = services.assessment_finalize(actor=coach, assessment=draft)
    stored = dict(DomainScore.objects.filter(assessment=final).values_list("domain_id", "score"))
    # Recomputed from the stored answers alone.
    answers = Answer.objects.filter(assessment=final, source="coach").select_related("item")
    recomputed = scoring.domain_scores(
        {d: [a.level for a in answers if a.item.domain_id == d] for d in stored}
    )
    assert stored == recomputed
    assert (
        final.overall_score
        == scoring.overall_score(recomputed)
        == scoring.mean([3, 1, 4, 2, 3, 3, 2, 1])
    )
    with pytest.raises(ServiceError) as error:
        save(world, "coach", final, "regional_strategy", "late")
    assert error.value.code == "final"
    with pytest.raises(ServiceError):
        save(world, "staff", final, f"grantee:{_item(world).pk}:level", "1")
    with pytest.raises(ServiceError):
        services.assessment_finalize(actor=coach, assessment=final)


# --- Pages ----------------------------------------------------------------------------------------


def url(world, name="", assessment=None):
    assessment = assessment or world.assessment
    base = f"/g/{world.grantee.slug}/assessments/{assessment.pk}/"
    return base + (f"{name}/" if name else "")


def test_grantee_sees_shared_results_but_never_internal_notes(world, client_for):
    for role in ("staff", "lead", "state"):
        page = client_for(role).get(url(world)).content.decode()
        assert "Evidence " + MARKER in page
        assert "regional_strategy " + MARKER in page
        assert "2.00" in page
        assert INTERNAL_MARKER not in page
    coach_page = client_for("coach").get(url(world)).content.decode()
    assert INTERNAL_MARKER in coach_page


def test_a_draft_shows_the_grantee_no_coach_ratings(world, client_for):
    page = client_for("staff").get(url(world, assessment=world.assessment_draft)).content.decode()
    assert "in progress" in page
    assert "Fill in your self-assessment" in page
    assert "Coach:" not in page and INTERNAL_MARKER not in page


def test_follow_up_page_shows_growth_since_the_baseline(world, client_for):
    draft = world.assessment_draft  # every coach level 3; the baseline was all 2
    services.assessment_set_date(
        actor=world.users["coach"], assessment=draft, interview_on=draft.created_at
    )
    services.assessment_finalize(actor=world.users["coach"], assessment=draft)
    page = client_for("lead").get(url(world, assessment=draft)).content.decode()
    assert "Growth since the baseline" in page
    assert "+1.00" in page
    assert "<svg" in page and "Baseline" in page


def test_htmx_autosave_answers_with_the_save_state(world, client_for):
    client = client_for("coach")
    draft = world.assessment_draft
    response = client.post(
        url(world, "save", draft),
        {"field": "system_capacity", "value": "Strong dean", "was": ""},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved" in body and 'id="was-system_capacity"' in body and 'value="Strong dean"' in body
    conflict = client_for("ta_admin").post(
        url(world, "save", draft),
        {"field": "system_capacity", "value": "Weak", "was": ""},
        headers={"HX-Request": "true"},
    )
    assert "Coach Carla changed this" in conflict.content.decode()
    assert "Strong dean" in conflict.content.decode()
    bad = client.post(
        url(world, "save", draft),
        {"field": f"coach:{_item(world).pk}:level", "value": "9", "was": "3"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422 and "Choose a level from 1 to 4." in bad.content.decode()


def test_autosave_without_javascript_comes_back_to_the_page(world, client_for):
    item = _item(world)
    response = client_for("staff").post(
        url(world, "save", world.assessment_draft),
        {"field": f"grantee:{item.pk}:flagged", "was": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/self-assessment/")
    assert not Answer.objects.get(
        assessment=world.assessment_draft, item=item, source="grantee"
    ).flagged


def test_finalize_page_explains_what_is_missing(world, client_for):
    response = client_for("coach").post(url(world, "finalize", world.assessment_draft))
    assert response.status_code == 422
    assert "Enter the date of the interview." in response.content.decode()
    world.assessment_draft.refresh_from_db()
    assert world.assessment_draft.status == Assessment.Status.DRAFT


def test_start_form_gives_field_messages(world, client_for):
    response = client_for("coach").post(
        f"/g/{world.grantee.slug}/assessments/new/",
        {"kind": "midpoint", "version": world.instrument_version.pk},
    )
    assert response.status_code == 422
    assert "already in progress" in response.content.decode()


def test_ta_admin_builds_an_instrument_through_the_pages(world, client_for):
    client = client_for("ta_admin")
    response = client.post("/assessments/instruments/new/", {"name": "", "description": ""})
    assert response.status_code == 422
    response = client.post("/assessments/instruments/new/", {"name": "Employer readiness"})
    version_url = response["Location"]
    response = client.post(version_url + "domains/new/", {"title": "Hiring"})
    assert response.status_code == 302
    domain = world.instrument_version.__class__.objects.get(
        instrument__name="Employer readiness"
    ).domains.get()
    assert domain.key == "hiring"
    response = client.post(version_url + f"domains/{domain.pk}/items/new/", {"prompt": "Q"})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    client.post(
        version_url + f"domains/{domain.pk}/items/new/",
        {
            "prompt": "Do employers interview completers?",
            **dict.fromkeys(services.RUBRIC_FIELDS, "Describe"),
        },
    )
    assert domain.items.get().prompt == "Do employers interview completers?"
    page = client.get(version_url).content.decode()
    assert "Do employers interview completers?" in page and "Editable" in page


def test_assessment_pages_keep_their_query_count(world, client_for):
    from grantees.models import User
    from tests.factories import MembershipFactory, UserFactory

    def grow(n):
        # More people answering and more assessments in the list.
        for _ in range(n):
            user: User = UserFactory()
            MembershipFactory(user=user, grantee=world.grantee)
            item = _item(world, 1 + _ % 8)
            save(world, "staff", world.assessment_draft, f"grantee:{item.pk}:evidence", f"{_}")
            version = services.version_new(
                actor=world.users["ta_admin"], version=world.instrument_version
            )
            del version

    for role, page in (
        ("coach", url(world, "interview", world.assessment_draft)),
        ("staff", url(world, "self-assessment", world.assessment_draft)),
        ("lead", url(world)),
        ("coach", f"/g/{world.grantee.slug}/assessments/"),
        ("ta_admin", "/assessments/instruments/"),
        ("ta_admin", f"/assessments/versions/{world.instrument_version.pk}/"),
    ):
        assert_constant_queries(client_for(role), page, grow=grow)


# --- Program heatmap ------------------------------------------------------------------------------


def test_heatmap_shows_latest_scores_by_region_and_averages(world):
    from assessments.selectors import program_heatmap

    heatmap = program_heatmap(program=world.program)
    assert len(heatmap.columns) == 8
    alpha = next(row for row in heatmap.rows if row.grantee == world.grantee)
    assert alpha.cells == [Decimal("2.00")] * 8 and alpha.kind == "Baseline"
    bravo = next(row for row in heatmap.rows if row.grantee == world.other_grantee)
    assert bravo.cells == [None] * 8  # B's baseline is still in progress
    program_row = heatmap.rows[-1]
    assert program_row.label == "Program average" and program_row.cells[0] == Decimal("2.00")
    # A later midpoint (all 3s) replaces the baseline; asking for baselines brings it back.
    draft = world.assessment_draft
    services.assessment_set_date(
        actor=world.users["coach"], assessment=draft, interview_on=draft.created_at
    )
    services.assessment_finalize(actor=world.users["coach"], assessment=draft)
    latest = next(
        r for r in program_heatmap(program=world.program).rows if r.grantee == world.grantee
    )
    assert latest.cells[0] == Decimal("3.00") and latest.kind == "Midpoint"
    baseline = next(
        r
        for r in program_heatmap(program=world.program, kind="baseline").rows
        if r.grantee == world.grantee
    )
    assert baseline.cells[0] == Decimal("2.00")


def test_heatmap_page_for_state_and_ta_admins_only(world, client_for):
    url = f"/p/{world.program.slug}/assessments/"
    page = client_for("state").get(url).content.decode()
    assert "Needs across grantees" in page and "Program average" in page
    assert client_for("other_state").get(url).status_code == 404
    assert client_for("coach").get(url).status_code == 404


def test_heatmap_query_count_is_constant_at_ten_times_the_grantees(world, client_for):
    from tests.factories import CoachAssignmentFactory, GranteeFactory

    coach = world.users["coach"]

    def grow(n):
        for _ in range(n):
            grantee = GranteeFactory(program=world.program)
            CoachAssignmentFactory(coach=coach, grantee=grantee)
            assessment = services.assessment_start(
                actor=coach,
                grantee=grantee,
                kind="baseline",
                version=world.instrument_version,
                interview_on=date.today(),
            )
            for item in Item.objects.filter(domain__version=world.instrument_version):
                save(world, "coach", assessment, f"coach:{item.pk}:level", "1")
            services.assessment_finalize(actor=coach, assessment=assessment)

    assert_constant_queries(
        client_for("ta_admin"), f"/p/{world.program.slug}/assessments/", grow=grow
    )


# --- PDF ------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_has_the_grantee_scores_and_plan_but_no_internal_notes(world, client_for):
    response = client_for("coach").get(url(world, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Alpha" in text and MARKER in text  # the grantee's name carries the marker
    assert "2.00" in text and "Baseline needs assessment" in text
    assert f"Goal {MARKER}" in text and f"Action {MARKER}" in text
    assert INTERNAL_MARKER not in text  # not even for the coach who wrote them
    assert "Page 1 of" in text


def test_no_pdf_for_an_assessment_in_progress(world, client_for):
    assert client_for("coach").get(url(world, "pdf", world.assessment_draft)).status_code == 404


def test_text_that_postgresql_cannot_store_and_odd_digits_are_refused(world):
    with pytest.raises(ServiceError) as error:
        save(world, "coach", world.assessment_draft, "system_capacity", "a\x00b")
    assert error.value.field == "value"
    with pytest.raises(ServiceError) as error:
        save(world, "coach", world.assessment_draft, "coach:²:level", "1")
    assert error.value.messages == ["Unknown field."]

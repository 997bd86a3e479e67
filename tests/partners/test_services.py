"""Partner services: the stage history, the compare-and-set move, the commitment rules, and who
may write (the grantee's own people only)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from partners import services
from partners.models import Commitment, Partner, StageChange
from portal.services import ServiceError

pytestmark = pytest.mark.django_db


def partner_data(**changes):
    return {
        "name": "Eastshore Medical Group",
        "kind": Partner.Kind.EMPLOYER,
        "stage": Partner.Stage.CONTACTED,
        "contact_name": "Renee Park",
        "contact_title": "Clinic manager",
        "contact_email": "renee@example.org",
        "contact_phone": "(510) 555-0148",
        "notes": "Met at the regional training.",
        **changes,
    }


def commitment_data(**changes):
    return {
        "kind": Commitment.Kind.WBL_SLOTS,
        "quantity": 6,
        "description": "Externship slots, Saturdays",
        "status": Commitment.Status.PROPOSED,
        "starts_on": date(2027, 1, 11),
        "ends_on": date(2027, 5, 28),
        **changes,
    }


def test_creating_a_partner_records_its_first_stage(world):
    lead = world.users["lead"]
    partner = services.partner_create(actor=lead, grantee=world.grantee, data=partner_data())
    assert (partner.stage, partner.grantee, partner.created_by) == (
        "contacted",
        world.grantee,
        lead,
    )
    assert partner.stage_changed_at is not None
    [change] = StageChange.objects.filter(partner=partner)
    assert (change.from_stage, change.to_stage, change.changed_by) == ("", "contacted", lead)
    assert change.grantee == world.grantee


def test_names_are_unique_per_grantee_ignoring_case_and_spaces(world):
    lead = world.users["lead"]
    services.partner_create(actor=lead, grantee=world.grantee, data=partner_data())
    with pytest.raises(ServiceError) as error:
        services.partner_create(
            actor=lead, grantee=world.grantee, data=partner_data(name="  eastshore   MEDICAL group")
        )
    assert error.value.field == "name"
    assert "already have a partner called “Eastshore Medical Group”" in error.value.messages[0]
    assert (
        Partner.objects.filter(
            grantee=world.grantee, name__iexact="eastshore medical group"
        ).count()
        == 1
    )
    # Another grantee may have a partner of the same name.
    other = services.partner_create(
        actor=world.users["other_staff"], grantee=world.other_grantee, data=partner_data()
    )
    assert other.grantee == world.other_grantee


def test_renaming_to_another_partner_s_name_is_refused_but_keeping_one_s_own_is_fine(world):
    lead = world.users["lead"]
    partner = services.partner_create(actor=lead, grantee=world.grantee, data=partner_data())
    services.partner_update(
        actor=lead, partner=partner, data=partner_data(name="EASTSHORE medical group")
    )
    partner.refresh_from_db()
    assert partner.name == "EASTSHORE medical group"
    with pytest.raises(ServiceError) as error:
        services.partner_update(
            actor=lead, partner=partner, data=partner_data(name=world.partner.name.upper())
        )
    assert error.value.field == "name"


def test_editing_never_moves_the_stage(world):
    partner = world.partner
    services.partner_update(
        actor=world.users["staff"], partner=partner, data=partner_data(stage="active_wbl")
    )
    partner.refresh_from_db()
    assert partner.stage == Partner.Stage.ENGAGED
    assert not StageChange.objects.filter(partner=partner).exists()


def test_a_move_records_who_moved_it_from_where_to_where(world):
    staff = world.users["staff"]
    before = timezone.now()
    partner = services.partner_move(
        actor=staff, partner=world.partner, seen="engaged", to="committed"
    )
    assert partner.stage == "committed" and partner.stage_changed_at >= before
    [change] = StageChange.objects.filter(partner=partner)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        "engaged",
        "committed",
        staff,
    )


def test_a_stale_move_is_refused_and_says_who_moved_it(world):
    """Two people look at the partner at "engaged"; the lead moves it on; the staff member's
    move, made from the stale page, changes nothing."""
    services.partner_move(
        actor=world.users["lead"], partner=world.partner, seen="engaged", to="committed"
    )
    with pytest.raises(ServiceError) as error:
        services.partner_move(
            actor=world.users["staff"], partner=world.partner, seen="engaged", to="contacted"
        )
    assert error.value.code == "stale"
    message = error.value.messages[0]
    assert world.users["lead"].full_name in message and "“Committed (MOU)”" in message
    world.partner.refresh_from_db()
    assert world.partner.stage == "committed"
    assert StageChange.objects.filter(partner=world.partner).count() == 1


def test_moving_to_the_same_or_an_unknown_stage_is_refused(world):
    staff = world.users["staff"]
    with pytest.raises(ServiceError) as error:
        services.partner_move(actor=staff, partner=world.partner, seen="engaged", to="engaged")
    assert error.value.code == "unchanged"
    with pytest.raises(ServiceError) as error:
        services.partner_move(actor=staff, partner=world.partner, seen="engaged", to="married")
    assert error.value.code == "invalid"
    assert not StageChange.objects.filter(partner=world.partner).exists()


@pytest.mark.parametrize("role", ["coach", "state", "ta_admin", "other_staff", "other_coach"])
def test_only_the_grantee_s_own_people_write(world, role):
    actor = world.users[role]
    with pytest.raises(PermissionDenied):
        services.partner_create(actor=actor, grantee=world.grantee, data=partner_data())
    with pytest.raises(PermissionDenied):
        services.partner_update(actor=actor, partner=world.partner, data=partner_data())
    with pytest.raises(PermissionDenied):
        services.partner_move(actor=actor, partner=world.partner, seen="engaged", to="committed")
    with pytest.raises(PermissionDenied):
        services.partner_delete(actor=actor, partner=world.partner)
    with pytest.raises(PermissionDenied):
        services.commitment_save(actor=actor, partner=world.partner, data=commitment_data())
    with pytest.raises(PermissionDenied):
        services.commitment_delete(actor=actor, commitment=world.commitment)
    world.partner.refresh_from_db()
    assert world.partner.stage == "engaged"
    assert Commitment.objects.filter(pk=world.commitment.pk).exists()


def test_another_grantee_s_member_cannot_write_a_partner_through_their_own_grantee(world):
    # B's staff passing B as the grantee does not make A's partner theirs: the check follows
    # the partner's own grantee.
    with pytest.raises(PermissionDenied):
        services.partner_move(
            actor=world.users["other_staff"], partner=world.partner, seen="engaged", to="committed"
        )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"quantity": None}, "quantity", "how many slots"),
        ({"quantity": 0}, "quantity", "how many slots"),
        ({"kind": "interviews", "quantity": None}, "quantity", "how many interviews"),
        ({"kind": "hiring", "quantity": 0}, "quantity", "how many people"),
        ({"kind": "equipment", "quantity": 0}, "quantity", "at least 1, or leave it empty"),
        ({"kind": "other", "description": "  "}, "description", "Describe what"),
        ({"ends_on": date(2027, 1, 10)}, "ends_on", "on or after the start date (Jan 11, 2027)"),
        ({"quantity": 10_001}, "quantity", "up to 10,000"),
        ({"kind": "equipment", "quantity": 99_999_999_999}, "quantity", "up to 10,000"),
    ],
)
def test_commitment_rules(world, changes, field, words):
    with pytest.raises(ServiceError) as error:
        services.commitment_save(
            actor=world.users["lead"], partner=world.partner, data=commitment_data(**changes)
        )
    assert error.value.field == field
    assert words in error.value.messages[0]
    assert Commitment.objects.filter(partner=world.partner).count() == 1  # the world's own


def test_commitments_without_a_count_where_none_is_needed(world):
    lead = world.users["lead"]
    for kind in ("guest_speaking", "equipment"):
        commitment = services.commitment_save(
            actor=lead,
            partner=world.partner,
            data=commitment_data(kind=kind, quantity=None, starts_on=None, ends_on=None),
        )
        assert commitment.quantity is None and commitment.grantee == world.grantee
    other = services.commitment_save(
        actor=lead,
        partner=world.partner,
        data=commitment_data(kind="other", quantity=None, description="Scrubs for 20 learners"),
    )
    assert other.description == "Scrubs for 20 learners"


def test_all_commitment_problems_are_listed_at_once():
    problems = dict(
        services.commitment_problems(
            {
                "kind": "other",
                "quantity": 0,
                "description": "",
                "status": "proposed",
                "starts_on": date(2027, 2, 1),
                "ends_on": date(2027, 1, 1),
            }
        )
    )
    assert set(problems) == {"quantity", "description", "ends_on"}


def test_editing_a_commitment_keeps_its_partner(world):
    commitment = services.commitment_save(
        actor=world.users["lead"],
        partner=world.partner,
        data=commitment_data(quantity=8, status="confirmed"),
        commitment=world.commitment,
    )
    commitment.refresh_from_db()
    assert (commitment.quantity, commitment.status, commitment.partner) == (
        8,
        "confirmed",
        world.partner,
    )


def test_deleting_a_partner_takes_its_commitments_and_history(world):
    staff = world.users["staff"]
    services.partner_move(actor=staff, partner=world.partner, seen="engaged", to="committed")
    services.partner_delete(actor=staff, partner=world.partner)
    assert not Partner.objects.filter(pk=world.partner.pk).exists()
    assert not Commitment.objects.filter(pk=world.commitment.pk).exists()
    assert not StageChange.objects.filter(partner_id=world.partner.pk).exists()
    assert Partner.objects.filter(pk=world.other_partner.pk).exists()


def freeze_first_version(world):
    """Freeze the world's pathway draft (version 1, whose first step names world.partner) into
    version 2, the new draft."""
    from pathways.services import version_new

    return version_new(
        actor=world.users["lead"], concept=world.pathway, from_number=1, change_note="Agreed"
    )


def test_a_partner_a_frozen_pathway_version_names_is_not_deleted(world):
    from pathways.models import PathwayStep

    freeze_first_version(world)
    with pytest.raises(ServiceError) as error:
        services.partner_delete(actor=world.users["staff"], partner=world.partner)
    message = error.value.messages[0]
    assert message.startswith(f"{world.partner.name} can't be deleted")
    assert f"“{world.pathway.title}” (version 1)" in message
    assert Partner.objects.filter(pk=world.partner.pk).exists()
    assert Commitment.objects.filter(pk=world.commitment.pk).exists()
    frozen = PathwayStep.objects.get(pk=world.pathway_step.pk)
    assert list(frozen.partners.all()) == [world.partner]


def test_the_refusal_names_every_pathway_and_version(world):
    from pathways.services import version_new

    freeze_first_version(world)
    version_new(actor=world.users["lead"], concept=world.pathway, from_number=2, change_note="x")
    refusal = services.partner_delete_refusal(world.partner)
    assert f"“{world.pathway.title}” (versions 1 and 2)" in refusal
    # A second pathway, frozen at version 1, is named too (pathways by title).
    from pathways.models import PathwayConcept, PathwayStep, PathwayVersion

    concept = PathwayConcept.objects.create(grantee=world.grantee, title="Apprenticeship track")
    version = PathwayVersion.objects.create(
        grantee=world.grantee, concept=concept, number=1, frozen_at=timezone.now()
    )
    step = PathwayStep.objects.create(
        grantee=world.grantee, version=version, kind="wbl", title="Externship"
    )
    step.partners.set([world.partner])
    refusal = services.partner_delete_refusal(world.partner)
    assert "“Apprenticeship track” (version 1) and " in refusal
    assert refusal.index("Apprenticeship track") < refusal.index(world.pathway.title)
    assert services.partner_delete_refusal(world.other_partner) is None


def test_a_partner_only_the_working_draft_names_is_deleted_and_the_step_stays(world):
    from pathways.models import PathwayStep

    services.partner_delete(actor=world.users["staff"], partner=world.partner)
    assert not Partner.objects.filter(pk=world.partner.pk).exists()
    step = PathwayStep.objects.get(pk=world.pathway_step.pk)
    assert not step.partners.exists()


def test_days_in_stage(world):
    from partners.selectors import days_in_stage

    partner = world.partner
    partner.stage_changed_at = timezone.now() - timedelta(days=12, hours=3)
    assert days_in_stage(partner) == 12
    partner.stage_changed_at = None  # rows from before the history: since they were added
    assert days_in_stage(partner, now=partner.created_at + timedelta(days=3)) == 3


def test_commitment_summary_counts_what_is_promised_and_skips_withdrawn():
    from partners.selectors import commitment_summary

    def c(kind, quantity=None, status="confirmed", description=""):
        return Commitment(kind=kind, quantity=quantity, status=status, description=description)

    assert commitment_summary([]) == ""
    assert (
        commitment_summary(
            [
                c("hiring", 2),
                c("wbl_slots", 6, "proposed"),
                c("wbl_slots", 4),
                c("guest_speaking"),
                c("interviews", 1),
                c("hiring", 5, "withdrawn"),
            ]
        )
        == "10 clinical/WBL slots · guest speaking · 1 interview · 2 hires"
    )
    assert commitment_summary([c("other", description="Childcare for the evening cohort")]) == (
        "Childcare for the evening cohort"
    )
    assert commitment_summary([c("other"), c("other", description="Bus passes")]) == "other"
    assert commitment_summary([c("equipment", 1), c("other", 3)]) == (
        "1 equipment item · 3 other commitments"
    )

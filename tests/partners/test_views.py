"""Partner pages: what each role sees and may do, field messages (422 for HTMX), the stage move
from the partner page and the pipeline, with and without JavaScript."""

from __future__ import annotations

import re

import pytest

from partners import services
from partners.models import Commitment, Partner, StageChange
from tests.world import MARKER

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def base(world) -> str:
    return f"/g/{world.grantee.slug}/partners/"


def form(**changes):
    return {
        "name": "Eastshore Medical Group",
        "kind": "employer",
        "stage": "identified",
        "contact_name": "Renee Park",
        "contact_title": "Clinic manager",
        "contact_email": "renee@example.org",
        "contact_phone": "(510) 555-0148",
        "notes": "",
        **changes,
    }


def add_partner(world, **changes) -> Partner:
    return services.partner_create(
        actor=world.users["lead"], grantee=world.grantee, data=form(**changes)
    )


def test_list_groups_by_type_with_stage_contact_and_commitments(world, client_for):
    add_partner(world, name="Harbor Adult School", kind="adult_school", stage="committed")
    add_partner(world, name="Bay Nurses Union", kind="union", contact_name="")
    response = client_for("staff").get(base(world))
    body = response.content.decode()
    assert response.status_code == 200
    # Types in the order of the choices; each heading followed by its partners.
    positions = [
        body.index(text)
        for text in (
            'id="kind-adult_school"',
            "Harbor Adult School",
            'id="kind-employer"',
            f"Valley Clinic {MARKER}",
            'id="kind-union"',
            "Bay Nurses Union",
        )
    ]
    assert positions == sorted(positions)
    assert "6 clinical/WBL slots" in body and "Dana" in body and "No contact yet" in body
    assert "Add a partner" in body
    assert f'href="/g/{world.grantee.slug}/partners/map/"' in body
    assert f'href="/g/{world.grantee.slug}/partners/pipeline/"' in body
    counts = {value: n for value, _label, n in response.context["stage_counts"]}
    assert counts == {
        "identified": 1,
        "contacted": 0,
        "engaged": 1,
        "committed": 1,
        "active_wbl": 0,
    }


def test_list_filters_by_type_and_stage(world, client_for):
    add_partner(world, name="Harbor Adult School", kind="adult_school", stage="committed")
    add_partner(world, name="Harbor Medical Center", kind="employer", stage="committed")
    client = client_for("coach")
    body = client.get(base(world), {"stage": "committed"}).content.decode()
    assert "Harbor Adult School" in body and "Harbor Medical Center" in body
    assert f"Valley Clinic {MARKER}" not in body
    response = client.get(base(world), {"stage": "committed", "kind": "employer"})
    body = response.content.decode()
    assert "Harbor Medical Center" in body and "Harbor Adult School" not in body
    # Counts follow the type filter, not the stage filter.
    counts = {value: n for value, _label, n in response.context["stage_counts"]}
    assert (counts["engaged"], counts["committed"]) == (1, 1)
    # Nothing matching says so; an unknown filter value is ignored.
    body = client.get(base(world), {"stage": "active_wbl"}).content.decode()
    assert "No partners match these filters" in body
    assert (
        f"Valley Clinic {MARKER}"
        in client.get(base(world), {"kind": "spaceships"}).content.decode()
    )
    # The HTMX filter gets the results only.
    partial = client.get(base(world), {"kind": "union"}, HTTP_HX_TARGET="partner-results", **HTMX)
    assert b"<html" not in partial.content and b'id="partner-results"' in partial.content


@pytest.mark.parametrize("role", ["coach", "state", "ta_admin"])
def test_readers_see_no_edit_buttons(world, client_for, role):
    client = client_for(role)
    for path in (
        base(world),
        f"{base(world)}{world.partner.pk}/",
        f"{base(world)}pipeline/",
        f"{base(world)}map/",
    ):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 200, path
        for words in ("Add a partner", "Edit details", "Change stage", "Forward", "Delete"):
            assert words not in body, (path, words)


def test_members_see_the_edit_buttons(world, client_for):
    body = client_for("staff").get(f"{base(world)}{world.partner.pk}/").content.decode()
    for words in ("Edit details", "Delete…", "Change stage", "Add a commitment"):
        assert words in body


@pytest.mark.parametrize("role", ["coach", "state", "ta_admin"])
def test_readers_get_403_on_every_write(world, client_for, role):
    client = client_for(role)
    partner, commitment = world.partner.pk, world.commitment.pk
    slug = world.grantee.slug
    for path, data in (
        (f"{base(world)}new/", form()),
        (f"{base(world)}{partner}/edit/", form()),
        (f"{base(world)}{partner}/delete/", {"confirmed": "yes"}),
        (f"{base(world)}{partner}/stage/", {"seen": "engaged", "to": "committed"}),
        (f"{base(world)}{partner}/commitments/new/", {"kind": "hiring", "quantity": "2"}),
        (f"/g/{slug}/commitments/{commitment}/edit/", {"kind": "hiring", "quantity": "2"}),
        (f"/g/{slug}/commitments/{commitment}/delete/", {"confirmed": "yes"}),
    ):
        assert client.post(path, data).status_code == 403, path
    world.partner.refresh_from_db()
    assert world.partner.stage == "engaged" and world.partner.name.startswith("Valley Clinic")
    assert Commitment.objects.filter(pk=commitment).exists()
    assert Partner.objects.filter(grantee=world.grantee).count() == 1


def test_another_grantee_s_partner_is_never_reachable(world, client_for):
    """A's people cannot reach B's partner through A's address; B's people cannot reach A's."""
    client = client_for("lead")
    other, other_commitment = world.other_partner.pk, world.other_commitment.pk
    slug = world.grantee.slug
    for path in (
        f"{base(world)}{other}/",
        f"{base(world)}{other}/edit/",
        f"{base(world)}{other}/commitments/new/",
        f"/g/{slug}/commitments/{other_commitment}/edit/",
    ):
        assert client.get(path).status_code == 404, path
    for path, data in (
        (f"{base(world)}{other}/stage/", {"seen": "engaged", "to": "committed"}),
        (f"{base(world)}{other}/delete/", {"confirmed": "yes"}),
        (f"/g/{slug}/commitments/{other_commitment}/delete/", {"confirmed": "yes"}),
    ):
        assert client.post(path, data).status_code == 404, path
    world.other_partner.refresh_from_db()
    assert world.other_partner.stage == "engaged"
    assert Commitment.objects.filter(pk=other_commitment).exists()
    outsider = client_for("other_staff")
    assert outsider.get(f"{base(world)}{world.partner.pk}/").status_code == 404
    own = outsider.get(f"/g/{world.other_grantee.slug}/partners/{world.partner.pk}/")
    assert own.status_code == 404


def test_adding_a_partner_with_field_messages(world, client_for):
    client = client_for("lead")
    response = client.post(
        f"{base(world)}new/",
        form(name="", kind="", contact_email="renee@", contact_phone="555-01"),
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter the partner&#x27;s name." in body
    assert "Choose the type of partner." in body
    assert "Enter an e-mail address like name@example.org." in body
    assert "Enter a phone number with area code, like (510) 555-0148." in body
    assert "Check the 4 fields marked below; nothing was saved." in body
    # The same name as an existing partner, in other letters.
    response = client.post(f"{base(world)}new/", form(name=f"VALLEY clinic {MARKER}"))
    assert response.status_code == 422
    assert "You already have a partner called" in response.content.decode()
    assert Partner.objects.filter(grantee=world.grantee).count() == 1
    response = client.post(f"{base(world)}new/", form(contact_phone="+1 510.555.0148 ext. 12"))
    partner = Partner.objects.get(grantee=world.grantee, name="Eastshore Medical Group")
    assert response.status_code == 302 and response["Location"] == f"{base(world)}{partner.pk}/"
    assert partner.stage_changes.get().to_stage == "identified"


def test_the_add_form_can_start_as_an_employer(world, client_for):
    response = client_for("staff").get(f"{base(world)}new/?kind=employer")
    assert response.context["form"]["kind"].value() == "employer"


def test_htmx_form_errors_answer_422_with_the_form_only(world, client_for):
    client = client_for("staff")
    response = client.post(f"{base(world)}new/", form(contact_email="x"), **HTMX)
    assert response.status_code == 422
    assert b"<html" not in response.content and b'id="partner-form"' in response.content
    assert b"data-focus-after-swap" in response.content
    response = client.post(f"{base(world)}new/", form(), **HTMX)
    partner = Partner.objects.get(grantee=world.grantee, name="Eastshore Medical Group")
    assert response["HX-Redirect"] == f"{base(world)}{partner.pk}/"
    path = f"{base(world)}{partner.pk}/commitments/new/"
    response = client.post(path, {"kind": "hiring", "status": "proposed"}, **HTMX)
    assert response.status_code == 422 and b'id="commitment-form"' in response.content
    assert b"<html" not in response.content


def test_editing_a_partner_keeps_its_stage(world, client_for):
    client = client_for("staff")
    path = f"{base(world)}{world.partner.pk}/edit/"
    response = client.get(path)
    assert "stage" not in response.context["form"].fields
    response = client.post(path, form(name="Valley Clinic North", stage="active_wbl"))
    assert response.status_code == 302
    world.partner.refresh_from_db()
    assert (world.partner.name, world.partner.stage) == ("Valley Clinic North", "engaged")


def test_commitment_field_messages(world, client_for):
    client = client_for("lead")
    path = f"{base(world)}{world.partner.pk}/commitments/new/"
    response = client.post(
        path,
        {
            "kind": "wbl_slots",
            "quantity": "",
            "status": "confirmed",
            "starts_on": "2027-03-01",
            "ends_on": "2027-02-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter how many slots the partner offers (at least 1)." in body
    assert "The end date must be on or after the start date (Mar 1, 2027)." in body
    response = client.post(path, {"kind": "other", "quantity": "x", "status": "proposed"})
    body = response.content.decode()
    assert "Enter a whole number, like 6." in body and "Describe what the partner commits" in body
    response = client.post(path, {"kind": "hiring", "quantity": "0", "status": "proposed"})
    assert "how many people the partner commits to hire" in response.content.decode()
    response = client.post(path, {"kind": "hiring", "quantity": "2", "status": "confirmed"})
    assert response.status_code == 302
    assert response["Location"] == f"{base(world)}{world.partner.pk}/#commitments"
    hiring = Commitment.objects.get(partner=world.partner, kind="hiring")
    assert (hiring.quantity, hiring.status, hiring.grantee) == (2, "confirmed", world.grantee)


def test_a_huge_commitment_quantity_gets_a_field_message(world, client_for):
    client = client_for("lead")
    path = f"{base(world)}{world.partner.pk}/commitments/new/"
    page = client.get(path).content.decode()
    assert 'max="10000"' in page
    for quantity in ("99999999999", "10001", "99999999999999999999999"):
        response = client.post(path, {"kind": "hiring", "quantity": quantity, "status": "proposed"})
        assert response.status_code == 422, quantity
        assert "Enter a number up to 10,000." in response.content.decode()
    edit = f"/g/{world.grantee.slug}/commitments/{world.commitment.pk}/edit/"
    response = client.post(
        edit, {"kind": "wbl_slots", "quantity": "99999999999", "status": "proposed"}
    )
    assert response.status_code == 422
    response = client.post(path, {"kind": "hiring", "quantity": "10000", "status": "proposed"})
    assert response.status_code == 302
    assert Commitment.objects.get(partner=world.partner, kind="hiring").quantity == 10_000
    world.commitment.refresh_from_db()
    assert world.commitment.quantity == 6


def test_huge_ids_in_addresses_are_not_found(world, client_for):
    client = client_for("lead")
    huge = "99999999999999999999"
    slug = world.grantee.slug
    for path in (
        f"{base(world)}{huge}/",
        f"{base(world)}{huge}/edit/",
        f"{base(world)}{huge}/commitments/new/",
        f"/g/{slug}/commitments/{huge}/edit/",
    ):
        assert client.get(path).status_code == 404, path
    for path in (f"{base(world)}{huge}/stage/", f"/g/{slug}/commitments/{huge}/delete/"):
        assert client.post(path, {"seen": "engaged", "to": "committed"}).status_code == 404


def test_editing_and_deleting_a_commitment_asks_first(world, client_for):
    client = client_for("lead")
    path = f"/g/{world.grantee.slug}/commitments/{world.commitment.pk}/"
    response = client.get(f"{path}edit/")
    assert response.context["form"]["quantity"].value() == 6
    client.post(f"{path}edit/", {"kind": "wbl_slots", "quantity": "8", "status": "confirmed"})
    world.commitment.refresh_from_db()
    assert (world.commitment.quantity, world.commitment.status) == (8, "confirmed")
    assert client.get(f"{path}delete/").status_code == 405  # POST only
    response = client.post(f"{path}delete/")
    assert response.status_code == 200 and "8 clinical/WBL slots" in response.content.decode()
    assert Commitment.objects.filter(pk=world.commitment.pk).exists()
    client.post(f"{path}delete/", {"confirmed": "yes"})
    assert not Commitment.objects.filter(pk=world.commitment.pk).exists()


def test_deleting_a_partner_asks_first_and_says_what_goes(world, client_for):
    client = client_for("staff")
    path = f"{base(world)}{world.partner.pk}/delete/"
    assert client.get(path).status_code == 405
    response = client.post(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert "its 1 commitment (6 clinical/WBL slots)" in body and 'name="confirmed"' in body
    assert "its place on the 1 pathway draft step that names it (the steps stay)" in body
    assert Partner.objects.filter(pk=world.partner.pk).exists()
    response = client.post(path, {"confirmed": "yes"})
    assert response.status_code == 302 and response["Location"] == base(world)
    assert not Partner.objects.filter(pk=world.partner.pk).exists()


def test_a_partner_on_a_frozen_pathway_version_is_not_deleted(world, client_for):
    from pathways.services import version_new

    version_new(
        actor=world.users["lead"], concept=world.pathway, from_number=1, change_note="Agreed"
    )
    client = client_for("staff")
    path = f"{base(world)}{world.partner.pk}/delete/"
    response = client.post(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert "can't be deleted" in body and f"{world.pathway.title}” (version 1)" in body
    assert 'name="confirmed"' not in body and "Yes, delete" not in body
    # Nothing would be deleted, so no list of what goes with it.
    assert "pathway draft step" not in body
    # Confirming anyway (an old tab) is refused with the same message.
    response = client.post(path, {"confirmed": "yes"})
    assert response.status_code == 422
    assert f"{world.pathway.title}” (version 1)" in response.content.decode()
    assert Partner.objects.filter(pk=world.partner.pk).exists()


def test_detail_shows_contact_notes_history_and_commitments(world, client_for):
    services.partner_move(
        actor=world.users["lead"], partner=world.partner, seen="engaged", to="committed"
    )
    Partner.objects.filter(pk=world.partner.pk).update(notes="MOU signed in March")
    body = client_for("state").get(f"{base(world)}{world.partner.pk}/").content.decode()
    assert "dana@example.org" in body and "MOU signed in March" in body
    assert "Engaged → <strong>Committed (MOU)</strong>" in body
    assert world.users["lead"].full_name in body
    assert f"Externship slots {MARKER}" in body
    assert 'aria-current="step"' in body


def test_moving_from_the_partner_page_without_and_with_htmx(world, client_for):
    client = client_for("staff")
    path = f"{base(world)}{world.partner.pk}/stage/"
    response = client.post(path, {"seen": "engaged", "to": "committed"})
    assert response.status_code == 302
    assert response["Location"] == f"{base(world)}{world.partner.pk}/#partner-stage"
    response = client.post(
        path, {"seen": "committed", "to": "active_wbl"}, HTTP_HX_TARGET="partner-stage", **HTMX
    )
    assert response.status_code == 200 and b'id="partner-stage"' in response.content
    assert b"Moved to \xe2\x80\x9cActive work-based learning" in response.content
    # A second tab still showing "engaged" is refused, with the current stage shown.
    response = client.post(
        path, {"seen": "engaged", "to": "contacted"}, HTTP_HX_TARGET="partner-stage", **HTMX
    )
    assert response.status_code == 422
    assert "You (in another tab or window) moved" in response.content.decode()
    world.partner.refresh_from_db()
    assert world.partner.stage == "active_wbl"
    assert StageChange.objects.filter(partner=world.partner).count() == 2


def stage_options(body: str) -> list[tuple[str, bool, bool]]:
    """The "Move to" dropdown's options as (value, selected, disabled)."""
    select = re.search(r'<select[^>]*name="to"[^>]*>(.*?)</select>', body, re.S).group(1)
    return [
        (value, " selected" in attrs, " disabled" in attrs)
        for value, attrs in re.findall(r'<option value="([^"]*)"([^>]*)>', select)
    ]


def test_the_stage_dropdown_never_defaults_to_sending_a_partner_back(world, client_for):
    client = client_for("staff")
    path = f"{base(world)}{world.partner.pk}/"
    # At "Engaged", the next stage is preselected and the current one can't be chosen.
    options = stage_options(client.get(path).content.decode())
    assert [value for value, selected, _ in options if selected] == ["committed"]
    assert ("engaged", False, True) in options
    # At the last stage there is no next one: a placeholder is chosen, not "Identified".
    Partner.objects.filter(pk=world.partner.pk).update(stage="active_wbl")
    options = stage_options(client.get(path).content.decode())
    assert [value for value, selected, _ in options if selected] == [""]
    assert options[0][0] == ""
    # Sent as it is, the placeholder moves nothing.
    response = client.post(
        f"{path}stage/", {"seen": "active_wbl", "to": ""}, HTTP_HX_TARGET="partner-stage", **HTMX
    )
    assert response.status_code == 422 and "Choose a stage" in response.content.decode()
    world.partner.refresh_from_db()
    assert world.partner.stage == "active_wbl"


def test_the_list_announces_a_short_count_not_every_result(world, client_for):
    add_partner(world, name="Harbor Adult School", kind="adult_school", stage="committed")
    client = client_for("staff")
    body = client.get(base(world)).content.decode()
    assert "aria-live" not in re.search(r'<div id="partner-results"[^>]*>', body).group(0)
    count = re.search(r'<p id="partner-count"[^>]*>(.*?)</p>', body, re.S)
    assert 'role="status"' in count.group(0) and count.group(1).strip() == "2 partners shown."
    form_tag = re.search(r"<form[^>]*hx-get[^>]*>", body).group(0)
    assert 'hx-select-oob="#partner-count:innerHTML"' in form_tag
    # The HTMX filter's answer carries the new count for that small live region.
    partial = client.get(
        base(world), {"stage": "committed"}, HTTP_HX_TARGET="partner-results", **HTMX
    ).content.decode()
    count = re.search(r'<p id="partner-count"[^>]*>(.*?)</p>', partial, re.S)
    assert count.group(1).strip() == "1 partner shown."
    partial = client.get(
        base(world), {"stage": "contacted"}, HTTP_HX_TARGET="partner-results", **HTMX
    ).content.decode()
    count = re.search(r'<p id="partner-count"[^>]*>(.*?)</p>', partial, re.S)
    assert count.group(1).strip() == "No partners match these filters."


def test_pipeline_shows_employers_by_stage_with_totals(world, client_for):
    school = add_partner(world, name="Harbor Adult School", kind="adult_school")
    hospital = add_partner(world, name="Harbor Medical Center", stage="committed")
    lead = world.users["lead"]
    for kind, quantity, status in (
        ("wbl_slots", 10, "confirmed"),
        ("hiring", 2, "fulfilled"),
        ("hiring", 3, "proposed"),
        ("interviews", 12, "confirmed"),
        ("wbl_slots", 4, "withdrawn"),
    ):
        services.commitment_save(
            actor=lead,
            partner=hospital,
            data={"kind": kind, "quantity": quantity, "status": status, "description": ""},
        )
    services.commitment_save(
        actor=lead,
        partner=school,
        data={"kind": "wbl_slots", "quantity": 50, "status": "confirmed", "description": ""},
    )
    response = client_for("coach").get(f"{base(world)}pipeline/")
    pipeline = response.context["pipeline"]
    body = response.content.decode()
    assert [len(c.partners) for c in pipeline.columns] == [0, 0, 1, 1, 0]
    assert "Harbor Adult School" not in body  # employers only
    # 10 confirmed slots (the world's 6 are proposed, 4 withdrawn, the school's are no employer's).
    assert (pipeline.committed_slots, pipeline.proposed_slots) == (10, 6)
    assert (pipeline.committed_hires, pipeline.proposed_hires) == (2, 3)
    assert "10 clinical/WBL slots · 12 interviews · 5 hires" in body
    assert "0 days in this stage" not in body and "New in this stage today" in body


def test_pipeline_moves_one_stage_without_javascript(world, client_for):
    client = client_for("lead")
    path = f"{base(world)}{world.partner.pk}/stage/"
    response = client.post(path, {"seen": "engaged", "to": "committed", "return": "pipeline"})
    assert response.status_code == 302
    assert response["Location"] == f"{base(world)}pipeline/#partner-{world.partner.pk}"
    page = client.get(response["Location"])
    assert "moved to “Committed (MOU)”" in page.content.decode()
    # The same stale form again: refused with the reason, nothing moved twice.
    response = client.post(
        path, {"seen": "engaged", "to": "committed", "return": "pipeline"}, follow=True
    )
    assert "after you opened this page" in response.content.decode()
    assert StageChange.objects.filter(partner=world.partner).count() == 1


def test_pipeline_move_with_htmx_swaps_the_board(world, client_for):
    client = client_for("staff")
    path = f"{base(world)}{world.partner.pk}/stage/"
    target = {"HTTP_HX_TARGET": "pipeline-board", **HTMX}
    response = client.post(path, {"seen": "engaged", "to": "committed"}, **target)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="pipeline-board">') or 'id="pipeline-board"' in body[:200]
    assert "<html" not in body
    assert (
        f'id="partner-{world.partner.pk}" class="portal-kanban__card portal-kanban__card--moved"'
        in body
    )
    assert "data-focus-after-swap" in body
    world.partner.refresh_from_db()
    assert world.partner.stage == "committed"
    # Someone else moves it back meanwhile; this page's "Forward" from "committed" is refused.
    services.partner_move(
        actor=world.users["lead"], partner=world.partner, seen="committed", to="engaged"
    )
    response = client.post(path, {"seen": "committed", "to": "active_wbl"}, **target)
    assert response.status_code == 422
    body = response.content.decode()
    assert f"{world.users['lead'].full_name} moved" in body and 'role="alert"' in body
    world.partner.refresh_from_db()
    assert world.partner.stage == "engaged"


def test_pipeline_flags_employers_long_in_a_stage_except_the_last(world, client_for):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(days=75)
    Partner.objects.filter(pk=world.partner.pk).update(stage_changed_at=long_ago)
    active = add_partner(world, name="Bayview Community Health Center", stage="active_wbl")
    Partner.objects.filter(pk=active.pk).update(stage_changed_at=long_ago)
    body = client_for("lead").get(f"{base(world)}pipeline/").content.decode()
    assert body.count("75 days in this stage") == 2
    assert body.count("· time to follow up") == 1
    card = body[body.index(f'id="partner-{world.partner.pk}"') :]
    assert card.index("time to follow up") < card.index("</li>")

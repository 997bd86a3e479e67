"""Pathway pages: who sees what, forms with field errors, HTMX comments (and without JS), the
student map PDF in English and Spanish, and query budgets."""

from __future__ import annotations

import pytest

from pathways import services
from pathways.models import EnglishLevel, PathwayConcept, PathwayStep, PathwayVersion, StepComment
from tests.budget import assert_constant_queries
from tests.pathways.helpers import draft_of, full_pathway, pdf_pages, pdf_text, step_data
from tests.world import MARKER

pytestmark = pytest.mark.django_db


def concept_url(world, suffix="", concept=None):
    concept = concept or world.pathway
    return f"/g/{world.grantee.slug}/pathways/{concept.pk}/{suffix}"


def step_url(world, step, action):
    return f"/g/{world.grantee.slug}/pathway-steps/{step.pk}/{action}/"


# --- Reading ------------------------------------------------------------------------------------


def test_the_list_shows_each_concept_and_offers_drafting_to_members(world, client_for):
    services.step_comment_add(actor=world.users["coach"], step=world.pathway_step, body="More")
    page = client_for("staff").get(f"/g/{world.grantee.slug}/pathways/")
    html = page.content.decode()
    assert page.status_code == 200
    assert world.pathway.title in html
    assert "Integrated education and training (IET)" in html
    assert "working draft" in html
    assert "<strong>2</strong>" in html  # open comments
    assert "Draft a pathway" in html
    assert 'aria-current="page"' in html and "Pathway workspace" in html  # the workspace nav
    coach_page = client_for("coach").get(f"/g/{world.grantee.slug}/pathways/").content.decode()
    assert world.pathway.title in coach_page and "Draft a pathway" not in coach_page


def test_the_detail_page_shows_the_draft_whole(world, client_for):
    html = client_for("coach").get(concept_url(world)).content.decode()
    assert world.pathway.title in html
    assert "VESL for healthcare" in html and "Medical assistant certificate" in html
    assert "$19.68" in html and "$40,938" in html  # MA: hourly from the annual median
    assert "No state license; optional national certification" in html  # the licensing body
    assert "Low intermediate ESL" in html and "Step 1: VESL for healthcare" in html
    assert world.partner.name in html  # the step's partner
    assert world.step_comment.body in html and "on version 1" in html
    assert "Childcare and bus passes" in html
    assert "/v/1/map/en.pdf" in html and "/v/1/map/es.pdf" in html
    # A coach comments but does not edit.
    assert "Add comment" in html
    assert "Edit the pathway" not in html and "Move down" not in html
    assert "Start a new version" not in html


def test_members_get_the_editing_tools_and_state_admins_only_read(world, client_for):
    html = client_for("lead").get(concept_url(world)).content.decode()
    for text in ("Edit the pathway", "Add a step", "Set entry points", "Move down", "Reply"):
        assert text in html
    assert "Freeze version 1 and start version 2" in html
    state = client_for("state").get(concept_url(world)).content.decode()
    assert world.step_comment.body in state
    assert "Add comment" not in state and "Resolve" not in state and "Edit the pathway" not in state


@pytest.mark.parametrize("role", ["other_staff", "other_coach", "other_state"])
def test_other_tenants_get_404(world, client_for, role):
    client = client_for(role)
    for url in (
        concept_url(world),
        concept_url(world, "v/1/"),
        concept_url(world, "v/1/map/en.pdf"),
        f"/g/{world.grantee.slug}/pathways/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_concept_of_another_grantee_is_404_under_my_own_slug(world, client_for):
    client = client_for("lead")
    assert client.get(concept_url(world, concept=world.other_pathway)).status_code == 404
    other_step = world.other_pathway_step
    assert client.get(step_url(world, other_step, "edit")).status_code == 404
    response = client.post(step_url(world, other_step, "comments"), {"body": "Hi"})
    assert response.status_code == 404
    comment = world.other_step_comment
    url = f"/g/{world.grantee.slug}/pathway-comments/{comment.pk}/resolve/"
    assert client.post(url).status_code == 404
    assert StepComment.objects.get(pk=comment.pk).resolved_at is None


def test_writes_are_403_for_coaches_and_state_admins(world, client_for):
    for role in ("coach", "state", "ta_admin"):
        client = client_for(role)
        assert client.get(concept_url(world, "edit/")).status_code == 403
        assert client.post(concept_url(world, "steps/new/"), step_data("X")).status_code == 403
        assert client.post(step_url(world, world.pathway_step, "delete")).status_code == 403
        response = client.post(concept_url(world, "new-version/"), {"from_number": 1})
        assert response.status_code == 403
    state = client_for("state")
    response = state.post(step_url(world, world.pathway_step, "comments"), {"body": "Hi"})
    assert response.status_code == 403
    url = f"/g/{world.grantee.slug}/pathway-comments/{world.step_comment.pk}/resolve/"
    assert state.post(url).status_code == 403
    assert PathwayStep.objects.filter(version__concept=world.pathway).count() == 2
    assert StepComment.objects.filter(concept=world.pathway).count() == 1


# --- Drafting -----------------------------------------------------------------------------------


def test_a_member_drafts_a_pathway(world, client_for):
    client = client_for("staff")
    response = client.post(f"/g/{world.grantee.slug}/pathways/new/", {"title": "", "model": "x"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_title_error"' in html and 'id="id_model_error"' in html
    response = client.post(
        f"/g/{world.grantee.slug}/pathways/new/", {"title": "CNA bridge", "model": "bridge"}
    )
    concept = PathwayConcept.objects.get(title="CNA bridge")
    assert response.status_code == 302
    assert response["Location"] == concept_url(world, concept=concept)
    assert draft_of(concept).number == 1


def test_editing_lists_priority_occupations_first_and_saves_spanish_copies(world, client_for):
    client = client_for("lead")
    html = client.get(concept_url(world, "edit/")).content.decode()
    priority = world.priority.occupation
    assert f"{priority.title} ({priority.soc_code}) — your priority occupation" in html
    first_option = html.index('name="target_occupations"')
    assert html.index(priority.title, first_option - 400) < html.index("Registered Nurses")
    response = client.post(
        concept_url(world, "edit/"),
        {
            "title": "MA IET",
            "model": "iet",
            "summary": "From VESL to MA",
            "summary_es": "Del VESL al MA",
            "supports": "",
            "supports_es": "",
            "target_occupations": [priority.pk],
        },
    )
    assert response.status_code == 302
    version = draft_of(world.pathway)
    assert (version.summary_es, list(version.target_occupations.all())) == (
        "Del VESL al MA",
        [priority],
    )


def test_the_spanish_title_is_drafted_and_edited_beside_the_english_one(world, client_for):
    client = client_for("staff")
    url = f"/g/{world.grantee.slug}/pathways/new/"
    assert 'name="title_es"' in client.get(url).content.decode()
    data = {"title": "CNA bridge", "title_es": "Puente a CNA", "model": "bridge"}
    assert client.post(url, data).status_code == 302
    concept = PathwayConcept.objects.get(title="CNA bridge")
    assert concept.title_es == "Puente a CNA"
    edit = concept_url(world, "edit/", concept=concept)
    html = client.get(edit).content.decode()
    assert 'name="title_es"' in html and 'value="Puente a CNA"' in html
    data = {"title": "CNA bridge", "title_es": "Camino a CNA", "model": "bridge"}
    assert client.post(edit, data).status_code == 302
    concept.refresh_from_db()
    assert concept.title_es == "Camino a CNA"
    assert "Camino a CNA" in client.get(concept_url(world, concept=concept)).content.decode()
    long = {**data, "title_es": "x" * 201}
    response = client.post(edit, long)
    assert response.status_code == 422 and 'id="id_title_es_error"' in response.content.decode()


def test_editing_a_step_someone_removed_meanwhile_says_so(world, client_for, monkeypatch):
    """The page reads the step, another member removes it, then this save runs: a message and
    the pathway page, not a 500."""
    from pathways import views

    read = views.selectors.step_in

    def read_then_removed(grantee, step_id):
        step = read(grantee, step_id)
        PathwayStep.objects.filter(pk=step_id).delete()
        return step

    monkeypatch.setattr(views.selectors, "step_in", read_then_removed)
    client = client_for("lead")
    other = draft_of(world.pathway).steps.exclude(pk=world.pathway_step.pk).get()
    response = client.post(step_url(world, other, "edit"), step_data("Renamed"), follow=True)
    assert response.redirect_chain == [(concept_url(world), 302)]
    assert "This step was removed by someone else." in response.content.decode()
    step = world.pathway_step
    for action, data in (("move", {"direction": "down"}), ("delete", {})):
        response = client.post(step_url(world, step, action), data, follow=True)
        assert response.redirect_chain[-1][0].startswith(concept_url(world)), action
        assert "This step was removed by someone else." in response.content.decode()
        PathwayStep.objects.bulk_create([step])  # back, for the next action
    assert not PathwayStep.objects.filter(title="Renamed").exists()


def test_a_crafted_partner_of_another_grantee_is_a_field_error(world, client_for):
    client = client_for("lead")
    data = step_data("Externship", "wbl", partners=[world.other_partner.pk])
    response = client.post(concept_url(world, "steps/new/"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_partners_error"' in html
    assert "Choose partners from your own partner list." in html
    assert world.other_partner.name not in html
    assert not PathwayStep.objects.filter(title="Externship").exists()
    # The grantee's own partner is offered and saves.
    data["partners"] = [world.partner.pk]
    response = client.post(concept_url(world, "steps/new/"), data)
    assert response.status_code == 302
    step = PathwayStep.objects.get(title="Externship")
    assert list(step.partners.all()) == [world.partner]
    assert response["Location"].endswith(f"#step-{step.key}")


def test_editing_moving_and_removing_steps(world, client_for):
    client = client_for("lead")
    step = world.pathway_step
    data = step_data("VESL bridge", title_es="Puente VESL", partners=[world.partner.pk])
    assert client.post(step_url(world, step, "edit"), data).status_code == 302
    step.refresh_from_db()
    assert (step.title, step.title_es) == ("VESL bridge", "Puente VESL")
    assert client.post(step_url(world, step, "move"), {"direction": "down"}).status_code == 302
    step.refresh_from_db()
    assert step.position == 1
    # Learners at level 4 start there: removing it is refused with the reason.
    assert client.get(step_url(world, step, "delete")).status_code == 200
    response = client.post(step_url(world, step, "delete"))
    assert response.status_code == 422
    assert "Low intermediate ESL" in response.content.decode()
    other = draft_of(world.pathway).steps.exclude(pk=step.pk).get()
    assert client.post(step_url(world, other, "delete")).status_code == 302
    assert list(draft_of(world.pathway).steps.all()) == [step]


def test_entry_points_form_has_a_row_per_level_and_saves(world, client_for):
    client = client_for("lead")
    html = client.get(concept_url(world, "entry-points/")).content.decode()
    for number, (_level, label) in enumerate(EnglishLevel.choices, start=1):
        assert f"NRS ESL level {number}: {label}" in html
    assert "Not an entry point" in html
    first, second = draft_of(world.pathway).steps.order_by("position")
    data = {f"{level}-step": "" for level in EnglishLevel.values}
    data.update(
        {"esl_2-step": str(first.key), "esl_2-note": "CASAS 190", "esl_2-note_es": "CASAS 190"}
    )
    data.update({"esl_6-step": str(second.key), "esl_5-note": "Orphan note"})
    response = client.post(concept_url(world, "entry-points/"), data)
    assert response.status_code == 422
    assert 'id="id_esl_5-step_error"' in response.content.decode()
    data["esl_5-note"] = ""
    data["esl_3-step"] = "not-a-step"
    response = client.post(concept_url(world, "entry-points/"), data)
    assert response.status_code == 422  # not one of the choices
    data["esl_3-step"] = ""
    assert client.post(concept_url(world, "entry-points/"), data).status_code == 302
    entries = draft_of(world.pathway).entry_points.all()
    assert [(e.english_level, e.step_key, e.note_es) for e in entries] == [
        ("esl_2", first.key, "CASAS 190"),
        ("esl_6", second.key, ""),
    ]


def test_new_version_from_the_page_and_a_double_submit(world, client_for):
    client = client_for("lead")
    response = client.post(concept_url(world, "new-version/"), {"from_number": 1})
    assert response.status_code == 422
    assert 'id="id_change_note_error"' in response.content.decode()
    data = {"from_number": 1, "change_note": "After the coach review"}
    assert client.post(concept_url(world, "new-version/"), data).status_code == 302
    again = client.post(concept_url(world, "new-version/"), data, follow=True)
    assert "Version 1 is no longer the working draft: version 2 is now." in again.content.decode()
    versions = PathwayVersion.objects.filter(concept=world.pathway).order_by("number")
    assert [(v.number, v.is_draft) for v in versions] == [(1, False), (2, True)]
    html = client.get(concept_url(world)).content.decode()
    assert "Version 2" in html and "After the coach review" in html
    # The frozen version reads, and offers no editing.
    frozen = client.get(concept_url(world, "v/1/")).content.decode()
    assert (
        "read-only" in frozen and "Edit the pathway" not in frozen and "Add comment" not in frozen
    )
    assert world.step_comment.body in frozen


def test_a_frozen_steps_edit_and_move_are_refused_by_the_pages(world, client_for):
    client = client_for("lead")
    services.version_new(
        actor=world.users["lead"], concept=world.pathway, from_number=1, change_note="v2"
    )
    frozen_step = world.pathway_step  # it stays in version 1
    response = client.post(step_url(world, frozen_step, "edit"), step_data("Changed"))
    assert response.status_code == 302
    assert PathwayStep.objects.get(pk=frozen_step.pk).title == frozen_step.title
    client.post(step_url(world, frozen_step, "move"), {"direction": "down"})
    assert PathwayStep.objects.get(pk=frozen_step.pk).position == 0


# --- Comments -----------------------------------------------------------------------------------


def test_a_coach_comments_with_htmx_and_gets_the_thread_back(world, client_for):
    client = client_for("coach")
    url = step_url(world, world.pathway_step, "comments")
    response = client.post(url, {"body": "Name the CASAS cut score"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<div id="step-{world.pathway_step.key}-comments"')
    assert "Name the CASAS cut score" in html and world.step_comment.body in html
    assert "<html" not in html
    empty = client.post(url, {"body": "  "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 422
    assert 'role="alert"' in empty.content.decode()


def test_comments_work_without_javascript(world, client_for):
    client = client_for("lead")
    url = step_url(world, world.pathway_step, "comments")
    response = client.post(url, {"body": "Added the cut score"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#step-{world.pathway_step.key}-comments")
    assert StepComment.objects.filter(body="Added the cut score", author=world.users["lead"])
    resolve = f"/g/{world.grantee.slug}/pathway-comments/{world.step_comment.pk}/resolve/"
    assert client.post(resolve, {"resolved": "yes"}).status_code == 302
    assert StepComment.objects.get(pk=world.step_comment.pk).resolved_at is not None
    response = client_for("coach").post(resolve, {"resolved": "no"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Resolve" in response.content.decode()
    assert StepComment.objects.get(pk=world.step_comment.pk).resolved_at is None


def test_a_comment_on_version_1_shows_on_version_2(world, client_for):
    services.version_new(
        actor=world.users["lead"], concept=world.pathway, from_number=1, change_note="v2"
    )
    html = client_for("lead").get(concept_url(world)).content.decode()
    assert world.step_comment.body in html and "on version 1" in html
    assert "Version 2" in html


# --- The map ------------------------------------------------------------------------------------


def test_the_map_in_english(world, client_for):
    response = client_for("staff").get(concept_url(world, "v/1/map/en.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert MARKER in text  # A's own pathway title
    for label in ("Where you can start", "Your path, step by step", "Jobs at the end"):
        assert label.upper() in text or label in text
    assert "Start at step 1" in text and "Low intermediate ESL" in text
    assert "Medical Assistants" in text and "$19.68" in text and "an hour" in text
    assert "No state license" in text  # who licenses it
    assert "Childcare and bus passes" in text
    assert "contact-alpha@example.org" in text
    assert "Integrated education and training (IET)" in text
    assert pdf_pages(response.content) == 1
    # A download: the audit log records who took it.
    from audit.models import AuditEvent

    event = AuditEvent.objects.get(kind="export")
    filename = response["Content-Disposition"].partition("filename=")[2].strip('"')
    assert (event.actor_email, event.target) == ("staff@example.org", filename)
    assert filename.endswith("map-en.pdf") or filename.endswith("map en.pdf"), filename


def test_the_map_in_spanish_uses_translations_and_the_spanish_copies(world, client_for):
    version = draft_of(world.pathway)
    version.summary_es = "Del VESL a un certificado de asistente médico"
    version.supports_es = "Cuidado de niños y pases de autobús"
    version.save()
    step = world.pathway_step
    step.title_es, step.duration_es = "Inglés para el sector salud", "10 semanas"
    step.save()
    response = client_for("coach").get(concept_url(world, "v/1/map/es.pdf"))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert MARKER in text
    for spanish in (
        "Dónde puedes empezar",
        "Tu camino, paso a paso",
        "Empleos al final del camino",
        "Empieza en el paso 1",
        "Inglés intermedio bajo",  # the English level's label, from the model's choices
        "Educación y capacitación integradas (IET)",
        "Curso",
        "Credencial",
        "por hora",
        "Quién otorga la licencia",
        "Asistentes médicos",  # Occupation.title_es
        "Inglés para el sector salud",  # the grantee's Spanish copy
        "10 semanas",
        "Cuidado de niños y pases de autobús",
        "Del VESL a un certificado de asistente médico",
    ):
        assert spanish.upper() in text or spanish in text, spanish
    # Fallback: a step without a Spanish title prints the English one.
    assert "Medical assistant certificate" in text
    for english in ("Where you can start", "Jobs at the end", "an hour", "Bridge program"):
        assert english not in text and english.upper() not in text
    assert "Childcare and bus passes" not in text
    assert pdf_pages(response.content) == 1


def pdf_title(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content)).metadata.title


def test_the_spanish_map_prints_the_spanish_title_licensing_body_and_numbers(world, client_for):
    world.pathway.title_es = "Camino a asistente médico"
    world.pathway.save()
    client = client_for("lead")
    response = client.get(concept_url(world, "v/1/map/es.pdf"))
    text = pdf_text(response.content)
    assert pdf_title(response.content) == "Camino a asistente médico — Mapa de tu carrera"
    assert "Camino a asistente médico" in text and world.pathway.title not in text
    # Medical assistants and phlebotomists: their licensing bodies' Spanish copies.
    assert "Sin licencia estatal; certificación nacional opcional" in text
    assert "CDPH, Servicios de Laboratorio (CPT I)" in text
    assert "No state license" not in text and "Laboratory Field Services" not in text
    # Numbers as Spanish readers in California write them (portal/formats/es), and the
    # full-time year through the same formatting.
    assert "$19.68 por hora" in text and "$40,938 al año" in text
    assert "dividido entre 2,080 horas de trabajo" in text
    assert "$19,68" not in text and "2 080" not in text  # not Spain's separators
    assert pdf_pages(response.content) == 1
    # The English map keeps the English title, body and US numbers.
    response = client.get(concept_url(world, "v/1/map/en.pdf"))
    text = pdf_text(response.content)
    assert pdf_title(response.content).startswith(world.pathway.title + " — Career pathway map")
    assert world.pathway.title in text and "Camino a asistente médico" not in text
    assert "No state license" in text and "Sin licencia" not in text
    assert "$19.68 an hour" in text and "$40,938 a year" in text
    assert "divided by 2,080 work hours" in text


def test_the_spanish_map_falls_back_to_the_english_title_and_licensing_body(world, client_for):
    from grantees.models import Occupation

    Occupation.objects.filter(soc_code="31-9092").update(licensing_body_es="")
    assert world.pathway.title_es == ""
    response = client_for("lead").get(concept_url(world, "v/1/map/es.pdf"))
    text = pdf_text(response.content)
    assert pdf_title(response.content).startswith(world.pathway.title + " — Mapa de tu carrera")
    assert world.pathway.title in text
    assert "No state license; optional national certification" in text
    assert "CDPH, Servicios de Laboratorio (CPT I)" in text


@pytest.mark.parametrize("steps", [6, 8])
def test_a_full_map_stays_on_one_page_in_both_languages(world, client_for, steps):
    concept = full_pathway(world, steps=steps)
    client = client_for("lead")
    for lang in ("en", "es"):
        response = client.get(concept_url(world, "v/1/map/" + lang + ".pdf", concept=concept))
        assert response.status_code == 200
        assert pdf_pages(response.content) == 1, lang
        text = pdf_text(response.content)
        assert f"Step title number {steps}" in text or f"Paso número {steps}" in text
        assert ("Advanced ESL" if lang == "en" else "Inglés avanzado") in text


def test_the_map_of_a_frozen_version_and_unknown_languages(world, client_for):
    services.version_new(
        actor=world.users["lead"], concept=world.pathway, from_number=1, change_note="v2"
    )
    client = client_for("lead")
    assert client.get(concept_url(world, "v/1/map/en.pdf")).status_code == 200
    assert client.get(concept_url(world, "v/2/map/es.pdf")).status_code == 200
    assert client.get(concept_url(world, "v/3/map/en.pdf")).status_code == 404
    for lang in ("fr", "EN", "en-us", "xx"):
        assert client.get(concept_url(world, f"v/1/map/{lang}.pdf")).status_code == 404


def test_another_tenants_map_never_carries_a_marker(world, client_for):
    response = client_for("other_staff").get(
        f"/g/{world.other_grantee.slug}/pathways/{world.other_pathway.pk}/v/1/map/es.pdf"
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "bravo" in text and MARKER not in text


# --- Query budgets ------------------------------------------------------------------------------


def _grow_pathways(world):
    def grow(n):
        for i in range(n):
            concept = full_pathway(world, steps=3, marker=f"g{PathwayConcept.objects.count()}")
            step = draft_of(concept).steps.first()
            services.step_comment_add(actor=world.users["coach"], step=step, body=f"C{i}")

    return grow


def _grow_one_pathway(world, *, freeze: bool = True):
    """More steps, comments and partners on A's own pathway (and a new version each time)."""

    def grow(n):
        lead, coach = world.users["lead"], world.users["coach"]
        for i in range(n):
            version = draft_of(world.pathway)
            step = services.step_add(
                actor=lead,
                version=version,
                data=step_data(f"Grown {i}", partners=[world.partner]),
            )
            services.step_comment_add(actor=coach, step=step, body=f"Comment {i}")
            services.step_comment_add(actor=lead, step=step, body=f"Reply {i}")
        if not freeze:
            return
        services.version_new(
            actor=lead,
            concept=world.pathway,
            from_number=draft_of(world.pathway).number,
            change_note=f"Grew by {n}",
        )

    return grow


def test_query_budget_of_the_list(world, client_for):
    assert_constant_queries(
        client_for("lead"), f"/g/{world.grantee.slug}/pathways/", grow=_grow_pathways(world)
    )


def test_query_budget_of_the_detail_page(world, client_for):
    assert_constant_queries(client_for("lead"), concept_url(world), grow=_grow_one_pathway(world))


def test_query_budget_of_a_version_page(world, client_for):
    # Version 1 stays the draft here, so the version shown is the one that grows.
    assert_constant_queries(
        client_for("coach"), concept_url(world, "v/1/"), grow=_grow_one_pathway(world, freeze=False)
    )

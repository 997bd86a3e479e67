"""Pathway concept pages: everyone who sees the grantee reads them; the grantee's members draft;
its coaches (and the program's TA admins) comment on steps; the map prints in English or Spanish.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from pathways import selectors, services
from pathways.forms import (
    CommentForm,
    ConceptNewForm,
    EntryPointsForm,
    NewVersionForm,
    PathwayForm,
    StepForm,
)
from pathways.models import PathwayStep
from portal.access import Rule, grantee_access
from portal.pdf import pdf_response, render_pdf
from portal.roles import roles_for
from portal.services import ServiceError

MAP_LANGUAGES = ("en", "es")
MAP_FONTS = {
    "regular": "vendor/uswds/fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2",
    "bold": "vendor/uswds/fonts/source-sans-pro/sourcesanspro-bold-webfont.woff2",
    "serif_bold": "vendor/uswds/fonts/merriweather/Latin-Merriweather-Bold.woff2",
}


def _map_fonts() -> dict[str, str] | None:
    """The portal's vendored fonts as file URLs WeasyPrint reads from disk (never over HTTP);
    None falls back to DejaVu."""
    found = {name: finders.find(path) for name, path in MAP_FONTS.items()}
    if not all(found.values()):
        return None
    return {name: Path(path).as_uri() for name, path in found.items()}


def _abilities(request: HttpRequest) -> dict:
    roles, grantee = roles_for(request), request.grantee
    is_member = grantee.pk in roles.staff_of
    return {
        "is_member": is_member,
        "can_comment": is_member or roles.can_coach_grantee(grantee.pk, grantee.program_id),
    }


def _detail_url(grantee, concept_id: int, anchor: str = "") -> str:
    url = reverse("pathway_detail", args=[grantee.slug, concept_id])
    return f"{url}#{anchor}" if anchor else url


@grantee_access(Rule.GRANTEE_VIEW)
def pathway_list(request: HttpRequest, slug: str) -> HttpResponse:
    context = {
        "grantee": request.grantee,
        "concepts": selectors.concepts_for(request.grantee),
        **_abilities(request),
    }
    return render(request, "pathways/list.html", context)


@grantee_access(Rule.GRANTEE_MEMBER)
def pathway_new(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    form = ConceptNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concept = services.pathway_create(
                actor=request.user, grantee=grantee, **form.cleaned_data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Pathway started. Version 1 is your working draft.")
            return redirect("pathway_detail", slug=grantee.slug, concept_id=concept.pk)
    return render(
        request,
        "pathways/form.html",
        {
            "grantee": grantee,
            "form": form,
            "heading": "Draft a pathway",
            "intro": "Give it a title and a model; then add its steps, where learners start "
            "and the jobs it leads to.",
            "submit": "Start the draft",
            "cancel_url": reverse("pathways", args=[grantee.slug]),
        },
        status=422 if form.errors else 200,
    )


def _version_page(
    request: HttpRequest,
    concept,
    versions,
    version,
    *,
    working: bool,
    new_version_form=None,
    status: int = 200,
) -> HttpResponse:
    """The pathway page: `working` is the concept's own page (its working draft, editable by
    members, with comment forms); otherwise one version, read-only."""
    view = selectors.version_view(concept, versions, version)
    abilities = _abilities(request)
    editable = working and version.is_draft and abilities["is_member"]
    if editable and new_version_form is None:
        new_version_form = NewVersionForm(initial={"from_number": version.number})
    context = {
        "grantee": request.grantee,
        "view": view,
        "concept": concept,
        "version": version,
        "working": working,
        "editable": editable,
        "commentable": working and abilities["can_comment"],
        "new_version_form": new_version_form if editable else None,
        "comment_form": CommentForm(),
        **abilities,
    }
    return render(request, "pathways/detail.html", context, status=status)


@grantee_access(Rule.GRANTEE_VIEW)
def pathway_detail(request: HttpRequest, slug: str, concept_id: int) -> HttpResponse:
    concept = selectors.concept_in(request.grantee, concept_id)
    versions = selectors.versions_of(concept)
    return _version_page(
        request, concept, versions, selectors.working_version(versions), working=True
    )


@grantee_access(Rule.GRANTEE_VIEW)
def pathway_version(
    request: HttpRequest, slug: str, concept_id: int, version_number: int
) -> HttpResponse:
    concept = selectors.concept_in(request.grantee, concept_id)
    versions = selectors.versions_of(concept)
    version = selectors.version_numbered(versions, version_number)
    return _version_page(request, concept, versions, version, working=False)


def _draft_or_refuse(request: HttpRequest, concept_id: int):
    """The concept and its working draft, or a redirect when every version is frozen."""
    concept = selectors.concept_in(request.grantee, concept_id)
    version = selectors.working_version(selectors.versions_of(concept))
    if not version.is_draft:
        messages.error(request, f"Version {version.number} is frozen and can no longer change.")
        return concept, None
    return concept, version


@grantee_access(Rule.GRANTEE_MEMBER)
def pathway_edit(request: HttpRequest, slug: str, concept_id: int) -> HttpResponse:
    grantee = request.grantee
    concept, version = _draft_or_refuse(request, concept_id)
    if version is None:
        return redirect(_detail_url(grantee, concept.pk))
    initial = {
        "title": concept.title,
        "title_es": concept.title_es,
        "target_occupations": list(version.target_occupations.values_list("pk", flat=True)),
        **{name: getattr(version, name) for name in services.VERSION_FIELDS},
    }
    form = PathwayForm(request.POST or None, initial=initial, grantee=grantee)
    if request.method == "POST" and form.is_valid():
        try:
            services.pathway_update(actor=request.user, version=version, data=form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Pathway saved.")
            return redirect(_detail_url(grantee, concept.pk))
    return render(
        request,
        "pathways/form.html",
        {
            "grantee": grantee,
            "concept": concept,
            "form": form,
            "heading": f"Edit {concept.title}",
            "intro": f"Version {version.number}, the working draft. The Spanish copies are "
            "what the Spanish map prints.",
            "submit": "Save the pathway",
            "cancel_url": _detail_url(grantee, concept.pk),
        },
        status=422 if form.errors else 200,
    )


def _step_form_page(request: HttpRequest, concept, version, step: PathwayStep | None):
    grantee = request.grantee
    initial = None
    if step is not None:
        initial = {name: getattr(step, name) for name in services.STEP_FIELDS}
        initial["partners"] = list(step.partners.values_list("pk", flat=True))
    form = StepForm(request.POST or None, initial=initial, grantee=grantee)
    if request.method == "POST" and form.is_valid():
        try:
            if step is None:
                step = services.step_add(
                    actor=request.user, version=version, data=form.cleaned_data
                )
            else:
                services.step_update(actor=request.user, step=step, data=form.cleaned_data)
        except ServiceError as error:
            if error.code in ("frozen", "gone"):  # nothing left to edit here
                messages.error(request, error.messages[0])
                return redirect(_detail_url(grantee, concept.pk))
            error.add_to(form)
        else:
            messages.success(request, "Step saved.")
            return redirect(_detail_url(grantee, concept.pk, f"step-{step.key}"))
    return render(
        request,
        "pathways/form.html",
        {
            "grantee": grantee,
            "concept": concept,
            "form": form,
            "heading": "Add a step" if step is None else f"Edit step: {step.title}",
            "intro": "Courses, credentials, work-based learning and next steps (such as "
            "articulation into a credit program), in the order a learner takes them.",
            "submit": "Save the step",
            "cancel_url": _detail_url(grantee, concept.pk),
            "no_partners": not form.fields["partners"].queryset.exists(),
        },
        status=422 if form.errors else 200,
    )


@grantee_access(Rule.GRANTEE_MEMBER)
def step_new(request: HttpRequest, slug: str, concept_id: int) -> HttpResponse:
    concept, version = _draft_or_refuse(request, concept_id)
    if version is None:
        return redirect(_detail_url(request.grantee, concept.pk))
    return _step_form_page(request, concept, version, None)


def _draft_step(request: HttpRequest, step_id: int):
    step = selectors.step_in(request.grantee, step_id)
    if not step.version.is_draft:
        messages.error(
            request, f"Version {step.version.number} is frozen and can no longer change."
        )
        return step, redirect(_detail_url(request.grantee, step.version.concept_id))
    return step, None


@grantee_access(Rule.GRANTEE_MEMBER)
def step_edit(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    step, refused = _draft_step(request, step_id)
    return refused or _step_form_page(request, step.version.concept, step.version, step)


@grantee_access(Rule.GRANTEE_MEMBER)
def step_delete(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    """GET asks; POST removes the step from the draft."""
    grantee = request.grantee
    step, refused = _draft_step(request, step_id)
    if refused:
        return refused
    error = ""
    if request.method == "POST":
        try:
            services.step_delete(actor=request.user, step=step)
        except ServiceError as problem:
            if problem.code == "gone":
                messages.error(request, problem.messages[0])
                return redirect(_detail_url(grantee, step.version.concept_id))
            error = problem.messages[0]
        else:
            messages.success(request, f"Step removed: {step.title}.")
            return redirect(_detail_url(grantee, step.version.concept_id))
    return render(
        request,
        "pathways/step_delete.html",
        {"grantee": grantee, "step": step, "concept": step.version.concept, "error": error},
        status=422 if error else 200,
    )


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def step_move(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    step, refused = _draft_step(request, step_id)
    if refused:
        return refused
    try:
        services.step_move(
            actor=request.user, step=step, direction=request.POST.get("direction", "")
        )
    except ServiceError as error:
        messages.error(request, error.messages[0])
    return redirect(_detail_url(request.grantee, step.version.concept_id, f"step-{step.key}"))


@grantee_access(Rule.GRANTEE_MEMBER)
def pathway_entry_points(request: HttpRequest, slug: str, concept_id: int) -> HttpResponse:
    grantee = request.grantee
    concept, version = _draft_or_refuse(request, concept_id)
    if version is None:
        return redirect(_detail_url(grantee, concept.pk))
    steps = list(version.steps.order_by("position", "id"))
    initial = {}
    for entry in version.entry_points.all():
        initial[f"{entry.english_level}-step"] = str(entry.step_key)
        initial[f"{entry.english_level}-note"] = entry.note
        initial[f"{entry.english_level}-note_es"] = entry.note_es
    form = EntryPointsForm(request.POST or None, initial=initial, steps=steps)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_points_set(actor=request.user, version=version, rows=form.entry_rows())
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Entry points saved.")
            return redirect(_detail_url(grantee, concept.pk, "entry-points"))
    return render(
        request,
        "pathways/entry_points.html",
        {"grantee": grantee, "concept": concept, "version": version, "form": form, "steps": steps},
        status=422 if form.errors else 200,
    )


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def pathway_new_version(request: HttpRequest, slug: str, concept_id: int) -> HttpResponse:
    grantee = request.grantee
    concept = selectors.concept_in(grantee, concept_id)
    form = NewVersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.version_new(
                actor=request.user,
                concept=concept,
                from_number=form.cleaned_data["from_number"],
                change_note=form.cleaned_data["change_note"],
            )
        except ServiceError as error:
            if error.code == "stale":
                messages.info(request, error.messages[0])
                return redirect(_detail_url(grantee, concept.pk))
            error.add_to(form)
        else:
            messages.success(
                request,
                f"Version {version.number - 1} is frozen; version {version.number} is your "
                "working draft.",
            )
            return redirect(_detail_url(grantee, concept.pk))
    versions = selectors.versions_of(concept)
    return _version_page(
        request,
        concept,
        versions,
        selectors.working_version(versions),
        working=True,
        new_version_form=form,
        status=422,
    )


# --- Comments -------------------------------------------------------------------------------------


def _thread_response(request: HttpRequest, step, *, form=None, status: int = 200):
    context = {
        "grantee": request.grantee,
        "step": step,
        "comments": selectors.step_thread(step),
        "comment_form": form or CommentForm(),
        "commentable": True,
        "focus_thread": True,
        **_abilities(request),
    }
    return render(request, "pathways/partials/step_comments.html", context, status=status)


@grantee_access(Rule.GRANTEE_PARTICIPATE)
@require_POST
def step_comment_add(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    step = selectors.step_in(request.grantee, step_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.step_comment_add(actor=request.user, step=step, body=form.cleaned_data["body"])
        except ServiceError as error:
            error.add_to(form)
    anchor = f"step-{step.key}-comments"
    if request.htmx:
        if form.errors:
            return _thread_response(request, step, form=form, status=422)
        return _thread_response(request, step)
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, "Comment added.")
    return redirect(_detail_url(request.grantee, step.version.concept_id, anchor))


@grantee_access(Rule.GRANTEE_PARTICIPATE)
@require_POST
def step_comment_resolve(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    comment = selectors.comment_in(request.grantee, comment_id)
    resolved = request.POST.get("resolved", "yes") != "no"
    services.step_comment_resolve(actor=request.user, comment=comment, resolved=resolved)
    step = selectors.thread_step(comment)
    if request.htmx and step is not None:
        return _thread_response(request, step)
    messages.success(request, "Comment resolved." if resolved else "Comment reopened.")
    anchor = f"step-{comment.step_key}-comments"
    return redirect(_detail_url(request.grantee, comment.concept_id, anchor))


# --- The student-facing map -------------------------------------------------------------------


@grantee_access(Rule.GRANTEE_VIEW)
def pathway_map_pdf(
    request: HttpRequest, slug: str, concept_id: int, version_number: int, lang: str
) -> HttpResponse:
    """One landscape page for learners, in English or Spanish: the fixed labels come from the
    .po catalogue; the grantee's own texts from their Spanish copies where they wrote one."""
    if lang not in MAP_LANGUAGES:
        raise Http404("The map prints in English (en) or Spanish (es).")
    concept = selectors.concept_in(request.grantee, concept_id)
    versions = selectors.versions_of(concept)
    version = selectors.version_numbered(versions, version_number)
    view = selectors.version_view(concept, versions, version)
    with translation.override(lang):
        content = selectors.map_content(view, lang)
        pdf = render_pdf(
            "pathways/map.html",
            {"map": content, "generated_on": timezone.localdate(), "fonts": _map_fonts()},
            request=request,
        )
    # A download (attachment), so the audit log records who took which map.
    return pdf_response(pdf, f"{concept.title} v{version.number} map {lang}", inline=False)

"""Needs-assessment pages: instruments for TA admins; per grantee the list, the coach's interview
(autosaving), the grantee's self-assessment (autosaving), finalizing and the scored result."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.forms import (
    AssessmentStartForm,
    DomainForm,
    InstrumentForm,
    InterviewDateForm,
    ItemForm,
    VersionForm,
)
from assessments.models import Assessment, Level
from portal.access import Rule, grantee_access, program_access, role_required
from portal.pdf import pdf_response, render_pdf
from portal.roles import roles_for
from portal.services import ServiceError

# --- Instruments (TA admins) ----------------------------------------------------------------------


@role_required(Rule.TA_ADMIN)
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/instruments.html", {"instruments": selectors.instruments()})


@role_required(Rule.TA_ADMIN)
def instrument_new(request: HttpRequest) -> HttpResponse:
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.instrument_create(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Instrument created; add its domains and items.")
            return redirect("instrument_version", version_id=version.pk)
    return render(
        request,
        "assessments/instrument_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@role_required(Rule.TA_ADMIN)
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_by_id(version_id)
    context = {
        "version": version,
        "domains": selectors.version_domains(version),
        "frozen": version.used > 0,
        "form": VersionForm(),
    }
    return render(request, "assessments/version.html", context)


@role_required(Rule.TA_ADMIN)
@require_POST
def version_copy(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_by_id(version_id)
    form = VersionForm(request.POST)
    form.is_valid()  # notes are optional and free text
    copy = services.version_new(
        actor=request.user, version=version, notes=form.cleaned_data.get("notes", "")
    )
    messages.success(
        request, f"Version {copy.number} created from version {version.number}; edit it here."
    )
    return redirect("instrument_version", version_id=copy.pk)


def _frozen_answer(request: HttpRequest, version) -> HttpResponse:
    messages.error(request, "This version is in use by assessments and cannot change.")
    return redirect("instrument_version", version_id=version.pk)


@role_required(Rule.TA_ADMIN)
def domain_edit(
    request: HttpRequest, version_id: int, domain_id: int | None = None
) -> HttpResponse:
    version = selectors.version_by_id(version_id)
    domain = selectors.domain_in(version, domain_id) if domain_id else None
    if version.used:
        return _frozen_answer(request, version)
    initial = {}
    if domain is not None:
        initial = {
            "title": domain.title,
            "key": domain.key,
            "description": domain.description,
            "topics": list(domain.topics.all()),
        }
    form = DomainForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "delete" and domain:
        services.domain_delete(actor=request.user, domain=domain)
        messages.success(request, f"Domain “{domain.title}” deleted.")
        return redirect("instrument_version", version_id=version.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.domain_save(
                actor=request.user, version=version, data=form.cleaned_data, domain=domain
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Domain saved.")
            return redirect("instrument_version", version_id=version.pk)
    return render(
        request,
        "assessments/domain_form.html",
        {"version": version, "domain": domain, "form": form},
        status=422 if form.errors else 200,
    )


@role_required(Rule.TA_ADMIN)
def item_edit(
    request: HttpRequest,
    version_id: int,
    domain_id: int | None = None,
    rubric_item_id: int | None = None,
) -> HttpResponse:
    version = selectors.version_by_id(version_id)
    item = selectors.item_in(version, rubric_item_id) if rubric_item_id else None
    domain = item.domain if item else selectors.domain_in(version, domain_id)
    if version.used:
        return _frozen_answer(request, version)
    initial = {}
    if item is not None:
        initial = {name: getattr(item, name) for name in ItemForm.base_fields}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "delete" and item:
        services.item_delete(actor=request.user, item=item)
        messages.success(request, "Item deleted.")
        return redirect("instrument_version", version_id=version.pk)
    if request.method == "POST" and form.is_valid():
        services.item_save(actor=request.user, domain=domain, data=form.cleaned_data, item=item)
        messages.success(request, "Item saved.")
        return redirect("instrument_version", version_id=version.pk)
    return render(
        request,
        "assessments/item_form.html",
        {"version": version, "domain": domain, "item": item, "form": form},
        status=422 if form.errors else 200,
    )


# --- A grantee's assessments ----------------------------------------------------------------------


def _can_coach(request: HttpRequest) -> bool:
    grantee = request.grantee
    return roles_for(request).can_coach_grantee(grantee.pk, grantee.program_id)


@grantee_access(Rule.GRANTEE_VIEW)
def assessment_list(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    context = {
        "grantee": grantee,
        "assessments": selectors.assessments_for(grantee),
        "can_coach": _can_coach(request),
        "is_member": grantee.pk in roles_for(request).staff_of,
    }
    return render(request, "assessments/assessment_list.html", context)


@grantee_access(Rule.GRANTEE_COACH)
def assessment_new(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    form = AssessmentStartForm(request.POST or None, initial={"kind": Assessment.Kind.BASELINE})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                actor=request.user, grantee=grantee, **form.cleaned_data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Assessment opened. Answers save as you go.")
            return redirect("assessment_interview", slug=grantee.slug, assessment_id=assessment.pk)
    return render(
        request,
        "assessments/assessment_new.html",
        {"grantee": grantee, "form": form},
        status=422 if form.errors else 200,
    )


@grantee_access(Rule.GRANTEE_VIEW)
def assessment_detail(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    grantee = request.grantee
    assessment = selectors.assessment_in(grantee, assessment_id)
    can_coach = _can_coach(request)
    context = {
        "grantee": grantee,
        "assessment": assessment,
        "can_coach": can_coach,
        "is_member": grantee.pk in roles_for(request).staff_of,
        "report": selectors.score_report(assessment),
        # The coach's ratings stay with TA staff until the assessment is finalized.
        "domains": selectors.interview_rows(assessment) if assessment.is_final or can_coach else [],
        "show_internal": can_coach,
        "can_plan": roles_for(request).can_plan_for_grantee(grantee.pk, grantee.program_id),
        "has_plan": assessment.is_final and hasattr(assessment, "plan"),
    }
    return render(request, "assessments/assessment_detail.html", context)


def _field_context(assessment: Assessment) -> dict:
    return {"levels": Level.choices, "assessment": assessment}


NARRATIVES = [
    ("regional_strategy", "Regional strategy", True),
    ("implementation_challenges", "Implementation challenges", True),
    ("system_capacity", "System capacity", True),
    ("internal_notes", "Internal notes (TA staff only)", False),
]


def _interview_page(
    request: HttpRequest, assessment: Assessment, *, date_form, finalize_error: str = ""
) -> HttpResponse:
    context = {
        "grantee": request.grantee,
        "domains": selectors.interview_rows(assessment),
        "date_form": date_form,
        "narratives": NARRATIVES,
        "finalize_error": finalize_error,
        **_field_context(assessment),
    }
    status = 422 if date_form.errors or finalize_error else 200
    return render(request, "assessments/interview.html", context, status=status)


@grantee_access(Rule.GRANTEE_COACH)
def assessment_interview(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    grantee = request.grantee
    assessment = selectors.assessment_in(grantee, assessment_id)
    if assessment.is_final:
        return redirect("assessment_detail", slug=grantee.slug, assessment_id=assessment.pk)
    date_form = InterviewDateForm(
        request.POST or None, initial={"interview_on": assessment.interview_on}
    )
    if request.method == "POST" and date_form.is_valid():
        services.assessment_set_date(
            actor=request.user,
            assessment=assessment,
            interview_on=date_form.cleaned_data["interview_on"],
        )
        messages.success(request, "Interview date saved.")
        return redirect("assessment_interview", slug=grantee.slug, assessment_id=assessment.pk)
    return _interview_page(request, assessment, date_form=date_form)


@grantee_access(Rule.GRANTEE_MEMBER)
def assessment_self(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    grantee = request.grantee
    assessment = selectors.assessment_in(grantee, assessment_id)
    if assessment.is_final:
        return redirect("assessment_detail", slug=grantee.slug, assessment_id=assessment.pk)
    context = {
        "grantee": grantee,
        "domains": selectors.interview_rows(assessment),
        **_field_context(assessment),
    }
    return render(request, "assessments/self_assessment.html", context)


@grantee_access(Rule.GRANTEE_PARTICIPATE)
@require_POST
def assessment_save(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    """Autosave of one field. HTMX gets the field's save state (and the new starting value);
    without JavaScript the form posts here and comes back to the page."""
    grantee = request.grantee
    assessment = selectors.assessment_in(grantee, assessment_id)
    field = request.POST.get("field", "")
    value = request.POST.get("value", "")
    if field.endswith(":flagged") and "value" not in request.POST:
        value = ""  # an unticked checkbox sends nothing
    try:
        outcome = services.assessment_save_field(
            actor=request.user,
            assessment=assessment,
            field=field,
            value=value,
            # "Keep mine" after a conflict: replace what the other person saved.
            was=request.POST.get("was_override", request.POST.get("was", "")),
        )
    except ServiceError as error:
        outcome, problem = None, error.messages[0]
    else:
        problem = ""
    if request.htmx:
        return render(
            request,
            "assessments/partials/save_state.html",
            {
                "outcome": outcome,
                "problem": problem,
                "dom_field": field.replace(":", "-"),
                # "Keep mine" posts the field again, saying it replaces what is there now.
                "keep_mine": json.dumps({"was_override": outcome.current}) if outcome else "",
            },
            status=200 if outcome else 422,
        )
    if problem:
        messages.error(request, problem)
    elif not outcome.saved:
        messages.error(
            request,
            "Not saved: someone else changed this field meanwhile. Their version is shown; "
            "add your changes to it.",
        )
    else:
        messages.success(request, "Saved.")
    page = "assessment_self" if field.startswith("grantee:") else "assessment_interview"
    return redirect(page, slug=grantee.slug, assessment_id=assessment.pk)


@grantee_access(Rule.GRANTEE_COACH)
@require_POST
def assessment_finalize(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    grantee = request.grantee
    assessment = selectors.assessment_in(grantee, assessment_id)
    try:
        services.assessment_finalize(actor=request.user, assessment=assessment)
    except ServiceError as error:
        if error.code == "final":
            messages.error(request, error.messages[0])
            return redirect("assessment_detail", slug=grantee.slug, assessment_id=assessment.pk)
        date_form = InterviewDateForm(initial={"interview_on": assessment.interview_on})
        return _interview_page(
            request, assessment, date_form=date_form, finalize_error=error.messages[0]
        )
    messages.success(request, "Assessment finalized. Its scores are below.")
    return redirect("assessment_detail", slug=grantee.slug, assessment_id=assessment.pk)


@grantee_access(Rule.GRANTEE_VIEW)
def assessment_pdf(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    """The finalized assessment with its TA plan as a PDF: the shared parts only (no internal
    notes, whoever asks), to send to partners and the board."""
    grantee = request.grantee
    assessment = selectors.assessment_in(grantee, assessment_id)
    if not assessment.is_final:
        raise Http404("Only a finalized assessment has a PDF.")
    plan = getattr(assessment, "plan", None)
    context = {
        "grantee": grantee,
        "assessment": assessment,
        "report": selectors.score_report(assessment),
        "domains": selectors.interview_rows(assessment),
        "plan": selectors.plan_view(plan=plan, roles=roles_for(request)) if plan else None,
        "generated_at": timezone.now(),
    }
    content = render_pdf("assessments/pdf/assessment.html", context, request=request)
    name = f"{grantee.name} {assessment.get_kind_display()} assessment"
    return pdf_response(content, name)


# --- Program heatmap (TA admins, state admins) ----------------------------------------------------


@program_access(Rule.PROGRAM_VIEW)
def program_heatmap(request: HttpRequest, program_slug: str) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in Assessment.Kind.values:
        kind = ""
    context = {
        "program": request.program,
        "kind": kind,
        "kind_label": dict(Assessment.Kind.choices).get(kind, ""),
        "kinds": Assessment.Kind.choices,
        "heatmap": selectors.program_heatmap(program=request.program, kind=kind),
    }
    return render(request, "assessments/program_heatmap.html", context)

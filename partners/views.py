"""Partner pages: the list, a partner with its history and commitments, the partnership map and
the employer pipeline. Everyone who sees the grantee reads them; its own people change them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from partners import selectors, services
from partners.forms import CommitmentForm, PartnerForm
from partners.map import MAX_CHIPS_PER_CELL, partnership_map
from partners.models import Commitment, Partner
from portal.access import Rule, grantee_access
from portal.roles import roles_for
from portal.services import ServiceError


def _can_edit(request: HttpRequest) -> bool:
    return request.grantee.pk in roles_for(request).staff_of


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful POST: a redirect, or for HTMX a full-page visit to the same place."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _choice(value: str, choices) -> str:
    return value if value in {v for v, _label in choices} else ""


@grantee_access(Rule.GRANTEE_VIEW)
def partner_list(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    kind = _choice(request.GET.get("kind", ""), Partner.Kind.choices)
    stage = _choice(request.GET.get("stage", ""), Partner.Stage.choices)
    groups = selectors.partners_by_kind(grantee, kind=kind, stage=stage)
    context = {
        "grantee": grantee,
        "groups": groups,
        "shown": sum(len(group.partners) for group in groups),
        "stage_counts": selectors.stage_counts(grantee, kind=kind),
        "kind": kind,
        "stage": stage,
        "kinds": Partner.Kind.choices,
        "stages": Partner.Stage.choices,
        "can_edit": _can_edit(request),
    }
    if request.htmx and request.htmx.target == "partner-results":
        return render(request, "partners/list.html#results", context)
    return render(request, "partners/list.html", context)


def _partner_form_page(request: HttpRequest, partner: Partner | None) -> HttpResponse:
    grantee = request.grantee
    initial = (
        {name: getattr(partner, name) for name in services.PARTNER_FIELDS}
        if partner
        else {
            "stage": Partner.Stage.IDENTIFIED,
            "kind": _choice(request.GET.get("kind", ""), Partner.Kind.choices),
        }
    )
    form = PartnerForm(request.POST or None, initial=initial, editing=partner is not None)
    if request.method == "POST" and form.is_valid():
        try:
            if partner is None:
                partner = services.partner_create(
                    actor=request.user, grantee=grantee, data=form.cleaned_data
                )
                messages.success(request, f"{partner.name} is on your partner list.")
            else:
                partner = services.partner_update(
                    actor=request.user, partner=partner, data=form.cleaned_data
                )
                messages.success(request, "Saved.")
        except ServiceError as error:
            error.add_to(form)
        else:
            return _done(request, reverse("partner_detail", args=[grantee.slug, partner.pk]))
    context = {"grantee": grantee, "partner": partner, "form": form}
    template = "partners/partner_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=422 if form.errors else 200)


@grantee_access(Rule.GRANTEE_MEMBER)
def partner_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _partner_form_page(request, None)


@grantee_access(Rule.GRANTEE_MEMBER)
def partner_edit(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    return _partner_form_page(request, selectors.partner_in(request.grantee, partner_id))


def _stage_context(request: HttpRequest, partner: Partner, **extra) -> dict:
    return {
        "grantee": request.grantee,
        "partner": partner,
        "stages": Partner.Stage.choices,
        "can_edit": _can_edit(request),
        **extra,
    }


@grantee_access(Rule.GRANTEE_VIEW)
def partner_detail(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    partner = selectors.partner_page(request.grantee, partner_id)
    return render(request, "partners/detail.html", _stage_context(request, partner))


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def partner_delete(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    """The partner page's Delete button asks here first; the confirmation's button deletes."""
    grantee = request.grantee
    partner = selectors.partner_page(grantee, partner_id)

    def confirm_page(refusal: str | None, status: int = 200) -> HttpResponse:
        context = {
            "grantee": grantee,
            "partner": partner,
            "what": partner.name,
            "action": reverse("partner_delete", args=[grantee.slug, partner.pk]),
            "cancel": reverse("partner_detail", args=[grantee.slug, partner.pk]),
            "refusal": refusal,
            "consequences": [] if refusal else _delete_consequences(partner),
        }
        return render(request, "partners/delete_confirm.html", context, status=status)

    if request.POST.get("confirmed") != "yes":
        return confirm_page(services.partner_delete_refusal(partner))
    try:
        services.partner_delete(actor=request.user, partner=partner)
    except ServiceError as error:
        return confirm_page(error.messages[0], status=422)
    messages.success(request, f"{partner.name} was deleted.")
    return _done(request, reverse("partners", args=[grantee.slug]))


def _delete_consequences(partner: Partner) -> list[str]:
    commitments = len(partner.commitments.all())
    moves = len(partner.stage_changes.all())
    lines = []
    if commitments:
        lines.append(
            f"its {commitments} commitment{'s' if commitments != 1 else ''} ({partner.summary})"
        )
    if moves:
        lines.append(f"its stage history ({moves} entr{'ies' if moves != 1 else 'y'})")
    steps = selectors.pathway_steps_naming(partner)
    if steps:
        lines.append(
            f"its place on the {steps} pathway draft "
            f"{'step that names' if steps == 1 else 'steps that name'} it (the steps stay)"
        )
    return lines


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def partner_stage(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    """Move a partner to another stage, from its page or from the pipeline (one step there).
    The form carries the stage the person saw; a stale move is refused (compare-and-set)."""
    grantee = request.grantee
    partner = selectors.partner_in(grantee, partner_id)
    from_pipeline = request.POST.get("return") == "pipeline"
    error = None
    try:
        partner = services.partner_move(
            actor=request.user,
            partner=partner,
            seen=request.POST.get("seen", ""),
            to=request.POST.get("to", ""),
        )
    except ServiceError as refused:
        error = refused.messages[0]
    if request.htmx and request.htmx.target == "pipeline-board":
        context = {
            "grantee": grantee,
            "pipeline": selectors.employer_pipeline(grantee),
            "can_edit": True,
            "moved_id": partner.pk,
            "board_error": error,
            "board_notice": None
            if error
            else f"{partner.name} moved to “{partner.get_stage_display()}”.",
        }
        return render(
            request, "partners/partials/board.html", context, status=422 if error else 200
        )
    if request.htmx and request.htmx.target == "partner-stage":
        partner = selectors.partner_page(grantee, partner.pk)
        context = _stage_context(request, partner, stage_error=error, stage_moved=not error)
        return render(
            request, "partners/partials/stage.html", context, status=422 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{partner.name} moved to “{partner.get_stage_display()}”.")
    if from_pipeline:
        return redirect(reverse("partner_pipeline", args=[grantee.slug]) + f"#partner-{partner.pk}")
    return redirect(reverse("partner_detail", args=[grantee.slug, partner.pk]) + "#partner-stage")


# --- Commitments ---------------------------------------------------------------------------------


def _commitment_form_page(
    request: HttpRequest, partner: Partner, commitment: Commitment | None
) -> HttpResponse:
    grantee = request.grantee
    initial = (
        {name: getattr(commitment, name) for name in services.COMMITMENT_FIELDS}
        if commitment
        else {"status": Commitment.Status.PROPOSED}
    )
    form = CommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_save(
                actor=request.user, partner=partner, data=form.cleaned_data, commitment=commitment
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Commitment saved." if commitment else "Commitment added.")
            url = reverse("partner_detail", args=[grantee.slug, partner.pk]) + "#commitments"
            return _done(request, url)
    context = {"grantee": grantee, "partner": partner, "commitment": commitment, "form": form}
    template = "partners/commitment_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=422 if form.errors else 200)


@grantee_access(Rule.GRANTEE_MEMBER)
def commitment_new(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    return _commitment_form_page(request, selectors.partner_in(request.grantee, partner_id), None)


@grantee_access(Rule.GRANTEE_MEMBER)
def commitment_edit(request: HttpRequest, slug: str, commitment_id: int) -> HttpResponse:
    commitment = selectors.commitment_in(request.grantee, commitment_id)
    return _commitment_form_page(request, commitment.partner, commitment)


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def commitment_delete(request: HttpRequest, slug: str, commitment_id: int) -> HttpResponse:
    grantee = request.grantee
    commitment = selectors.commitment_in(grantee, commitment_id)
    partner = commitment.partner
    back = reverse("partner_detail", args=[grantee.slug, partner.pk])
    if request.POST.get("confirmed") != "yes":
        summary = selectors.commitment_summary([commitment]) or commitment.get_kind_display()
        return render(
            request,
            "partners/delete_confirm.html",
            {
                "grantee": grantee,
                "partner": partner,
                "what": f"{partner.name}'s commitment: {summary}",
                "action": reverse("commitment_delete", args=[grantee.slug, commitment.pk]),
                "cancel": back + "#commitments",
                "consequences": [],
            },
        )
    services.commitment_delete(actor=request.user, commitment=commitment)
    messages.success(request, "Commitment deleted.")
    return _done(request, back + "#commitments")


# --- Map and pipeline ----------------------------------------------------------------------------


@grantee_access(Rule.GRANTEE_VIEW)
def partner_map(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    partners = selectors.map_partners(grantee)
    drawing = partnership_map(
        grantee.name,
        [(p.name, p.kind, p.stage) for p in partners],
        kinds=selectors.KIND_PLURAL_CHOICES,
        stages=Partner.Stage.choices,
    )
    context = {
        "grantee": grantee,
        "map": drawing,
        "table": selectors.map_table(partners),
        "stages": Partner.Stage.choices,
        "map_limit": MAX_CHIPS_PER_CELL,
        "can_edit": _can_edit(request),
    }
    return render(request, "partners/map.html", context)


@grantee_access(Rule.GRANTEE_VIEW)
def partner_pipeline(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    context = {
        "grantee": grantee,
        "pipeline": selectors.employer_pipeline(grantee),
        "linger_days": selectors.LINGER_DAYS,
        "can_edit": _can_edit(request),
    }
    return render(request, "partners/pipeline.html", context)

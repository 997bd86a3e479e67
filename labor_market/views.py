"""Labor-market pages: a grantee's occupations and priorities, a program's living wages, the TA
admins' occupations import, and the region preview an event organizer reads before a training."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grantees.models import Occupation
from labor_market import occupation_import, selectors, services
from labor_market.forms import (
    LivingWageFormSet,
    OccupationApplyForm,
    OccupationUploadForm,
    PriorityForm,
    RationaleForm,
)
from labor_market.models import PriorityOccupation
from portal.access import Rule, grantee_access, program_access, role_required
from portal.exports import csv_response
from portal.roles import roles_for
from portal.services import ServiceError


@grantee_access(Rule.GRANTEE_VIEW)
def occupations(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    above_only = request.GET.get("above") == "1"
    living_wage = selectors.living_wage_for(
        program_id=grantee.program_id, region_id=grantee.region_id
    )
    rows = selectors.occupation_rows(
        grantee=grantee, living_wage=living_wage, query=query, above_only=above_only
    )
    context = {
        "grantee": grantee,
        "rows": rows,
        "priorities": [row for row in rows if row.priority],
        "query": query,
        "above_only": above_only,
        "living_wage": living_wage,
        "is_member": grantee.pk in roles_for(request).staff_of,
    }
    return render(request, "labor_market/occupations.html", context)


@grantee_access(Rule.GRANTEE_MEMBER)
def priority_new(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    initial = {}
    if request.GET.get("occupation", "").isdigit():
        initial["occupation"] = request.GET["occupation"]
    form = PriorityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_add(
                actor=request.user, grantee=grantee, **form.cleaned_data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, f"{priority.occupation.title} is now a priority.")
            return redirect("occupations", slug=grantee.slug)
    return render(
        request,
        "labor_market/priority_form.html",
        {"grantee": grantee, "form": form},
        status=422 if form.errors else 200,
    )


def _priority(request: HttpRequest, priority_id: int) -> PriorityOccupation:
    return get_object_or_404(
        PriorityOccupation.objects.select_related("occupation", "grantee"),
        pk=priority_id,
        grantee=request.grantee,
    )


@grantee_access(Rule.GRANTEE_MEMBER)
def priority_edit(request: HttpRequest, slug: str, priority_id: int) -> HttpResponse:
    priority = _priority(request, priority_id)
    form = RationaleForm(
        request.POST if request.method == "POST" else None,
        initial={"rationale": priority.rationale},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_update(
                actor=request.user, priority=priority, rationale=form.cleaned_data["rationale"]
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Rationale saved.")
            return redirect("occupations", slug=slug)
    return render(
        request,
        "labor_market/priority_form.html",
        {"grantee": request.grantee, "form": form, "priority": priority},
        status=422 if form.errors else 200,
    )


@grantee_access(Rule.GRANTEE_MEMBER)
def priority_remove(request: HttpRequest, slug: str, priority_id: int) -> HttpResponse:
    """GET asks (the rationale would be lost), POST removes."""
    priority = _priority(request, priority_id)
    if request.method != "POST":
        return render(
            request,
            "labor_market/priority_remove.html",
            {"grantee": request.grantee, "priority": priority},
        )
    services.priority_remove(actor=request.user, priority=priority)
    messages.success(request, f"{priority.occupation.title} is no longer a priority.")
    return redirect("occupations", slug=slug)


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def priority_move(request: HttpRequest, slug: str, priority_id: int) -> HttpResponse:
    priority = _priority(request, priority_id)
    try:
        services.priority_move(
            actor=request.user, priority=priority, up=request.POST.get("direction") == "up"
        )
    except ServiceError as error:
        messages.error(request, error.messages[0])
    return redirect("occupations", slug=slug)


@program_access(Rule.PROGRAM_VIEW)
def living_wages(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    context = {
        "program": program,
        "table": selectors.living_wage_table(program=program),
        "can_manage": program.pk in roles_for(request).ta_admin_of,
    }
    return render(request, "labor_market/living_wages.html", context)


@program_access(Rule.PROGRAM_MANAGE)
def living_wages_edit(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    table = selectors.living_wage_table(program=program)
    initial = [
        {
            "region": region.pk,
            "hourly": Decimal(wage.hourly_cents) / 100 if wage else None,
            "year": wage.year if wage else None,
            "source": wage.source if wage else "",
        }
        for region, wage in table
    ]
    formset = LivingWageFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="wage"
    )
    if request.method == "POST" and formset.is_valid():
        rows = [
            {
                "region": form.cleaned_data["region"],
                "hourly_cents": None
                if form.cleaned_data["hourly"] is None
                else int(form.cleaned_data["hourly"] * 100),
                "year": form.cleaned_data["year"],
                "source": form.cleaned_data["source"].strip(),
            }
            for form in formset
        ]
        try:
            count = services.living_wages_save(actor=request.user, program=program, rows=rows)
        except ServiceError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Living wages saved for {count} region(s).")
            return redirect("living_wages", program_slug=program.slug)
    regions = [region for region, _ in table]
    return render(
        request,
        "labor_market/living_wages_edit.html",
        {"program": program, "rows": list(zip(regions, formset, strict=False)), "formset": formset},
        status=422 if request.method == "POST" else 200,
    )


@role_required(Rule.TA_ADMIN)
def occupation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "labor_market/occupation_list.html",
        {"occupations": Occupation.objects.order_by("title")},
    )


EXPORT_HEADER = list(occupation_import.COLUMNS)


@role_required(Rule.TA_ADMIN)
def occupations_csv(request: HttpRequest) -> HttpResponse:
    """The occupations as they are: the import's template."""
    rows = (
        [
            o.soc_code,
            o.title,
            o.ca_median_annual_wage or "",
            o.wage_year or "",
            o.typical_entry_education,
            o.licensing_body,
            o.title_es,
            o.licensing_body_es,
            o.source,
        ]
        for o in Occupation.objects.order_by("soc_code")
    )
    return csv_response(EXPORT_HEADER, rows, "occupations")


@role_required(Rule.TA_ADMIN)
def occupation_import_page(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing written) → apply. The previewed file travels back in a hidden
    field and is read again when applying, with the fingerprint of what the preview compared."""
    upload_form = OccupationUploadForm()
    preview = None
    apply_form = None
    status = 200
    if request.method == "POST" and "apply" in request.POST:
        apply_form = OccupationApplyForm(request.POST)
        if apply_form.is_valid():
            content = apply_form.cleaned_data["content"].encode("utf-8")
            try:
                counts = services.occupations_import(
                    actor=request.user,
                    content=content,
                    expected_fingerprint=apply_form.cleaned_data["fingerprint"],
                )
            except ServiceError as error:
                messages.error(request, error.messages[0])
                preview = occupation_import.read(content)
                apply_form = OccupationApplyForm(
                    initial={"content": content.decode(), "fingerprint": preview.fingerprint}
                )
                status = 422
            else:
                messages.success(
                    request,
                    f"Imported: {counts['created']} new, {counts['updated']} updated, "
                    f"{counts['unchanged']} unchanged.",
                )
                return redirect("occupation_list")
        else:
            messages.error(request, "The preview expired; upload the file again.")
            status = 422
    elif request.method == "POST":
        upload_form = OccupationUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            content = upload_form.cleaned_data["file"].read(occupation_import.MAX_BYTES + 1)
            preview = occupation_import.read(content)
            if preview.file_error:
                upload_form.add_error("file", preview.file_error)
                preview = None
            elif preview.ok:
                apply_form = OccupationApplyForm(
                    initial={
                        "content": content.decode("utf-8-sig"),
                        "fingerprint": preview.fingerprint,
                    }
                )
        status = 422 if upload_form.errors or (preview and not preview.ok) else 200
    return render(
        request,
        "labor_market/occupation_import.html",
        {"upload_form": upload_form, "preview": preview, "apply_form": apply_form},
        status=status,
    )


@program_access(Rule.EVENT_ORGANIZE)
def event_workspace(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    """Before a regional training: the region's grantees' priority occupations and pathway
    drafts, for the event's organizers and the program's TA admins."""
    from events.selectors import event_for_organizer

    program = request.program
    roles = roles_for(request)
    event = event_for_organizer(program=program, event_id=event_id, roles=roles)
    if program.pk not in roles.ta_admin_of and not selectors.preview_open_to_organizers(event):
        raise Http404("This event's preview is closed.")
    region_ids = [event.region_id] if event.region_id else []
    if not region_ids:
        region_ids = list(event.audience_regions.values_list("pk", flat=True))
    context = {
        "program": program,
        "event": event,
        "regions": region_ids,
        "is_program_admin": program.pk in roles.ta_admin_of,
        "workspaces": selectors.region_workspaces(program=program, region_ids=region_ids),
    }
    return render(request, "labor_market/event_workspace.html", context)

"""Learner outcome pages: a grantee's quarters (its people, coaches, TA and state admins read;
its members report and import), and the program's rollup by region for TA and state admins."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from outcomes import csv_import, quarters, selectors, services
from outcomes.forms import ImportForm, OutcomeForm
from portal.access import Rule, grantee_access, program_access
from portal.exports import csv_response
from portal.roles import roles_for
from portal.services import ServiceError

IMPORT_MAX_AGE = 60 * 60  # a preview may be confirmed within an hour


@grantee_access(Rule.GRANTEE_VIEW)
def outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    page = selectors.grantee_page(grantee=grantee, today=timezone.localdate())
    context = {
        "grantee": grantee,
        "page": page,
        "can_report": grantee.pk in roles_for(request).staff_of,
    }
    return render(request, "outcomes/outcomes.html", context)


def _reportable(grantee, text: str) -> tuple[datetime.date | None, str]:
    """The quarter a URL names if this grantee may report it, else None and a message that says
    which quarters may be."""
    quarter = quarters.from_slug(text)
    today = timezone.localdate()
    if quarter is not None:
        first, last = quarters.allowed_range(grantee.program, today)
        if first <= quarter <= last:
            return quarter, ""
    name = "That quarter" if quarter is None else quarters.label(quarter)
    return None, f"{name} can't be reported. {quarters.range_message(grantee.program, today)}"


@grantee_access(Rule.GRANTEE_MEMBER)
def outcome_edit(request: HttpRequest, slug: str, quarter: str) -> HttpResponse:
    grantee = request.grantee
    start, message = _reportable(grantee, quarter)
    if start is None:
        context = {"grantee": grantee, "message": message}
        return render(request, "outcomes/quarter_unavailable.html", context, status=404)
    existing = selectors.outcome_for(grantee=grantee, quarter=start)
    data = request.POST if request.method == "POST" else None
    form = OutcomeForm(data, initial=OutcomeForm.initial_for(existing))
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_save(
                actor=request.user,
                grantee=grantee,
                quarter=start,
                values=form.values(),
                notes=form.cleaned_data["notes"],
            )
        except services.OutcomeErrors as errors:
            form.add_rule_errors(errors.errors)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, f"Saved the outcomes for {quarters.label(start)}.")
            return redirect("outcomes", slug=grantee.slug)
    invalid = request.method == "POST" and (bool(form.errors) or bool(form.levels_error))
    context = {
        "grantee": grantee,
        "form": form,
        "quarter": start,
        "quarter_label": quarters.label(start),
        "existing": existing,
        "invalid": invalid,
    }
    return render(request, "outcomes/edit.html", context, status=422 if invalid else 200)


# The preview is stateless: the file's text travels back in the confirm form's hidden field,
# signed (django.core.signing, compressed) rather than plain. The service checks it all again on
# confirm either way, so the signature is not what keeps bad numbers out; it makes the value
# good for this grantee and this person only and for an hour, and guarantees that what is
# applied is byte for byte the file whose preview the member read. The preview's fingerprint of
# the quarters as they were travels with it, so a change made meanwhile is shown, not overwritten.
def _signer_salt(request: HttpRequest) -> str:
    return f"outcomes-import:{request.grantee.pk}:{request.user.pk}"


def _signed(request: HttpRequest, text: str, fingerprint: str) -> str:
    return signing.dumps(
        {"csv": text, "seen": fingerprint}, salt=_signer_salt(request), compress=True
    )


@grantee_access(Rule.GRANTEE_MEMBER)
def outcome_import(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the upload form. POST a file: the preview (nothing written). POST `confirm` with the
    preview's signed value: check the file again and apply it all, or show what changed."""
    grantee = request.grantee
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    context = {"grantee": grantee, "form": form, "max_rows": csv_import.MAX_ROWS}
    if request.method != "POST":
        return render(request, "outcomes/import.html", context)
    if "confirm" in request.POST:
        try:
            payload = signing.loads(
                request.POST["confirm"], salt=_signer_salt(request), max_age=IMPORT_MAX_AGE
            )
        except signing.BadSignature:  # SignatureExpired included
            form = ImportForm(data={}, files={})
            form.full_clean()
            form.errors["file"] = form.error_class(
                ["This preview has expired or was altered; upload the file again."]
            )
            context["form"] = form
            return render(request, "outcomes/import.html", context, status=422)
        try:
            preview, applied = services.outcomes_import(
                actor=request.user, grantee=grantee, text=payload["csv"], seen=payload["seen"]
            )
        except ServiceError as error:
            # Refused while writing (nothing was saved): the file's preview as the quarters
            # are now, with the reason, and no confirm button to press into the same refusal.
            context.update(
                preview=csv_import.preview(
                    grantee=grantee, text=payload["csv"], today=timezone.localdate()
                ),
                signed="",
                refused=error.messages[0],
            )
            return render(request, "outcomes/import_preview.html", context, status=422)
        if applied:
            written = preview.new + preview.changed
            messages.success(
                request,
                f"Imported {written} quarter{'' if written == 1 else 's'} "
                f"({preview.new} new, {preview.changed} changed, "
                f"{preview.unchanged} unchanged).",
            )
            return redirect("outcomes", slug=grantee.slug)
        context.update(
            preview=preview,
            signed=_signed(request, payload["csv"], preview.fingerprint),
            stale=preview.ok,  # valid but changed since the preview: confirm again
        )
        return render(request, "outcomes/import_preview.html", context, status=422)
    if not form.is_valid():
        return render(request, "outcomes/import.html", context, status=422)
    try:
        text = csv_import.read_upload(form.cleaned_data.get("file"))
    except ServiceError as error:
        error.add_to(form)
        return render(request, "outcomes/import.html", context, status=422)
    preview = csv_import.preview(grantee=grantee, text=text, today=timezone.localdate())
    context.update(
        preview=preview, signed=_signed(request, text, preview.fingerprint) if preview.ok else ""
    )
    return render(
        request, "outcomes/import_preview.html", context, status=200 if preview.ok else 422
    )


@grantee_access(Rule.GRANTEE_MEMBER)
def outcome_template(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    rows = csv_import.template_rows(grantee=grantee, today=timezone.localdate())
    return csv_response(csv_import.COLUMNS, rows, f"{grantee.slug}-learner-outcomes")


# --- The program rollup ---------------------------------------------------------------------------


def _rollup_quarter(request: HttpRequest, trend: dict) -> tuple[datetime.date, list, str]:
    """The quarter asked for (?quarter=2026-q3), else the latest with data, else the one under
    way; the choices; and a message when the ask was not a quarter of the program's range."""
    program = request.program
    today = timezone.localdate()
    choices = quarters.allowed(program, today)
    for quarter in trend:
        if quarter not in choices:  # reported before a program's dates moved: still shown
            choices.append(quarter)
    choices.sort(reverse=True)
    asked = request.GET.get("quarter", "")
    chosen = quarters.from_slug(asked)
    error = ""
    if asked and chosen not in choices:
        error = "Choose one of the quarters in the list."
        chosen = None
    if chosen is None:
        chosen = max(trend) if trend else quarters.start_of(today)
    return chosen, choices, error


@program_access(Rule.PROGRAM_VIEW)
def program_outcomes(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    trend = selectors.program_trend(program=program)
    quarter, choices, error = _rollup_quarter(request, trend)
    rollup = selectors.program_rollup(program=program, quarter=quarter)
    context = {
        "program": program,
        "rollup": rollup,
        "quarter_label": quarters.label(quarter),
        "choices": [(quarters.slug(q), quarters.label(q), trend.get(q)) for q in choices],
        "chosen": quarters.slug(quarter),
        "error": error,
        "trend": [(q, quarters.label(q), t) for q, t in sorted(trend.items(), reverse=True)],
        "charts": selectors.trend_charts(trend, prefix="program"),
    }
    return render(request, "outcomes/program.html", context, status=422 if error else 200)


PROGRAM_CSV_HEADER = [
    "grantee",
    "region",
    "quarter",
    "quarter_start",
    *csv_import.COLUMNS[1:-2],
    "level_not_recorded",
    csv_import.WAGE_COLUMN,
]


@program_access(Rule.PROGRAM_VIEW)
def program_outcomes_csv(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Every reported quarter of the program's grantees, one row each: the counts for analysis
    (each grantee's notes stay on its own outcomes page)."""
    from outcomes import rules

    def rows():
        for o in selectors.program_export_rows(program=request.program):
            yield [
                o.grantee.name,
                o.grantee.region.name,
                quarters.csv_name(o.quarter_start),
                o.quarter_start.isoformat(),
                *[getattr(o, name) for name in csv_import.COLUMNS[1:-2]],
                o.level_not_recorded,
                "" if o.median_wage_cents is None else str(rules.dollars(o.median_wage_cents)),
            ]

    return csv_response(PROGRAM_CSV_HEADER, rows(), f"{request.program.slug}-learner-outcomes")

"""Reports: a grantee's progress for a period as a page, a PDF, a CSV and an XLSX workbook.
Visible to the grantee's people, its coaches, and its program's TA and state admins."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grantees.models import Region
from portal.access import Rule, grantee_access, program_access
from portal.aggregates import program_aggregate
from portal.exports import XLSX_TYPE, csv_response, xlsx_response
from portal.pdf import pdf_response, render_pdf
from portal.roles import roles_for
from portal.services import ServiceError
from portal.uploads import private_file_response
from reports import exports, periods, selectors, services
from reports.models import ExportJob, IssuedReport

# The page lists this many of the period's event registrations; the PDF and workbook list all.
PAGE_EVENT_ROWS = 20


def _report(request: HttpRequest, *, event_rows_limit: int | None = None):
    """The report the query string asks for, or (None, error) when its dates are bad."""
    grantee = request.grantee
    try:
        period = periods.parse_period(grantee.program, request.GET, timezone.localdate())
    except ServiceError as error:
        return None, error
    report = selectors.grantee_progress(
        grantee=grantee, period=period, event_rows_limit=event_rows_limit
    )
    return report, None


@grantee_access(Rule.GRANTEE_VIEW)
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    report, error = _report(request, event_rows_limit=PAGE_EVENT_ROWS)
    context = {
        "grantee": grantee,
        "report": report,
        "error": error,
        "choices": periods.available(grantee.program),
        "chosen": request.GET.get("period", report.period.key if report else ""),
        "date_from": request.GET.get("from", ""),
        "date_to": request.GET.get("to", ""),
        "query": urlencode(report.period.as_query()) if report else "",
    }
    return render(request, "reports/progress.html", context, status=422 if error else 200)


def _bad_dates(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(
        request,
        "reports/progress.html",
        {
            "grantee": request.grantee,
            "report": None,
            "error": error,
            "choices": periods.available(request.grantee.program),
        },
        status=422,
    )


def _filename(report) -> str:
    period = report.period
    return (
        f"{report.grantee.slug}-progress-{period.starts_on:%Y-%m-%d}-to-{period.ends_on:%Y-%m-%d}"
    )


@grantee_access(Rule.GRANTEE_VIEW)
def progress_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    report, error = _report(request)
    if error:
        return _bad_dates(request, error)
    content = render_pdf("reports/progress_pdf.html", {"report": report}, request=request)
    return pdf_response(content, _filename(report))


@grantee_access(Rule.GRANTEE_VIEW)
def progress_csv(request: HttpRequest, slug: str) -> HttpResponse:
    report, error = _report(request)
    if error:
        return _bad_dates(request, error)
    return csv_response(exports.LONG_HEADER, exports.long_rows(report), _filename(report))


@grantee_access(Rule.GRANTEE_VIEW)
def progress_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    report, error = _report(request)
    if error:
        return _bad_dates(request, error)
    return xlsx_response(exports.sheets(report), _filename(report))


# --- The program report (TA admins and state admins) ---------------------------------------------


def _program_filters(request: HttpRequest):
    program = request.program
    region_id = request.GET.get("region") or request.POST.get("region") or ""
    region = None
    if region_id.isascii() and region_id.isdecimal():
        region = Region.objects.filter(pk=int(region_id)).first()
    params = request.POST if request.method == "POST" else request.GET
    period = periods.parse_period(program, params, timezone.localdate())
    return period, region


def _jobs_context(request: HttpRequest) -> dict:
    jobs = list(
        ExportJob.objects.filter(program=request.program)
        .select_related("requested_by", "region")
        .order_by("-created_at")[:10]
    )
    return {
        "program": request.program,
        "jobs": jobs,
        "polling": any(job.is_active for job in jobs),
    }


@program_access(Rule.PROGRAM_VIEW)
def program_report(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    error = None
    try:
        period, region = _program_filters(request)
    except ServiceError as bad:
        error, region = bad, None
        period = periods.current_quarter(program, timezone.localdate())
    region_id = region.pk if region else None
    rows, figures_as_of = program_aggregate(
        program.pk,
        "report-rows",
        lambda: selectors.program_rows(program=program, period=period, region_id=region_id),
        period.starts_on,
        period.ends_on,
        region_id,
    )
    context = {
        **_jobs_context(request),
        "figures_as_of": figures_as_of,
        "aggregate_seconds": settings.PROGRAM_AGGREGATE_CACHE_SECONDS,
        "period": period,
        "region": region,
        "regions": Region.objects.filter(grantees__program=program).distinct().order_by("name"),
        "rows": rows,
        "region_totals": selectors.by_region(rows),
        "program_total": selectors.totals(rows, "Program"),
        "choices": periods.available(program),
        "chosen": request.GET.get("period", period.key),
        "date_from": request.GET.get("from", ""),
        "date_to": request.GET.get("to", ""),
        "error": error,
        "formats": ExportJob.Format.choices,
        "keep_days": settings.REPORT_EXPORT_KEEP_DAYS,
        "issued": IssuedReport.objects.filter(program=program).select_related("issued_by"),
        "can_issue": program.pk in roles_for(request).state_admin_of,
        "issuable": [
            (key, label)
            for key, label in periods.available(program)
            if key in services.QUARTERS
            and periods.program_period(program, key).ends_on < timezone.localdate()
        ],
    }
    return render(request, "reports/program_report.html", context, status=422 if error else 200)


@program_access(Rule.PROGRAM_VIEW)
def program_report_exports(request: HttpRequest, program_slug: str) -> HttpResponse:
    """GET: the export list (polled while a job runs). POST: queue an export."""
    if request.method == "POST":
        fmt = request.POST.get("format", "")
        try:
            if fmt not in ExportJob.Format.values:
                raise ServiceError("Choose a format.", field="format")
            period, region = _program_filters(request)
            services.export_request(
                actor=request.user, program=request.program, period=period, fmt=fmt, region=region
            )
        except ServiceError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, "Export queued. It appears below when ready, and we e-mail you."
            )
        if not request.htmx:
            return redirect("program_report", program_slug=program_slug)
    return render(request, "reports/partials/export_jobs.html", _jobs_context(request))


@program_access(Rule.PROGRAM_VIEW)
def program_report_download(request: HttpRequest, program_slug: str, export_id: int):
    job = get_object_or_404(
        ExportJob,
        pk=export_id,
        program=request.program,
        status=ExportJob.Status.DONE,
        expires_at__gt=timezone.now(),  # the sweep may not have deleted it yet
    )
    mimetype = {"xlsx": XLSX_TYPE, "csv": "text/csv", "pdf": "application/pdf"}[job.format]
    return private_file_response(job.file, filename=job.file_name, mimetype=mimetype, inline=False)


@program_access(Rule.PROGRAM_VIEW)
@require_POST
def program_report_retry(request: HttpRequest, program_slug: str, export_id: int):
    job = get_object_or_404(ExportJob, pk=export_id, program=request.program)
    services.export_retry(actor=request.user, job=job)
    if request.htmx:
        return render(request, "reports/partials/export_jobs.html", _jobs_context(request))
    messages.success(request, "Export queued again.")
    return redirect("program_report", program_slug=program_slug)


@program_access(Rule.PROGRAM_VIEW)
def program_dashboard(request: HttpRequest, program_slug: str) -> HttpResponse:
    from reports.dashboard import program_dashboard as build

    program = request.program
    dashboard, figures_as_of = program_aggregate(
        program.pk, "dashboard", lambda: build(program=program), timezone.localdate()
    )
    context = {
        "program": program,
        "dashboard": dashboard,
        "figures_as_of": figures_as_of,
        "aggregate_seconds": settings.PROGRAM_AGGREGATE_CACHE_SECONDS,
        "is_ta_admin": program.pk in roles_for(request).ta_admin_of,
    }
    return render(request, "reports/program_dashboard.html", context)


# --- Issued quarterly reports ---------------------------------------------------------------------


@program_access(Rule.PROGRAM_VIEW)
@require_POST
def program_report_issue(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    try:
        period = periods.parse_period(program, request.POST, timezone.localdate())
        issued = services.report_issue(actor=request.user, program=program, period=period)
    except ServiceError as error:
        messages.error(request, error.messages[0])
        return redirect("program_report", program_slug=program_slug)
    messages.success(request, "Report issued. These figures will not change.")
    return redirect("program_report_issued", program_slug=program_slug, issued_id=issued.pk)


def _issued(request: HttpRequest, issued_id: int) -> IssuedReport:
    return get_object_or_404(
        IssuedReport.objects.select_related("issued_by"), pk=issued_id, program=request.program
    )


@program_access(Rule.PROGRAM_VIEW)
def program_report_issued(request: HttpRequest, program_slug: str, issued_id: int):
    issued = _issued(request, issued_id)
    context = {
        "program": request.program,
        "issued": issued,
        "period": periods.Period(issued.period_key, issued.starts_on, issued.ends_on),
        "region_header": exports.region_header(),
        "corrections": selectors.issued_corrections(issued),
    }
    return render(request, "reports/issued_report.html", context)


@program_access(Rule.PROGRAM_VIEW)
def program_report_issued_csv(request: HttpRequest, program_slug: str, issued_id: int):
    issued = _issued(request, issued_id)
    name = f"{request.program.slug}-issued-{issued.starts_on:%Y-%m-%d}-to-{issued.ends_on:%Y-%m-%d}"
    return csv_response(issued.header, issued.rows, name)

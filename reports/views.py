"""Reports: a grantee's progress for a period as a page, a PDF, a CSV and an XLSX workbook.
Visible to the grantee's people, its coaches, and its program's TA and state admins."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.access import Rule, grantee_access
from portal.exports import csv_response, xlsx_response
from portal.pdf import pdf_response, render_pdf
from portal.services import ServiceError
from reports import exports, periods, selectors


def _report(request: HttpRequest):
    """The report the query string asks for, or (None, error) when its dates are bad."""
    grantee = request.grantee
    try:
        period = periods.parse_period(grantee.program, request.GET, timezone.localdate())
    except ServiceError as error:
        return None, error
    return selectors.grantee_progress(grantee=grantee, period=period), None


@grantee_access(Rule.GRANTEE_VIEW)
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    report, error = _report(request)
    context = {
        "grantee": grantee,
        "report": report,
        "error": error,
        "choices": periods.CHOICES,
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
        {"grantee": request.grantee, "report": None, "error": error, "choices": periods.CHOICES},
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

"""PDFs from templates with WeasyPrint. A PDF template is a whole HTML document with its own print
stylesheet (page size, margins, running footer with page numbers); charts are the same inline SVG
the pages show (portal/partials/bar_chart.html)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from portal.uploads import safe_filename


def render_pdf(template: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    # Imported here: WeasyPrint takes about a second to import, which no other page should pay.
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request else None
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{safe_filename(filename, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response

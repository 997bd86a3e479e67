"""Small real files for demo data: a one-page text PDF, written directly (no renderer needed, so
seeding stays fast), that PDF readers open and `library.text` can read back."""

from __future__ import annotations

import textwrap

from django.core.files.uploadedfile import SimpleUploadedFile

LINE_WIDTH = 88  # characters of 10-point Helvetica across a letter page with margins
LINES_PER_PAGE = 50


def _escape(text: str) -> str:
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page letter-size PDF: the title in bold, then the paragraphs, wrapped."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, LINE_WIDTH) or [""]
        lines.append("")
    lines = lines[:LINES_PER_PAGE]
    stream = ["BT", "/F2 16 Tf", "72 720 Td", f"({_escape(title)}) Tj", "/F1 10 Tf", "14 TL", "T*"]
    stream += [f"T* ({_escape(line)}) Tj" for line in lines]
    stream.append("ET")
    content = "\n".join(stream).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (%s) /Producer (Pathways TA Portal demo data) >>"
        % _escape(title).encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)


def pdf_upload(name: str, title: str, paragraphs: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text_pdf(title, paragraphs), content_type="application/pdf")

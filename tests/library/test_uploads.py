"""Uploads are checked by content, size and name; each refusal says what is wrong."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from portal.services import ServiceError
from portal.uploads import NAME_MAX, check_upload, safe_filename

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_passes_and_keeps_a_clean_name():
    checked = check_upload(SimpleUploadedFile("Plan (final).pdf", PDF))
    assert checked.extension == "pdf" and checked.mimetype == "application/pdf"
    assert checked.name == "Plan final.pdf"


def test_a_word_document_is_recognised_by_its_content():
    checked = check_upload(SimpleUploadedFile("notes.bin", docx_bytes()))
    assert checked.extension == "docx" and checked.name == "notes.docx"


def test_a_script_renamed_to_pdf_is_refused():
    with pytest.raises(ServiceError, match="not accepted") as refused:
        check_upload(SimpleUploadedFile("report.pdf", b"#!/bin/sh\nrm -rf /\n"))
    assert refused.value.field == "file"


def test_an_html_page_renamed_to_pdf_is_refused():
    with pytest.raises(ServiceError, match="not accepted"):
        check_upload(SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>"))


def test_an_oversize_file_is_refused_with_the_limit():
    with pytest.raises(ServiceError, match="the limit is 1 MB"):
        check_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 1_100_000), max_bytes=1048576)


def test_an_empty_file_is_refused():
    with pytest.raises(ServiceError, match="empty"):
        check_upload(SimpleUploadedFile("empty.pdf", b""))


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\windows\\system32.pdf", "/abs/path.pdf", ".hidden.pdf"],
)
def test_path_traversal_names_lose_their_path(name):
    checked = check_upload(SimpleUploadedFile(name, PDF))
    assert "/" not in checked.name and "\\" not in checked.name
    assert not checked.name.startswith(".") and ".." not in checked.name


@given(st.text(max_size=400), st.sampled_from(["pdf", "docx", "png"]))
def test_any_name_becomes_a_safe_one(name, extension):
    safe = safe_filename(name, extension)
    assert safe.endswith(f".{extension}")
    assert len(safe) <= NAME_MAX
    assert not safe.startswith(".") and ".." not in safe
    assert not any(c in safe for c in '/\\\x00\r\n"<>|:*?')

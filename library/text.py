"""Plain text of uploaded documents, for search: PDFs with pypdf, DOCX from its XML."""

from __future__ import annotations

import logging
import re
import zipfile
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

MAX_PAGES = 40
MAX_CHARS = 200_000  # enough to find a document by its words; bounds the index row
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(handle, mimetype: str) -> str:
    try:
        if mimetype == "application/pdf":
            return _clean(_pdf_text(handle))
        if mimetype == DOCX:
            return _clean(_docx_text(handle))
    except Exception:  # a damaged or hostile file: searchable by title and summary only
        logger.warning("Could not read the text of an uploaded %s", mimetype, exc_info=True)
    return ""


def _pdf_text(handle) -> str:
    from pypdf import PdfReader

    reader = PdfReader(handle)
    return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PAGES])


def _docx_text(handle) -> str:
    with zipfile.ZipFile(handle) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > 20 * 1024 * 1024:  # a zip bomb is not a document
            return ""
        root = ElementTree.fromstring(archive.read(info))  # noqa: S314 - no DTDs in DOCX XML
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = []
    for paragraph in root.iter(f"{namespace}p"):
        paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{namespace}t")))
    return "\n".join(paragraphs)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\x00", " ")).strip()[:MAX_CHARS]

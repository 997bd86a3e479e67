"""Safe uploads, shared by every app that takes files: a size limit, an allowlist of types read
from the file's first bytes (magic numbers, via the `filetype` library — never the extension or
the browser's Content-Type), and a sanitized name whose extension matches what the file is.

Files live outside the static root (settings.PRIVATE_MEDIA_ROOT) and are served only by views
that check who may see them (`private_file_response`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpResponse

from portal.services import ServiceError

# Detected type → (extension we store, MIME type we serve, what people call it).
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
    ),
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPEG"),
    "mp4": ("video/mp4", "MP4"),
}
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in ALLOWED_TYPES)
# Types a browser shows itself (PDF viewer, image, video); the rest are downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "video/mp4"}
NAME_MAX = 100


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # sanitized, with the extension of the detected type
    extension: str
    mimetype: str
    size: int


def max_upload_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024


def check_upload(upload: UploadedFile, *, max_bytes: int | None = None) -> CheckedUpload:
    """Refuse an empty, oversize or not-allowed file with a message for the file field."""
    max_bytes = max_bytes or max_upload_bytes()
    size = upload.size or 0
    if size == 0:
        raise ServiceError("The file is empty.", field="file")
    if size > max_bytes:
        raise ServiceError(
            f"The file is {size / 1048576:.1f} MB; the limit is {max_bytes // 1048576} MB.",
            field="file",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = "jpg" if kind and kind.extension == "jpeg" else (kind.extension if kind else "")
    if extension not in ALLOWED_TYPES:
        names = ", ".join(label for _, label in ALLOWED_TYPES.values())
        raise ServiceError(
            f"This kind of file is not accepted (its content is not one of: {names}).",
            field="file",
        )
    mimetype = ALLOWED_TYPES[extension][0]
    return CheckedUpload(safe_filename(upload.name or "", extension), extension, mimetype, size)


def attach_upload(instance, upload: UploadedFile) -> CheckedUpload:
    """Check `upload` and put it on a model with `file`, `file_name`, `file_type` and `file_size`
    fields (saved with the instance)."""
    checked = check_upload(upload)
    upload.name = checked.name
    instance.file = upload
    instance.file_name = checked.name
    instance.file_type = checked.mimetype
    instance.file_size = checked.size
    return checked


_UNSAFE = re.compile(r"[^\w\- ]+")
_SPACES = re.compile(r"[\s_]+")


def safe_filename(name: str, extension: str) -> str:
    """A name safe in a path and a header: the last path part only, letters, digits, spaces,
    hyphens and underscores, no leading dot, at most NAME_MAX characters, and `.extension`."""
    name = unicodedata.normalize("NFKC", name).replace("\\", "/")
    stem = PurePosixPath(name).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _UNSAFE.sub("_", stem)
    stem = _SPACES.sub(" ", stem).strip(" _-")
    stem = stem[: NAME_MAX - len(extension) - 1].strip(" _-") or "file"
    return f"{stem}.{extension}"


class PrivateStorage(FileSystemStorage):
    """Files nobody reaches by URL: no base_url, outside STATIC_ROOT and MEDIA_ROOT."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError("Private files are served by a view that checks access.")


def private_file_response(
    field_file, *, filename: str, mimetype: str, inline: bool | None = None
) -> HttpResponse:
    """Serve a private file after the caller has checked access. With PRIVATE_MEDIA_ACCEL set
    (e.g. "/protected/" behind nginx's internal location) the web server sends the bytes via
    X-Accel-Redirect; otherwise Django streams them. Content-Disposition is built by Django from
    the sanitized name (RFC 6266 / 5987). `inline` defaults to what a browser can show."""
    if inline is None:
        inline = mimetype in INLINE_TYPES
    accel = settings.PRIVATE_MEDIA_ACCEL
    if accel:
        response = HttpResponse(content_type=mimetype)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + field_file.name
        disposition = FileResponse(b"", as_attachment=not inline, filename=filename).headers[
            "Content-Disposition"
        ]
        response["Content-Disposition"] = disposition
    else:
        response = FileResponse(field_file.open("rb"), as_attachment=not inline, filename=filename)
        response["Content-Type"] = mimetype
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""CSV helpers shared by every export."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    return "'" + text if text[:1] in FORMULA_PREFIXES else text


def csv_unsafe(text: str) -> str:
    """Undo csv_safe on a cell read back from a file the portal wrote: "'=1" → "=1"."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_PREFIXES else text


def decode_upload(data: bytes, *, max_bytes: int) -> str:
    """An uploaded CSV file's text, or ValueError with the message for the file field: not
    empty, at most `max_bytes`, no NUL bytes, UTF-8 (Excel's byte-order mark is fine)."""
    if not data:
        raise ValueError("The file is empty.")
    if len(data) > max_bytes:
        raise ValueError(
            f"The file is larger than allowed: the limit is {max_bytes // 1_000_000} MB."
        )
    if b"\x00" in data:
        raise ValueError(
            "The file contains NUL bytes: it is not a CSV text file (save it as CSV UTF-8)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”."
        ) from None

"""Serving a case's private files: always as a download, never cached, never sniffed.

A file is served under a name the portal makes, `<case number>-<what it is>.<extension>`, with
the extension and the type of its *checked content* (portal.uploads: the stored file's own
random name carries the detected extension), never under the name it was uploaded with: a
`%PDF-…<html><script>` uploaded as `poly.html` is saved by the browser as `…-ktp.pdf` and opens
in a PDF reader, not as a web page. The response is an attachment with `nosniff` and a
sandboxing Content-Security-Policy, so even a browser that rendered it would run nothing.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.utils.text import slugify

from portal.admin_scoping import user_agency_id
from portal.uploads import SIGNATURES

SANDBOX_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"
FALLBACK_TYPE = "application/octet-stream"


def detected_extension(stored_name: str) -> str | None:
    """The checked type's extension kept in the stored name ("pdf", "jpg", "png"), or None."""
    extension = PurePosixPath(stored_name).suffix.lower().lstrip(".")
    return extension if extension in SIGNATURES else None


def download_name(number: str, label: str, stored_name: str) -> str:
    """`PSR-2025-00001-fotokopi-ktp.pdf`: the case, what the file is, its checked type."""
    case = re.sub(r"[^A-Za-z0-9-]", "", number) or "berkas"
    what = slugify(label)[:50].strip("-") or "berkas"
    return f"{case}-{what}.{detected_extension(stored_name) or 'bin'}"


def private_file_response(file_field, *, number: str, label: str):
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    extension = detected_extension(file_field.name)
    content_type = SIGNATURES[extension][1] if extension else FALLBACK_TYPE
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(number, label, file_field.name),
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    return response


def staff_may_open(request, agency_id: int) -> bool:
    """Whether the staff member asking may open a file of a case of the agency `agency_id`: a
    superuser, or staff of that agency (anyone else is answered 404)."""
    return request.user.is_superuser or user_agency_id(request) == agency_id

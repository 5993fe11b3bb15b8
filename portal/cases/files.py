"""Serving a case's private files: always as a download, never cached, never sniffed."""

from __future__ import annotations

from django.http import FileResponse, Http404


def private_file_response(file_field, name: str, content_type: str | None = None):
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

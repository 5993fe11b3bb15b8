"""Request guards that run before any view.

- Indonesian first: the interface language comes from the visitor's explicit choice (the
  language switch sets a cookie), never from the browser's Accept-Language header.
- Bad bytes: a NUL character has no place in a path, a query, a form value, a file name, a
  cookie or a header the portal reads, and the database refuses it (PostgreSQL raises on a
  string with NUL). Such a request is answered at once with the portal's own 400 page, before
  the session, the login or any query runs.
- Too large: a body longer than the largest legal submission (portal.uploads.
  max_submission_bytes) is refused by its Content-Length with the portal's own 413 page before
  a byte of it is read; while it is read, what comes in is counted against the same limit.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string

from portal.uploads import max_submission_bytes, max_upload_bytes, megabytes, smallest_limit

logger = logging.getLogger(__name__)

NUL = "\x00"


class IndonesianFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


def _error_page(request, template: str, status: int, context=None) -> HttpResponse:
    response = HttpResponse(render_to_string(template, context, request=request), status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request_page(request) -> HttpResponse:
    return _error_page(request, "400.html", 400)


def too_large_page(request, limit: int) -> HttpResponse:
    context = {"limit_mb": megabytes(limit), "file_mb": megabytes(max_upload_bytes())}
    return _error_page(request, "413.html", 413, context)


def _has_nul(values) -> bool:
    return any(NUL in value for value in values)


def carries_nul(request) -> bool:
    """Whether the path, query, cookies, headers or form values hold a NUL character."""
    if NUL in request.path_info or NUL in request.path:
        return True
    for key, values in request.GET.lists():
        if NUL in key or _has_nul(values):
            return True
    for key, value in request.COOKIES.items():
        if NUL in key or NUL in value:
            return True
    if _has_nul(str(v) for k, v in request.META.items() if k.startswith("HTTP_")):
        return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, values in request.POST.lists():
            if NUL in key or _has_nul(values):
                return True
        for key, files in request.FILES.lists():
            if NUL in key or _has_nul(f.name or "" for f in files):
                return True
    return False


def declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class RequestGuardMiddleware:
    """Refuse a body above the largest legal submission (413) and NUL characters (400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        if length is None:
            return bad_request_page(request)
        # A body that one file and the rest of a form can fill is always legal: the catalogue
        # is only read for larger ones.
        if length > smallest_limit() and length > (limit := max_submission_bytes()):
            logger.warning("refused: body of %d bytes, limit %d", length, limit)
            return too_large_page(request, limit)
        if carries_nul(request):
            logger.warning("refused: NUL character in a %s request", request.method)
            return bad_request_page(request)
        return self.get_response(request)


def too_large_view(request):
    """The 413 page on its own address, for a reverse proxy's `error_page 413` (its own limit
    answers before the portal sees the body)."""
    return too_large_page(request, max_submission_bytes())

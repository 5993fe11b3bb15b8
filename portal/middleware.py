"""Request guards that run before any view.

- Indonesian first: the interface language comes from the visitor's explicit choice (the
  language switch sets a cookie), never from the browser's Accept-Language header.
- Bad bytes: a NUL character has no place in a path, a query, a form value, a file name, a
  cookie or a header the portal reads, and the database refuses it (PostgreSQL raises on a
  string with NUL). Such a request is answered at once with the portal's own 400 page, before
  the session, the login or any query runs.
- Too large: a body longer than the largest legal body of the form it is sent to
  (portal.formlimits: that form's files at the limit plus the rest of the form), or, at an
  address no app registered as a public form, than the largest legal submission of the whole
  portal (portal.uploads.max_submission_bytes), is refused by its Content-Length with the
  portal's own 413 page before a byte of it is read. The page links back to the form that was
  sent. Django reads no more than the Content-Length, and a body without one (chunked) not at
  all.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from portal import formlimits
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


def too_large_page(request, limit: int, form: formlimits.PublicForm | None = None) -> HttpResponse:
    context = {
        "limit_mb": megabytes(limit),
        "file_mb": megabytes(max_upload_bytes()),
        "form_url": form.url if form else "",
        "form_files": form.files if form else None,
    }
    return _error_page(request, "413.html", 413, context)


def too_large(request, length: int) -> HttpResponse | None:
    """The 413 page when a body of `length` bytes is more than its address can legally take."""
    if length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return None  # every form may take this much text: no address is looked up
    form = formlimits.form_of(request)
    if form is not None:
        limit = form.limit
    elif length <= smallest_limit():
        return None  # one file and the rest of a form: legal anywhere else
    else:
        limit = max_submission_bytes()
    if length <= limit:
        return None
    logger.warning("refused: body of %d bytes to %s, limit %d", length, request.path, limit)
    return too_large_page(request, limit, form)


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
    """Refuse a body above what its form can legally take (413) and NUL characters (400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        if length is None:
            return bad_request_page(request)
        if (refused := too_large(request, length)) is not None:
            return refused
        if carries_nul(request):
            logger.warning("refused: NUL character in a %s request", request.method)
            return bad_request_page(request)
        return self.get_response(request)


def too_large_view(request):
    """The 413 page on its own address, for a reverse proxy's `error_page 413` (its own limit
    answers before the portal sees the body). It links back to the form the Referer names."""
    form = formlimits.form_referred(request)
    return too_large_page(request, form.limit if form else max_submission_bytes(), form)

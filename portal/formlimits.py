"""The largest legal body of each public form, known before its body is read.

The portal-wide limit (portal.uploads.max_submission_bytes) is the form with the most uploads
of the whole catalogue: 92.5 MB with the four decrees. A form that takes one document has no
use for that much, and a body it could never legally receive should be refused from its
Content-Length, not read to the end first. Each app registers its public forms by URL name
(`register("services:request_create", count)`, in services/apps.py and complaints/apps.py) with
how many files the form at that address takes: a number, or a function of the URL's arguments
(a request form asks for the documents of its service's version in force). The portal must call
up: the limit is checked by its middleware, before any view of an app runs, and the forms and
their files are the apps'. The largest legal body of the form is then every one of its
files at PORTAL_UPLOAD_MAX_BYTES with its part's headers, plus Django's limit on the rest of
the form (DATA_UPLOAD_MAX_MEMORY_SIZE): the same rule as the portal-wide limit, applied to one
form. Addresses no app registered (the admin, with its staff uploads) keep the portal-wide
limit. Several apps may register one address (the tracking page serves requests and
complaints): the largest count wins.

A body without a Content-Length (chunked) is never read at all: Django reads no more of
`wsgi.input` than the Content-Length says, so such a body is an empty form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from portal.uploads import PART_OVERHEAD, max_upload_bytes

FileCount = int | Callable[..., int]

_FORMS: dict[str, list[FileCount]] = {}


def register(url_name: str, files: FileCount) -> None:
    """The public form at `url_name` ("app:name") takes at most `files` files."""
    _FORMS.setdefault(url_name, []).append(files)


def body_limit(files: int) -> int:
    """The largest legal body of a form with `files` upload fields."""
    return files * (max_upload_bytes() + PART_OVERHEAD) + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@dataclass(frozen=True)
class PublicForm:
    url: str  # the form's own address, to go back to
    files: int
    limit: int  # bytes


def _count(files: FileCount, kwargs: dict) -> int:
    return files(**kwargs) if callable(files) else files


def form_at(path: str, query: str = "") -> PublicForm | None:
    """The registered public form at `path` (a path of this site), or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    counts = _FORMS.get(match.view_name)
    if not counts:
        return None
    files = max(_count(files, match.kwargs) for files in counts)
    # Rebuilt from the pattern, so the link back is this site's own address of the form.
    url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    if query:
        url = f"{url}?{query}"
    return PublicForm(url=url, files=files, limit=body_limit(files))


def form_of(request) -> PublicForm | None:
    """The registered public form a request was sent to, or None."""
    return form_at(request.path_info, request.GET.urlencode())


def form_referred(request) -> PublicForm | None:
    """The public form of this site that the request's Referer names (a proxy's own 413
    sends the browser to the portal's page, with the page of the form as its Referer)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        parts = urlsplit(referer)
    except ValueError:
        return None
    if not parts.path.startswith("/") or parts.netloc != request.get_host():
        return None
    script = request.META.get("SCRIPT_NAME", "")
    path = parts.path[len(script) :] if script and parts.path.startswith(script) else parts.path
    return form_at(path, parts.query)


# The portal's own public forms: the tracking form takes no file.
register("cases:track", 0)

"""Caching of public pages for anonymous visitors.

A public catalogue page (home, agencies, an agency, a standard, a calendar, the sitemap) is
rendered once and served from the cache to anonymous visitors until it expires or the catalogue
changes. "Changes" is a single version number in the shared cache (`default`), bumped by
signals whenever an agency, decree, standard or calendar row is saved or deleted
(services.catalogue.signals); the version is part of every key, so a change invalidates all pages
at once.

A page or fragment stored under a version never changes, so it can live in the memory of each
app process (the `local` and `template_fragments` caches) without going stale: only the version
is shared between processes. Each process reads it at most once every VERSION_TTL seconds, so
another process's edit shows on public pages within that time, and at once in the process that
made it. Logged-in users (staff) are never served or stored cached pages. Pages stay free of
per-visitor data (no CSRF token, no messages) so they can be shared.

A page is keyed on the query parameters it reads (`public_page(..., reads=("q", "halaman"))`)
and the view sees only those: `?v=1`, `?v=2`, ... of a stranger are the same page, one entry,
and are not echoed in it (the language form's "next"), so nobody can fill the cache or plant a
parameter in a page others are served.
"""

import hashlib
import time
from functools import wraps

from django.core.cache import cache, caches
from django.http import QueryDict
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

VERSION_KEY = "catalogue-version"


def _fresh_version() -> int:
    # Starts from the clock, so a version lost from the cache (evicted, or the cache restarted)
    # comes back as a number no earlier page or fragment was stored under.
    return time.time_ns() // 1000


VERSION_TTL = 1.0  # seconds a process trusts the version it last read
_clock = time.monotonic  # replaced in tests, which must not depend on the machine's speed
_seen: tuple[float, int] | None = None  # (monotonic time read, version)


def catalogue_version() -> int:
    global _seen
    now = _clock()
    if _seen is not None and now - _seen[0] < VERSION_TTL:
        return _seen[1]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), None)
        version = cache.get(VERSION_KEY) or _fresh_version()
    _seen = (now, version)
    return version


def bump_catalogue_version() -> None:
    global _seen
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:
        version = _fresh_version()
        cache.set(VERSION_KEY, version, None)
    _seen = (_clock(), version)


def forget_version() -> None:
    """Read the version from the shared cache next time (tests clear the caches)."""
    global _seen
    _seen = None


def _only(request, reads: tuple[str, ...]) -> str:
    """Drop the query parameters the view does not read; the query string that is left."""
    kept = QueryDict(mutable=True)
    for name in reads:
        values = request.GET.getlist(name)
        if values:
            kept.setlist(name, values)
    query = kept.urlencode()
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = query
    return query


def public_page(timeout: int, reads: tuple[str, ...] = ()):
    """Cache a GET view's response for anonymous visitors for `timeout` seconds, keyed on the
    query parameters named in `reads` (the view never sees the others)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            query = _only(request, reads)
            address = f"{request.path}?{query}"
            if len(address) > 150:  # a long query (or path) is kept under its digest
                address = hashlib.sha256(address.encode()).hexdigest()
            key = f"page:{catalogue_version()}:{get_language()}:{address}"
            pages = caches["local"]
            cached = pages.get(key)
            if cached is not None:
                return cached
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.cookies:
                patch_cache_control(response, public=True, max_age=timeout)
                pages.set(key, response, timeout)
            return response

        return wrapped

    return decorator


def blank_form_key(form, *parts) -> str:
    """The fragment-cache key of a blank form's fields, or "" for a bound form.

    The fields of a form nobody has filled in depend only on the catalogue (labels, choices, the
    requirements of a service), the language and `parts` (what was preselected), so their HTML
    is rendered once and shared. A bound form shows what the visitor typed and their errors,
    and is always rendered. The submission key and the CSRF token stay outside the fragment.
    """
    if form.is_bound:
        return ""
    return ":".join(str(p) for p in (catalogue_version(), get_language(), *parts))

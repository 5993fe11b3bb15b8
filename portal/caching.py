"""Caching of public pages for anonymous visitors.

A public catalogue page (home, agencies, an agency, a standard, a calendar, the sitemap) is
rendered once and served from the cache to anonymous visitors until it expires or the catalogue
changes. "Changes" is a single version number in the cache, bumped by signals whenever an
agency, decree, standard or calendar row is saved or deleted (services.signals); the version is
part of every key, so a change invalidates all pages at once, across processes sharing the
cache. Logged-in users (staff) are never served or stored cached pages. Pages stay free of
per-visitor data (no CSRF token, no messages) so they can be shared.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

VERSION_KEY = "catalogue-version"


def _fresh_version() -> int:
    # Starts from the clock, so a version lost from the cache (evicted, or the cache restarted)
    # comes back as a number no earlier page or fragment was stored under.
    return time.time_ns() // 1000


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), None)
        version = cache.get(VERSION_KEY) or _fresh_version()
    return version


def bump_catalogue_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, _fresh_version(), None)


def public_page(timeout: int):
    """Cache a GET view's response for anonymous visitors for `timeout` seconds."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            key = f"page:{catalogue_version()}:{get_language()}:{request.get_full_path()}"
            cached = cache.get(key)
            if cached is not None:
                return cached
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.cookies:
                patch_cache_control(response, public=True, max_age=timeout)
                cache.set(key, response, timeout)
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

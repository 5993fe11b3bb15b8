"""`/healthz`: is this app server able to serve? Checks the database and the cache.

The cache holds the public pages, the catalogue version and the rate-limit counters; with
PORTAL_CACHE=db it is a table, and a server whose cache table is missing would fail every
public page, so it is checked like the database.
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        logger.exception("health check: database unavailable")
        return False
    return True


def _cache() -> bool:
    try:
        cache.set("healthz", "ok", 30)
        return cache.get("healthz") == "ok"
    except Exception:  # a missing cache table, an unreachable redis
        logger.exception("health check: cache unavailable")
        return False


@never_cache
def healthz(request):
    database = _database()
    shared = database and _cache()  # the db cache can't work without the database
    body = {
        "status": "ok" if database and shared else "error",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if shared else "unavailable",
    }
    return JsonResponse(body, status=200 if database and shared else 503)

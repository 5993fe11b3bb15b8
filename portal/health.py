"""`/healthz`: is this app server able to serve? Checks the database, the cache and the media
storage (a file is written to and removed from the private folder: submissions with documents
need it; a full disk or a folder the app can't write fails it).

The cache holds the public pages, the catalogue version and the rate-limit counters; with
PORTAL_CACHE=db it is a table, and a server whose cache table is missing would fail every
public page, so it is checked like the database.
"""

import logging
import os
import tempfile

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from portal.uploads import private_storage

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


def _media() -> bool:
    try:
        folder = private_storage.location
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError:
        logger.exception("health check: media storage unavailable")
        return False
    return True


@never_cache
def healthz(request):
    database = _database()
    shared = database and _cache()  # the db cache can't work without the database
    media = _media()
    healthy = database and shared and media
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if shared else "unavailable",
        "media": "ok" if media else "unavailable",
    }
    return JsonResponse(body, status=200 if healthy else 503)

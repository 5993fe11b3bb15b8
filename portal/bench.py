"""A minimal view for benchmarks: the floor of what the full middleware stack can serve.

Mounted at /bench/minimal/ only when PORTAL_BENCH_VIEW=1 and never in production (see
portal.urls and scripts/bench). Page throughput is reported as a share of this view's.
"""

from django.http import HttpResponse


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")

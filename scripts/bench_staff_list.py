"""Time the staff's request list (the admin changelist) with 10,000 requests of one agency.

Usage: python scripts/bench_staff_list.py [runs]   (default 7; prints the median in ms)

Builds a throwaway SQLite database in a temporary folder (migrate, load_standards, then the
10,000 running Pasuruan requests of tests/bulk.py: `ten_thousand_requests`), logs a staff member
of the agency in with the test client and renders the changelist page `runs` times after a
warm-up. tests/services/test_request_admin.py checks what the page counts and
how many queries it makes; timing is left to this script. For a large PostgreSQL database see
scripts/bench_queries.py.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic needed here
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory(prefix="bench-staff-list-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from services.models import ServiceRequest
        from tests.bulk import ten_thousand_requests
        from tests.factories import staff_member

        if settings.PRODUCTION:
            sys.exit("Not in production.")
        call_command("migrate", verbosity=0)
        call_command("load_standards", verbosity=0, stdout=io.StringIO())
        agency = ten_thousand_requests()
        client = Client()
        client.force_login(staff_member(agency))
        url = reverse("admin:services_servicerequest_changelist")
        response = client.get(url)  # warm-up: templates, calendars, caches
        assert response.status_code == 200, response.status_code
        count = ServiceRequest.objects.filter(agency=agency).count()
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
    each = ", ".join(f"{t:.0f}" for t in timings)
    median = statistics.median(timings)
    print(f"staff list of {count:,} requests: median {median:.0f} ms ({each} ms)")


if __name__ == "__main__":
    main()

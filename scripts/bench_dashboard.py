"""Time the staff's "Hari ini" page and queues with 100,000 cases of one agency.

Usage: python scripts/bench_dashboard.py [cases] [runs]   (defaults 100000 and 5)

Builds a throwaway SQLite database (or uses DATABASE_URL when BENCH_DATABASE_URL is given),
migrates, loads the decrees, inserts `cases` Pasuruan requests and as many complaints in bulk
(the builders of tests/bulk.py: half late, half due within days),
then renders, as a staff member of the agency and as a superuser, the dashboard, the request
queue filtered to late cases and the complaint queue, `runs` times each after a warm-up. Prints
the median time and the number of queries of each page. The tests check that the counts are
right and that the number of queries does not grow with the data; timing is left to this script.
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
    warnings.filterwarnings("ignore", "No directory at")
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from django.utils import timezone

        from services.models import Agency
        from tests.bulk import bulk_complaints, bulk_requests
        from tests.factories import staff_member

        if settings.PRODUCTION:
            sys.exit("Not in production.")
        call_command("migrate", verbosity=0)
        call_command("load_standards", verbosity=0, stdout=io.StringIO())
        agency = Agency.objects.get(slug="pasuruan")
        began = time.perf_counter()
        bulk_requests(agency, size, timezone.now())
        bulk_complaints(agency, size, timezone.now())
        print(
            f"inserted {size:,} requests and {size:,} complaints in "
            f"{time.perf_counter() - began:.1f} s ({connection.vendor})"
        )
        staff = staff_member(agency)
        admin = User.objects.create_superuser("bench-admin", "b@contoh.go.id", "x-bench-123")
        pages = {
            "dashboard": reverse("admin:index"),
            "requests late": reverse("admin:services_servicerequest_changelist") + "?tempo=lewat",
            "complaints": reverse("admin:complaints_complaint_changelist"),
        }
        for user, who in ((staff, "staff"), (admin, "superuser")):
            client = Client()
            client.force_login(user)
            for name, url in pages.items():
                assert client.get(url).status_code == 200  # warm-up
                timings = []
                for _ in range(runs):
                    with CaptureQueriesContext(connection) as queries:
                        began = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200
                print(
                    f"{who:<9} {name:<14} median {statistics.median(timings):6.0f} ms, "
                    f"{len(queries)} queries ({', '.join(f'{t:.0f}' for t in timings)} ms)"
                )


if __name__ == "__main__":
    main()

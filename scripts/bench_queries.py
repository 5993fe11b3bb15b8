"""Time the queries that must stay fast on a large database (see docs/performance.md).

Usage: DATABASE_URL=postgres://.../bench python scripts/bench_queries.py [--explain]

Run it on a database filled by `python scripts/benchmark_data.py --yes`. It times (median of 7
runs after a warm-up):
- the service search's first page of 20 (count + rows + prefetch), for a few queries;
- the staff's request list of the busiest agency, overdue first (the admin's 50 rows with
  their select_related, and its counts), and the admin changelist page itself, rendered for
  a staff member of that agency (created inside a transaction that is rolled back);
- the public performance pages (never cached): the busiest agency's and the whole portal's,
  and their one live figure, the requests overdue now per agency.
With --explain it prints EXPLAIN ANALYZE of each SQL query.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from services.catalogue import search as catalogue_search  # noqa: E402
from services.models import Agency, ServiceRequest  # noqa: E402

SEARCHES = ["kantor cabang", "koperasi", "konsultasi", "pertimbangan teknis", "halal"]
RUNS = 7


def timed(fn) -> tuple[float, object]:
    fn()  # warm-up
    times, result = [], None
    for _ in range(RUNS):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def explain(fn) -> None:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n" + sql[:300] + ("…" if len(sql) > 300 else ""))
            print("\n".join(row[0] for row in cursor.fetchall()))


def search_page(q):
    def run():
        page = Paginator(catalogue_search.search_services(q=q), 20).get_page(1)
        rows = list(page.object_list)
        return page.paginator.count, rows

    return run


def staff_list(agency, **filters):
    def run():
        qs = (
            ServiceRequest.objects.filter(agency=agency, **filters)
            .select_related("agency", "standard", "assignee")
            .order_by("due_at", "-pk")
        )
        rows = list(qs[:50])
        return qs.count(), ServiceRequest.objects.filter(agency=agency).count(), rows

    return run


def main() -> None:
    do_explain = "--explain" in sys.argv
    if settings.PRODUCTION:
        sys.exit("Not in production.")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"{Agency.objects.count()} agencies, {ServiceRequest.objects.count()} requests\n\n"
        "| query | rows matched | median ms |\n|---|---:|---:|"
    )
    for q in SEARCHES:
        ms, (count, _rows) = timed(search_page(q))
        print(f"| search `{q}`, page 1 of 20 | {count} | {ms:.1f} |")
        if do_explain:
            explain(search_page(q))
    busiest = (
        Agency.objects.annotate(n=Count("requests")).order_by("-n").values_list("pk", "n").first()
    )
    agency = Agency.objects.get(pk=busiest[0])
    now = timezone.now()
    cases = [
        ("staff list, all, by due_at", {}),
        ("staff list, open", {"status__in": ["diterima", "diverifikasi", "diproses"]}),
        (
            "staff list, overdue",
            {"status__in": ["diterima", "diverifikasi", "diproses"], "due_at__lt": now},
        ),
    ]
    for label, filters in cases:
        ms, (count, _total, _rows) = timed(staff_list(agency, **filters))
        print(f"| {label} ({agency.code}), 50 rows + counts | {count} | {ms:.1f} |")
        if do_explain:
            explain(staff_list(agency, **filters))
    for model, ms in admin_pages(agency).items():
        print(f"| admin {model} changelist ({agency.code}), full page | - | {ms:.1f} |")
    for label, url in performance_pages(agency).items():
        ms, _response = timed(url)
        print(f"| {label}, full page, uncached | - | {ms:.1f} |")
        if do_explain:
            explain(url)
    ms, rows = timed(overdue_now)
    print(f"| performance figures: overdue now, every agency | {sum(rows.values())} | {ms:.1f} |")
    if do_explain:
        explain(overdue_now)


def overdue_now() -> dict:
    """The live figure of the performance pages (not in the day counts: it depends on now)."""
    from services.requests import workflow as request_workflow

    rows = (
        ServiceRequest.objects.order_by()
        .filter(status__in=request_workflow.RUNNING, due_at__lt=timezone.now())
        .values("agency_id")
        .annotate(n=Count("*"))
    )
    return {row["agency_id"]: row["n"] for row in rows}


def performance_pages(agency) -> dict:
    """The public performance pages as an anonymous visitor gets them (they are never
    cached): the busiest agency's and the whole portal's, for this year so far."""
    client = Client()

    def page(path):
        def run():
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            return response

        return run

    received = ServiceRequest.objects.filter(
        agency=agency, received_at__year=timezone.now().year
    ).count()
    return {
        f"performance page ({agency.code}, {received} requests this year)": page(
            f"/instansi/{agency.slug}/kinerja/"
        ),
        "performance page, whole portal": page("/kinerja/"),
    }


def admin_pages(agency) -> dict[str, float]:
    """The changelist as a staff member of the agency sees it (rolled back afterwards)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test.utils import override_settings

    from services.models import AgencyMembership
    from services.roles import STAFF

    with transaction.atomic(), override_settings(AXES_ENABLED=False):
        user = get_user_model().objects.create_user("bench-petugas", password="x", is_staff=True)
        group = Group.objects.filter(name=STAFF).first()
        if group:
            user.groups.add(group)
        AgencyMembership.objects.create(user=user, agency=agency)
        client = Client()
        client.force_login(user)
        result = {}
        for path in ("services/servicerequest/", "complaints/complaint/"):

            def run(path=path):
                response = client.get("/" + settings.ADMIN_PATH + path)
                assert response.status_code == 200, response.status_code
                return response

            result[path.split("/")[1]], _ = timed(run)
            if "--explain" in sys.argv:
                explain(run)
        transaction.set_rollback(True)
    return result


if __name__ == "__main__":
    main()

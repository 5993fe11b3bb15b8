"""`manage.py rebuild_performance_counts [--agency SLUG ...]`: count the per-day figures of the
performance pages again from the cases (portal.cases.daycounts: every kind of case, the
complaints' too). Idempotent: a second run writes the same rows. Every write to a case keeps
them exact already; run it after loading cases by other means (a restore of part of a table, a
COPY) or to check them. A command of this app, which knows the agencies by their slug."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.cases.daycounts import rebuild_all
from services.catalogue.models.agencies import Agency


class Command(BaseCommand):
    help = "Menghitung ulang hitungan harian kinerja dari kasus (idempoten)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", action="append", default=[], help="slug instansi")

    def handle(self, *args, **options):
        agency_ids = None
        if options["agency"]:
            found = dict(
                Agency.objects.filter(slug__in=options["agency"]).values_list("slug", "pk")
            )
            unknown = sorted(set(options["agency"]) - set(found))
            if unknown:
                raise CommandError(f"Instansi tidak dikenal: {', '.join(unknown)}")
            agency_ids = list(found.values())
        for label, rows in rebuild_all(agency_ids=agency_ids).items():
            self.stdout.write(f"{label}: {rows} baris")

"""Load decree fixtures: `python manage.py load_standards [FILE ...]`.

With no FILE, every `*.yaml` in fixtures/ is loaded. All files are validated first; any problem
(unknown key, missing field, wrong type, unreadable timeframe) is reported with the file, the
service and the field, and nothing is written. Loading runs in one transaction and is
idempotent: a second run changes nothing, an edited file updates rows in place and publishes a
new version of each service whose content changed. A file with a new decree number makes that
decree the one in force from its date for the services it lists and withdraws the others.
Files are loaded in the order of their decrees' dates.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from services.catalogue.actions import decree_load
from services.catalogue.decree_files import fixture_dir, read_fixture
from services.catalogue.fixture_schema import FixtureProblem


class Command(BaseCommand):
    help = "Memuat standar pelayanan dari berkas keputusan (YAML) di fixtures/."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Berkas YAML; kosong = semua di fixtures/")

    def handle(self, *args, files, **options):
        paths = [Path(f) for f in files] or sorted(fixture_dir().glob("*.yaml"))
        if not paths:
            raise CommandError(f"Tidak ada berkas *.yaml di {fixture_dir()}.")
        documents = []
        problems: list[FixtureProblem] = []
        for path in paths:
            data, found = read_fixture(path)
            problems += found
            if not found:
                documents.append((path, data))
        if problems:
            raise CommandError(
                "Berkas tidak valid, tidak ada yang dimuat:\n"
                + "\n".join(f"  - {p}" for p in problems)
            )
        documents.sort(key=lambda doc: str(doc[1]["decree"]["signed_date"]))
        with transaction.atomic():
            for path, data in documents:
                stats = decree_load(data=data)
                withdrawn = f", dicabut {len(stats.withdrawn)}" if stats.withdrawn else ""
                self.stdout.write(
                    f"{path.name}: {stats.agency}: baru {stats.created}, diperbarui "
                    f"{stats.updated}, tetap {stats.unchanged}, versi baru {stats.versions}"
                    f"{withdrawn}"
                )
        self.stdout.write(self.style.SUCCESS(f"{len(documents)} berkas dimuat."))

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

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from services.catalogue.actions import decree_load
from services.catalogue.fixture_schema import FixtureProblem, validate_document
from services.catalogue.timeframes import TimeframeError, parse_timeframe


def fixture_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


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


def read_fixture(path: Path) -> tuple[dict | None, list[FixtureProblem]]:
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [FixtureProblem(name, "", "(berkas)", "berkas tidak ditemukan")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"baris {mark.line + 1}" if mark else "(berkas)"
        return None, [FixtureProblem(name, "", where, f"YAML tidak dapat dibaca: {exc}")]
    problems = validate_document(data, name)
    if problems:
        return data, problems
    for service in data["services"]:
        try:
            parse_timeframe(service["timeframe"])
        except TimeframeError as exc:
            problems.append(FixtureProblem(name, service["slug"], "timeframe", str(exc)))
    return data, problems

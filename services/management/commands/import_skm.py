"""`python manage.py import_skm FILE.csv`: paper questionnaires of the satisfaction survey.

The whole file is checked first (services.skm_csv); any problem is printed with its line and
column and nothing is written. A clean file is written in one transaction.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from services import skm_csv, survey_actions

MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Mengimpor kuesioner SKM kertas dari berkas CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas CSV (UTF-8)")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ada.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"Berkas {file} lebih dari {MAX_BYTES // 1024 // 1024} MB.")
        # The latest date anywhere in the country: a date is in the future when it is so in
        # the easternmost zone too.
        today = timezone.now().astimezone(timezone.get_fixed_timezone(9 * 60)).date()
        rows, errors = skm_csv.read(path.read_bytes(), today=today)
        if errors:
            for error in errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(errors)} kesalahan; tidak ada yang diimpor.")
        count = survey_actions.survey_import(rows=rows)
        self.stdout.write(f"{count} kuesioner diimpor.")

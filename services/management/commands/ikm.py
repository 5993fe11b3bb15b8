"""`python manage.py ikm --agency SLUG [--service SLUG] [--from DATE] [--to DATE]`

Prints the NRR of each element, then, as its last line, `IKM 82.47 B (120 responden)`: the
index with two decimals, the grade letter and the number of respondents (dates inclusive, by
survey date).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from services.models import Agency, ServiceStandard
from services.performance import figures as performance


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{option} '{text}' bukan tanggal ISO (contoh: 2025-01-31).") from exc


class Command(BaseCommand):
    help = "Menghitung Indeks Kepuasan Masyarakat (PermenPANRB 14/2017)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="slug instansi")
        parser.add_argument("--service", help="slug layanan (tanpa: seluruh instansi)")
        parser.add_argument("--from", dest="start", help="tanggal survei awal, TTTT-BB-HH")
        parser.add_argument("--to", dest="end", help="tanggal survei akhir, TTTT-BB-HH")

    def handle(self, *args, agency, service, start, end, **options):
        agency_obj = Agency.objects.filter(slug=agency).first()
        if agency_obj is None:
            raise CommandError(f"Instansi '{agency}' tidak dikenal.")
        standard_id = None
        if service:
            standard = ServiceStandard.objects.filter(agency=agency_obj, slug=service).first()
            if standard is None:
                raise CommandError(f"Layanan '{service}' tidak ada di {agency}.")
            standard_id = standard.pk
        start_date, end_date = _date(start, "--from"), _date(end, "--to")
        if start_date and end_date and start_date > end_date:
            raise CommandError("--from tidak boleh sesudah --to.")
        result = performance.ikm_for(
            agency_id=agency_obj.pk, standard_id=standard_id, start=start_date, end=end_date
        )
        for element in result.elements:
            self.stdout.write(
                f"{element.element.key} NRR {element.nrr_rounded} "
                f"{element.index_rounded} {element.grade} {element.element.name}"
            )
        self.stdout.write(result.line())

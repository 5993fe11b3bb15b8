"""Anonymise closed cases past the retention period (portal.cases.retention)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.cases import retention
from portal.worktime import format_moment


class Command(BaseCommand):
    help = (
        "Menganonimkan kasus yang sudah ditutup lebih dari PORTAL_PERSONAL_DATA_RETENTION_DAYS "
        "hari: nama, NIK, telepon, email, alamat, teks bebas dan berkas unggahan dihapus; nomor, "
        "tenggat, status dan riwayat tetap; lalu berkas tanpa baris dihapus (sweep_orphan_files). "
        "Tanpa --apply hanya menampilkan daftarnya."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Benar-benar menganonimkan (bukan uji coba)."
        )

    def handle(self, *args, apply=False, **options):
        now = timezone.now()
        limit = format_moment(retention.cutoff(now), settings.TIME_ZONE)
        self.stdout.write(
            f"Masa simpan {retention.retention_days()} hari: kasus yang ditutup sebelum {limit}."
        )
        total = 0
        for rule in retention.rules():
            if not apply:
                numbers = list(retention.expired(rule, now).values_list("number", flat=True))
                for number in numbers:
                    self.stdout.write(f"  {rule.label} {number}")
                self.stdout.write(f"{rule.label}: {len(numbers)} kasus akan dianonimkan.")
                total += len(numbers)
                continue
            done = 0
            for number, purged in retention.purge(rule, now=now):
                if purged:
                    done += 1
                    self.stdout.write(f"  {rule.label} {number} dianonimkan")
            self.stdout.write(f"{rule.label}: {done} kasus dianonimkan.")
            total += done
        if not apply:
            self.stdout.write(
                f"Uji coba: {total} kasus, tidak ada yang diubah. Jalankan dengan --apply."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Selesai: {total} kasus dianonimkan."))
        # Files no row names (a submission cut short) are removed with the rest (portal.sweep).
        call_command("sweep_orphan_files", dry_run=not apply, stdout=self.stdout)

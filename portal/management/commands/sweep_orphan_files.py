"""Removes the files in private storage that no row names (portal.sweep); run daily from cron."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from portal import sweep
from portal.worktime import format_moment


class Command(BaseCommand):
    help = (
        "Hapus berkas di penyimpanan privat yang tidak dirujuk baris mana pun dan lebih tua "
        "dari PORTAL_ORPHAN_GRACE_HOURS jam (sisa kiriman yang terputus). Dengan --dry-run "
        "hanya menampilkan daftarnya."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Hanya tampilkan, jangan hapus apa pun."
        )

    def handle(self, *args, dry_run=False, **options):
        grace = sweep.grace_period()
        result = sweep.sweep(now=timezone.now(), grace=grace, dry_run=dry_run)
        hours = f"{grace.total_seconds() / 3600:g}"
        for orphan in result.orphans:
            if dry_run:
                verb = "akan dihapus"
            elif orphan in result.failed:
                verb = "GAGAL dihapus"
            else:
                verb = "dihapus"
            written = format_moment(orphan.modified, settings.TIME_ZONE)
            self.stdout.write(f"  {orphan.name} (ditulis {written}) {verb}")
        self.stdout.write(
            f"{result.seen} berkas diperiksa, {result.young} lebih muda dari {hours} jam "
            f"(tidak dinilai), {len(result.orphans)} tanpa baris."
        )
        if dry_run:
            self.stdout.write(f"Uji coba: {len(result.orphans)} berkas, tidak ada yang dihapus.")
        elif result.failed:
            self.stderr.write(
                f"{len(result.removed)} berkas yatim dihapus; {len(result.failed)} gagal "
                "(lihat log)."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(result.removed)} berkas yatim dihapus."))

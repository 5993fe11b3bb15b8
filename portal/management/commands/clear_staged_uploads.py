"""Removes the files held for public forms that were never sent (run hourly from cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.cases.staging import purge


class Command(BaseCommand):
    help = "Hapus berkas formulir yang tidak pernah dikirim (PORTAL_STAGED_UPLOAD_HOURS)."

    def handle(self, *args, **options):
        removed = purge(now=timezone.now())
        self.stdout.write(f"{removed} berkas tertunda dihapus")

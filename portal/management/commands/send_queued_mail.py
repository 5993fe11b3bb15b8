"""Retries the emails that could not be sent yet (run every few minutes from cron)."""

from django.core.management.base import BaseCommand

from portal.cases.mail import send_queued


class Command(BaseCommand):
    help = "Kirim ulang email yang belum terkirim (kotak keluar)."

    def handle(self, *args, **options):
        sent, failed = send_queued()
        self.stdout.write(f"{sent} terkirim, {failed} gagal (dicoba lagi nanti)")

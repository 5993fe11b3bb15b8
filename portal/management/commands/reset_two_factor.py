"""Reset a staff member's second factor (lost phone, no recovery codes left)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.login import twofactor


class Command(BaseCommand):
    help = (
        "Menghapus aplikasi autentikator dan kode pemulihan seorang pengguna; ia mendaftarkan "
        "aplikasi lagi dengan tautan pendaftaran baru (two_factor_invite). Hanya untuk "
        "superuser yang sudah memeriksa identitas pemilik akun."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username!r} tidak ada.")
        removed = twofactor.reset(user)
        self.stdout.write(
            f"Verifikasi dua langkah {username} diatur ulang ({removed} perangkat dihapus). "
            "Buat tautan pendaftaran baru untuknya (manage.py two_factor_invite "
            f"{username}): dengan tautan itu ia memindai kode QR baru dan menerima kode "
            "pemulihan baru."
        )

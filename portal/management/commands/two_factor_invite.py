"""Make a one-time enrolment link for a staff member's first authenticator app
(portal.login.invitations): valid 24 hours, printed on the last line, or emailed."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.login import invitations


class Command(BaseCommand):
    help = (
        "Membuat tautan pendaftaran verifikasi dua langkah sekali pakai (berlaku 24 jam) untuk "
        "akun staf yang belum memiliki aplikasi autentikator; tautan dicetak di baris terakhir, "
        "atau dikirim ke email akun dengan --email. Serahkan hanya kepada pemilik akun."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--email", action="store_true", help="Kirim tautan ke alamat email akun."
        )

    def handle(self, *args, username, email, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username!r} tidak ada.")
        now = timezone.now()
        try:
            if email:
                invitation = invitations.invitation_email(user=user, by=None, now=now)
            else:
                invitation, token = invitations.invitation_create(user=user, by=None, now=now)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        expires = timezone.localtime(invitation.expires_at).isoformat(timespec="minutes")
        if email:
            self.stdout.write(
                f"Tautan pendaftaran untuk {username} dikirim ke {user.email}, "
                f"berlaku sampai {expires}."
            )
            return
        self.stdout.write(f"Tautan pendaftaran untuk {username}, sekali pakai, sampai {expires}:")
        self.stdout.write(invitations.link(token))

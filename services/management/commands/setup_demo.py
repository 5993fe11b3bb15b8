"""`python manage.py setup_demo`: demo accounts for trying the portal locally.

Creates a superuser and, for each agency, one official (edits that agency's standards), its
head (Kepala Dinas: approves and publishes the standards' new versions), one staff member and
one complaint officer. The password comes from PORTAL_DEMO_PASSWORD (default
"demo-portal-2025") and is printed. Refuses to run with production settings.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from services.models import Agency, AgencyMembership
from services.roles import COMPLAINT_OFFICER, HEAD, OFFICIAL, STAFF

DEFAULT_PASSWORD = "demo-portal-2025"


class Command(BaseCommand):
    help = "Membuat akun demo (admin, pejabat dan petugas tiap instansi)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Akun demo tidak boleh dibuat di lingkungan produksi.")
        password = os.environ.get("PORTAL_DEMO_PASSWORD", DEFAULT_PASSWORD)
        User = get_user_model()
        rows = []
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(password)
            admin.save()
        rows.append(("admin", "superuser", "semua instansi"))
        for agency in Agency.objects.order_by("slug"):
            roles = (
                ("pejabat", [OFFICIAL]),
                ("kepala", [HEAD]),
                ("petugas", [STAFF]),
                ("pengaduan", [STAFF, COMPLAINT_OFFICER]),
            )
            for role, groups in roles:
                username = f"{role}-{agency.slug}"
                user, created = User.objects.get_or_create(
                    username=username, defaults={"is_staff": True}
                )
                if created:
                    user.set_password(password)
                    user.save()
                user.groups.add(*Group.objects.filter(name__in=groups))
                AgencyMembership.objects.update_or_create(user=user, defaults={"agency": agency})
                rows.append((username, " + ".join(groups), agency.short_name))
        self.stdout.write(f"Akun demo (kata sandi untuk akun baru: {password}):")
        for username, role, scope in rows:
            self.stdout.write(f"  {username:<28} {role:<28} {scope}")

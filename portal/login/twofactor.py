"""The second factor of a staff sign-in (django-otp): a TOTP app, and one-time recovery codes.

With PORTAL_STAFF_2FA on (the production default) no staff account is signed in on its password
alone. The password step (`StaffAdminSite.login`) only remembers, in the session, who passed it
and for five minutes (`start`); the code step then signs the user in and marks the session as
verified by the device that accepted the code. A staff member without a confirmed TOTP device
enrols one only through a one-time enrolment link (portal.login.invitations): without it, the
password step leads to a page asking for one, and no key is shown. With the link, the user scans
a QR code (or types the key), confirms it with a code from the app and receives
RECOVERY_CODE_COUNT recovery codes, shown once, each usable once instead of a code. A pending
sign-in allows MAX_CODE_TRIES wrong codes, then the password must be typed again; the devices
also slow down wrong codes themselves (django-otp's throttling). A superuser resets a user's
devices with `manage.py reset_two_factor USERNAME`; they enrol again with a new link.
"""

from __future__ import annotations

import secrets
import time
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_KEY = "portal_login_pending"
PENDING_SECONDS = 300
MAX_CODE_TRIES = 5
RECOVERY_CODE_COUNT = 10
# Recovery codes: ten letters and digits that cannot be mistaken for one another.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
APP_DEVICE = "Aplikasi autentikator"
RECOVERY_DEVICE = "Kode pemulihan"


def required_for(user) -> bool:
    """Whether this account signs in with a second factor."""
    return settings.PORTAL_STAFF_2FA and (user.is_staff or user.is_superuser)


# ----------------------------------------------------------------- the pending sign-in


def start(request, user, next_url: str) -> None:
    """The password was right: remember the user for the code step (not signed in yet)."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
        "tries": 0,
    }


def pending_user(request):
    """The user who passed the password step in this session, if still within its time."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def pending(request) -> dict:
    return request.session[PENDING_KEY]


def count_wrong_code(request) -> bool:
    """Count one wrong code; False when the pending sign-in is now void."""
    state = request.session[PENDING_KEY]
    state["tries"] += 1
    request.session[PENDING_KEY] = state
    if state["tries"] >= MAX_CODE_TRIES:
        request.session.pop(PENDING_KEY, None)
        return False
    return True


def finish(request) -> None:
    request.session.pop(PENDING_KEY, None)


# ----------------------------------------------------------------- devices


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def manual_key(device: TOTPDevice) -> str:
    """The device key as typed into an app: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())[:32]


def verify(user, code: str):
    """The device that accepts `code`: the app's TOTP code, or an unused recovery code
    (which is used up). None when neither does."""
    code = normalise(code)
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit():
            for device in TOTPDevice.objects.devices_for_user(
                user, confirmed=True
            ).select_for_update():
                if device.verify_token(code):
                    return device
            return None
        for device in StaticDevice.objects.devices_for_user(
            user, confirmed=True
        ).select_for_update():
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def confirm(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm an enrolling device with a code from the app; returns the new recovery codes
    (shown once), replacing any earlier ones, or None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    code = normalise(code)
    if not code.isdigit() or not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@transaction.atomic
def reset(user) -> int:
    """Remove every second-factor device of the user (they enrol again with a new link)."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed

"""Enrolment by invitation: a staff account's first authenticator app is bound only through a
one-time link.

A right password never shows an app key: otherwise whoever learnt a new account's password first
would bind its second factor. A superuser makes the link in the admin (*Portal → Tautan
pendaftaran 2FA*) or an operator with `manage.py two_factor_invite USERNAME`; it is shown once or
emailed to the staff member. A link is valid VALID_FOR (24 hours) and binds one device once: the
device is confirmed and the invitation marked used in one transaction. Only the SHA-256 of the
link's 256-bit token is stored, so the table (or a backup of it) opens nothing. Opening the link
only remembers the invitation in the browser's session; the key is shown after the password of
the same account, so neither the link nor the password alone is enough (and a mail scanner that
follows the link uses nothing up). A new invitation voids the user's unused earlier ones and any
unconfirmed app key (which someone may have seen before), so the key shown is made for this
invitation. An account that already has an app gets no invitation: reset it first
(`manage.py reset_two_factor`). An emailed invitation's token is made when the email is composed,
so the outbox keeps no secret; a retried email carries a new link and voids the earlier one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.cases import mail
from portal.login import twofactor
from portal.models import EnrolmentInvitation

VALID_FOR = timedelta(hours=24)
SESSION_KEY = "portal_login_invitation"
MAIL = "portal.enrolment_invitation"
TOKEN_MAX_LENGTH = 64


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mint() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def link(token: str) -> str:
    """The address the staff member opens (absolute, from PORTAL_SITE_URL)."""
    return settings.SITE_URL + reverse("admin:login_invitation", args=[token])


def can_invite(user) -> bool:
    return user.is_active and (user.is_staff or user.is_superuser)


def _check(user) -> None:
    if not can_invite(user):
        raise ValidationError(
            _("Tautan pendaftaran hanya untuk akun staf yang aktif."), code="not_staff"
        )
    if twofactor.app_device(user) is not None:
        raise ValidationError(
            _(
                "Akun %(username)s sudah memiliki aplikasi autentikator. Atur ulang verifikasi "
                "dua langkahnya dulu jika ponselnya hilang."
            ),
            code="already_enrolled",
            params={"username": user.get_username()},
        )


def _create(*, user, by, now: datetime) -> tuple[EnrolmentInvitation, str]:
    _check(user)
    EnrolmentInvitation.objects.filter(user=user, used_at__isnull=True).delete()
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    token, digest = _mint()
    invitation = EnrolmentInvitation(
        user=user, created_by=by, created_at=now, expires_at=now + VALID_FOR, token_hash=digest
    )
    invitation.full_clean()
    invitation.save()
    return invitation, token


def invitation_create(*, user, by, now: datetime) -> tuple[EnrolmentInvitation, str]:
    """A new invitation for `user` and its token (shown once: only its digest is kept)."""
    with transaction.atomic():
        return _create(user=user, by=by, now=now)


def invitation_email(*, user, by, now: datetime) -> EnrolmentInvitation:
    """A new invitation emailed to `user` through the outbox (sent after the commit)."""
    if not user.email:
        raise ValidationError(
            _("Akun %(username)s tidak memiliki alamat email."),
            code="no_email",
            params={"username": user.get_username()},
        )
    with transaction.atomic():
        # The token made here is never sent: the email's own is made when it is composed.
        invitation, _token = _create(user=user, by=by, now=now)
        mail.queue(composer=MAIL, params={"invitation": invitation.pk}, now=now)
    return invitation


def compose_email(params: dict) -> EmailMessage | None:
    """The outbox's composer: a fresh token for a still valid invitation, in its email."""
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            EnrolmentInvitation.objects.select_for_update()
            .filter(pk=params["invitation"], used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if invitation is None:
            return None
        user = invitation.user
        if not user.email:
            return None
        token, invitation.token_hash = _mint()
        invitation.save(update_fields=["token_hash"])
    with translation.override(settings.LANGUAGE_CODE):
        expires = formats.date_format(timezone.localtime(invitation.expires_at), "j F Y H:i T")
        subject = _("Tautan pendaftaran verifikasi dua langkah — %(site)s") % {
            "site": settings.SITE_NAME
        }
        body = _(
            "Akun staf %(username)s di %(site)s wajib memakai verifikasi dua langkah.\n\n"
            "Buka tautan ini, masuk dengan kata sandi Anda, lalu pindai kode QR dengan "
            "aplikasi autentikator di ponsel Anda:\n\n%(link)s\n\n"
            "Tautan ini berlaku sampai %(expires)s dan hanya dapat dipakai sekali. Jangan "
            "teruskan email ini. Jika Anda tidak menunggu tautan ini, beri tahu administrator "
            "portal."
        ) % {
            "username": user.get_username(),
            "site": settings.SITE_NAME,
            "link": link(token),
            "expires": expires,
        }
    return EmailMessage(subject, body, to=[user.email])


# ----------------------------------------------------------------- the link in a session


def find(token: str, now: datetime) -> EnrolmentInvitation | None:
    """The valid (unused, unexpired) invitation of this token, if any."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        EnrolmentInvitation.objects.filter(
            token_hash=_digest(token), used_at__isnull=True, expires_at__gt=now
        )
        .select_related("user")
        .first()
    )


def remember(request, invitation: EnrolmentInvitation) -> None:
    request.session[SESSION_KEY] = invitation.pk


def held(request, user, now: datetime) -> EnrolmentInvitation | None:
    """The valid invitation this session opened, when it is `user`'s."""
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return EnrolmentInvitation.objects.filter(
        pk=pk, user=user, used_at__isnull=True, expires_at__gt=now
    ).first()


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


def enrolling_device(invitation: EnrolmentInvitation) -> TOTPDevice:
    """The unconfirmed app key made for this invitation, made once and kept until confirmed."""
    with transaction.atomic():
        invitation = EnrolmentInvitation.objects.select_for_update().get(pk=invitation.pk)
        device = None
        if invitation.device_id is not None:
            device = TOTPDevice.objects.filter(pk=invitation.device_id, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user_id=invitation.user_id, name=twofactor.APP_DEVICE, confirmed=False
            )
            invitation.device = device
            invitation.save(update_fields=["device"])
        return device


def invitation_accept(*, invitation: EnrolmentInvitation, code: str, now: datetime):
    """Bind the invitation's device with a code from the app: the new recovery codes, or None
    when the code is wrong. Raises ValidationError when the invitation is no longer valid (used
    meanwhile, expired, revoked)."""
    with transaction.atomic():
        current = (
            EnrolmentInvitation.objects.select_for_update()
            .filter(pk=invitation.pk, used_at__isnull=True, expires_at__gt=now)
            .exclude(device=None)
            .first()
        )
        if current is None:
            raise ValidationError(
                _("Tautan pendaftaran ini sudah tidak berlaku. Minta tautan baru."),
                code="invitation_void",
            )
        codes = twofactor.confirm(current.device, code)
        if codes is None:
            return None
        current.used_at = now
        current.save(update_fields=["used_at"])
        EnrolmentInvitation.objects.filter(user_id=current.user_id, used_at__isnull=True).delete()
        return codes

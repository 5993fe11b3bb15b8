"""The admin's sign-in forms: password (with its throttles) and the second factor."""

from __future__ import annotations

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.login import throttle
from portal.ratelimit import login_ip


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's username and password form; a try counted too often, for its username,
    from its address or with its password, must wait before it is checked
    (portal.login.throttle)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # AuthenticationForm sets the username's max_length after the field is built, so
        # nothing enforces it: a longer name would reach the lockout's database column
        # (255 characters; a 500 on PostgreSQL) before being refused.
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password") or ""
        address = login_ip(self.request) if self.request else None
        wait = throttle.wait_before_try(username, address, password)
        if wait is not None:
            raise ValidationError(
                WAIT_MESSAGES[wait.reason],
                code=f"{wait.reason}_throttled",
                params={"wait": _duration(wait.seconds)},
            )
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.record_failure(username, address, password)
            raise


WAIT_MESSAGES = {
    throttle.USERNAME: _(
        "Terlalu banyak percobaan masuk untuk nama pengguna ini. Demi keamanan, "
        "coba lagi dalam %(wait)s."
    ),
    throttle.ADDRESS: _(
        "Terlalu banyak percobaan masuk yang gagal dari jaringan Anda. Demi keamanan, "
        "coba lagi dalam %(wait)s."
    ),
    throttle.PASSWORD: _(
        "Kata sandi ini baru saja dicoba tanpa hasil pada banyak akun. Demi keamanan, coba lagi "
        "dalam %(wait)s. Jika ini kata sandi Anda, segera ganti setelah masuk."
    ),
}


def _duration(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)d detik", "%(n)d detik", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes}


class CodeForm(forms.Form):
    """The six-digit code of the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=32,
        help_text=_("Enam angka dari aplikasi autentikator, atau salah satu kode pemulihan."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Kode dari aplikasi"),
        max_length=12,
        help_text=_("Enam angka yang ditampilkan aplikasi untuk akun ini."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

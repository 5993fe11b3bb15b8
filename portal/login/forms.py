"""The admin's sign-in forms: password (with the per-username throttle) and the second factor."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.login import throttle
from portal.ratelimit import login_ip


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's username and password form; a username guessed too often from anywhere
    must wait before its next try (portal.login.throttle)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # AuthenticationForm sets the username's max_length after the field is built, so
        # nothing enforces it: a longer name would reach the lockout's database column
        # (255 characters; a 500 on PostgreSQL) before being refused.
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = login_ip(self.request) if self.request else None
        wait = throttle.wait_before_try(username, address)
        if wait:
            minutes, seconds = divmod(wait, 60)
            raise ValidationError(
                _(
                    "Terlalu banyak percobaan masuk untuk nama pengguna ini. Demi keamanan, "
                    "coba lagi dalam %(wait)s."
                ),
                code="username_throttled",
                params={
                    "wait": ngettext("%(n)d menit", "%(n)d menit", minutes + (seconds > 0))
                    % {"n": minutes + (seconds > 0)}
                    if wait >= 60
                    else ngettext("%(n)d detik", "%(n)d detik", wait) % {"n": wait}
                },
            )
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.record_failure(username)
            raise


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

"""The code step, the enrolment link and the enrolment step of a staff sign-in
(portal.login.twofactor, portal.login.invitations)."""

from __future__ import annotations

from functools import partial

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.middleware import is_verified

from portal.login import invitations, twofactor
from portal.login.forms import CodeForm, EnrolForm


def _context(request, site, **extra) -> dict:
    return {**site.each_context(request), "subtitle": None, **extra}


def _expired(request):
    messages.error(request, _("Waktu masuk habis atau terlalu banyak kode salah. Masuk lagi."))
    return redirect("admin:login")


def _sign_in(request, user, device):
    state = twofactor.pending(request)
    auth_login(request, user, backend=state["backend"])
    # As OTPMiddleware would have set them on the request's user, for the rest of this request.
    user.otp_device = None
    user.is_verified = partial(is_verified, user)
    otp_login(request, device)
    twofactor.finish(request)
    target = state["next"]
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    return target


@never_cache
@sensitive_post_parameters("code")
def code_step(request, site):
    user = twofactor.pending_user(request)
    if user is None:
        return _expired(request)
    if twofactor.app_device(user) is None:
        return redirect("admin:login_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user, form.cleaned_data["code"])
        if device is not None:
            return redirect(_sign_in(request, user, device))
        if not twofactor.count_wrong_code(request):
            return _expired(request)
        form.add_error("code", _("Kode salah atau sudah dipakai. Periksa jam ponsel Anda."))
    context = _context(request, site, title=_("Kode verifikasi"), form=form, username=user)
    return TemplateResponse(request, "admin/login_otp.html", context)


@never_cache
def invitation_step(request, site, token):
    """An enrolment link: remembered in this session, then the password of its account."""
    invitation = invitations.find(token, timezone.now())
    if invitation is None:
        context = _context(request, site, title=_("Tautan pendaftaran tidak berlaku"))
        return TemplateResponse(request, "admin/login_invitation_void.html", context, status=404)
    invitations.remember(request, invitation)
    user = twofactor.pending_user(request)
    if user is not None and user.pk == invitation.user_id:
        return redirect("admin:login_enrol")
    messages.info(
        request,
        _(
            "Tautan pendaftaran untuk akun %(username)s diterima. Masuk dengan kata sandi akun "
            "ini untuk mengaktifkan verifikasi dua langkah."
        )
        % {"username": invitation.user.get_username()},
    )
    return redirect("admin:login")


@never_cache
@sensitive_post_parameters("code")
def enrol_step(request, site):
    user = twofactor.pending_user(request)
    if user is None:
        return _expired(request)
    if twofactor.app_device(user) is not None:
        return redirect("admin:login_otp")
    invitation = invitations.held(request, user, timezone.now())
    if invitation is None:
        # The password alone never shows a key: the first app is bound through a link.
        context = _context(request, site, title=_("Minta tautan pendaftaran"), username=user)
        return TemplateResponse(request, "admin/login_enrol_needed.html", context)
    device = invitations.enrolling_device(invitation)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = invitations.invitation_accept(
                invitation=invitation, code=form.cleaned_data["code"], now=timezone.now()
            )
        except ValidationError as error:
            invitations.forget(request)
            messages.error(request, error.messages[0])
            return redirect("admin:login_enrol")
        if codes is not None:
            invitations.forget(request)
            device.refresh_from_db()
            target = _sign_in(request, user, device)
            context = _context(
                request, site, title=_("Kode pemulihan"), codes=codes, next_url=target
            )
            return TemplateResponse(request, "admin/login_recovery_codes.html", context)
        if not twofactor.count_wrong_code(request):
            return _expired(request)
        form.add_error("code", _("Kode salah. Periksa jam ponsel Anda dan coba kode berikutnya."))
    uri = device.config_url
    context = _context(
        request,
        site,
        title=_("Aktifkan verifikasi dua langkah"),
        form=form,
        username=user,
        otpauth_uri=uri,
        qr_data_uri=segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
        manual_key=twofactor.manual_key(device),
    )
    return TemplateResponse(request, "admin/login_enrol.html", context)

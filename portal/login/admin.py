"""Enrolment links in the admin: a superuser makes one for a staff member (shown once, or
emailed), sees which are still open, and deletes one to revoke it (portal.login.invitations)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.login import invitations
from portal.models import EnrolmentInvitation


class InvitationForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Akun staf"),
        queryset=get_user_model().objects.none(),
        help_text=gettext_lazy("Akun staf aktif yang belum memiliki aplikasi autentikator."),
    )
    send = forms.BooleanField(
        label=gettext_lazy("Kirim tautan ke alamat email akun ini"),
        required=False,
        help_text=gettext_lazy(
            "Tanpa centang, tautan ditampilkan sekali di halaman berikut untuk Anda serahkan "
            "sendiri kepada pemilik akun."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
            .exclude(Exists(enrolled))
            .order_by("username")
        )


@admin.register(EnrolmentInvitation)
class EnrolmentInvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at", "created_by"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__username"]
    fields = ["user", "created_by", "created_at", "expires_at", "used_at"]
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user, now = form.cleaned_data["user"], timezone.now()
            try:
                if form.cleaned_data["send"]:
                    invitations.invitation_email(user=user, by=request.user, now=now)
                else:
                    invitation, token = invitations.invitation_create(
                        user=user, by=request.user, now=now
                    )
                    return self._shown_once(request, invitation, token)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Tautan pendaftaran untuk %(username)s dikirim ke %(email)s.")
                    % {"username": user.get_username(), "email": user.email},
                )
                return redirect("admin:portal_enrolmentinvitation_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Buat tautan pendaftaran 2FA"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/portal/invitation_add.html", context)

    def _shown_once(self, request, invitation, token):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tautan pendaftaran 2FA"),
            "opts": self.opts,
            "invitation": invitation,
            "link": invitations.link(token),
        }
        # admin_view marks the page never cached: the link is shown here only.
        return TemplateResponse(request, "admin/portal/invitation_created.html", context)

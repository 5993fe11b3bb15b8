"""The admin site of the portal: a throttled password step, then the second factor.

With PORTAL_STAFF_2FA on, a right password does not sign the user in: `login` hands over to
the code step (`login/kode/`), or to enrolment (`login/daftar-2fa/`) for an account that has
no authenticator app yet (portal.login.twofactor), which shows a key only to a session that
opened the account's one-time enrolment link (`login/undangan-2fa/<token>/`,
portal.login.invitations). The admin asks for a session verified by a second factor. Off
(development and tests unless they turn it on), the password is enough.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from portal import params
from portal.login import twofactor, views
from portal.login.forms import StaffLoginForm


class PasswordStepView(LoginView):
    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.required_for(user):
            return super().form_valid(form)
        # Only a local next page (checked by LoginView), else the admin's index.
        twofactor.start(self.request, user, self.get_redirect_url() or reverse("admin:index"))
        step = "login_otp" if twofactor.app_device(user) else "login_enrol"
        return redirect(f"admin:{step}")


class StaffAdminSite(admin.AdminSite):
    login_form = StaffLoginForm

    def admin_view(self, view, cacheable=False):
        # Every list's filter values are checked before a query is built (portal.params).
        return super().admin_view(params.checks_admin_lookups(view), cacheable)

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not twofactor.required_for(request.user) or request.user.is_verified()

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        if request.method == "GET" and self.has_permission(request):
            return redirect("admin:index")
        context = {
            **self.each_context(request),
            "title": _("Masuk"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return PasswordStepView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template or "admin/login.html",
        )(request)

    def get_urls(self):
        return [
            path("login/kode/", views.code_step, {"site": self}, name="login_otp"),
            path("login/daftar-2fa/", views.enrol_step, {"site": self}, name="login_enrol"),
            path(
                "login/undangan-2fa/<str:token>/",
                views.invitation_step,
                {"site": self},
                name="login_invitation",
            ),
        ] + super().get_urls()

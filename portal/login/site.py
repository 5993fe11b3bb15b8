"""The admin site of the portal: the password step is throttled per username."""

from django.contrib import admin

from portal.login.forms import StaffLoginForm


class StaffAdminSite(admin.AdminSite):
    login_form = StaffLoginForm

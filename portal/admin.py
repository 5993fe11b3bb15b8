"""The log of access to personal data, read-only for those allowed to see it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

import portal.login.admin  # noqa: F401  (registers the enrolment links)
from portal.admin_scoping import user_agency_id
from portal.models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Who looked at which case's personal data, when, through which route, and whether the
    identity was shown ("identitas") or withheld ("tanpa identitas"). Nobody may add, change
    or delete a row here; `portal.view_personaldataaccess` shows the rows (the superuser: all;
    the agency's head: their agency's)."""

    list_display = ["at", "user", "case_number", "what", "shown", "detail"]
    list_filter = ["what", "identity_shown"]
    search_fields = ["case_number", "user__username"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    fields = ["at", "user", "case_number", "case_type", "case_id", "what", "shown", "detail"]
    readonly_fields = fields

    @admin.display(description=_("yang ditampilkan"), ordering="identity_shown")
    def shown(self, obj):
        return obj.shown_label()

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return (
            rows.filter(agency_id=user_agency_id(request))
            if user_agency_id(request)
            else rows.none()
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

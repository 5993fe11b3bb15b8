"""The log of access to personal data, read-only for those allowed to see it."""

from django.contrib import admin

from portal.admin_scoping import user_agency_id
import portal.login.admin  # noqa: F401  (registers the enrolment links)
from portal.models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Who looked at which case's personal data, when. Nobody may add, change or delete a row
    here; `portal.view_personaldataaccess` shows the rows (the superuser: all; the agency's
    head: their agency's)."""

    list_display = ["at", "user", "case_number", "what", "detail"]
    list_filter = ["what"]
    search_fields = ["case_number", "user__username"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    fields = ["at", "user", "case_number", "case_type", "case_id", "what", "detail"]
    readonly_fields = fields

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

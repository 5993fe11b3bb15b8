"""Admin classes that keep each staff member inside their own agency.

A superuser sees everything. Any other staff user sees, edits and chooses only rows of the
agency of their AgencyMembership; without a membership they see nothing. Scoping is applied to
the changelist, to every object URL (a row of another agency is a 404, not a 403, so its
existence is not revealed), and to foreign-key choices.

The agency model is never named here: it is the model at the end of each admin's
`agency_path` (the model itself for "pk"), so the portal imports no app and names none.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path


def user_agency_id(request) -> int | None:
    return agency_id_of(request.user)


def agency_id_of(user) -> int | None:
    membership = getattr(user, "membership", None)
    return membership.agency_id if membership else None


def may_work_for(user, agency_id: int) -> bool:
    """Whether `user` may be given a case of the agency: its own staff, or a superuser."""
    return user.is_superuser or agency_id_of(user) == agency_id


class AgencyScopedAdmin(admin.ModelAdmin):
    # The ORM path from this model to its agency, e.g. "agency" or "standard__agency"; "pk"
    # for the agencies themselves.
    agency_path = "agency"

    def agency_model(self) -> type:
        """The model of the agencies this admin's rows belong to: where `agency_path` ends."""
        if self.agency_path == "pk":
            return self.model
        return get_fields_from_path(self.model, self.agency_path)[-1].related_model

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        agency_id = user_agency_id(request)
        if agency_id is None:
            return qs.none()
        lookup = "pk" if self.agency_path == "pk" else f"{self.agency_path}_id"
        return qs.filter(**{lookup: agency_id})

    def get_list_filter(self, request):
        # One agency only: a filter by agency would just list the others' names.
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [f for f in filters if f != "agency"]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if request.user.is_superuser:
            return columns
        return [c for c in columns if c != "agency"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or formfield is None:
            return formfield
        agency_id = user_agency_id(request)
        model = db_field.related_model
        if model is self.agency_model():
            formfield.queryset = formfield.queryset.filter(pk=agency_id)
        elif any(f.name == "agency" for f in model._meta.fields):
            formfield.queryset = formfield.queryset.filter(agency_id=agency_id)
        return formfield

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and self.agency_path == "agency" and not change:
            obj.agency_id = user_agency_id(request)
        super().save_model(request, obj, form, change)


class AgencyScopedInline:
    """Mixin for inlines whose foreign keys must be limited to the user's agency."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or formfield is None:
            return formfield
        model = db_field.related_model
        if any(f.name == "agency" for f in model._meta.fields):
            formfield.queryset = formfield.queryset.filter(agency_id=user_agency_id(request))
        return formfield

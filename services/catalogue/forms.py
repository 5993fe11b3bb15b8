"""The catalogue's search form."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.caching import catalogue_version
from services.catalogue.models.agencies import Agency
from services.catalogue.search import TIME_BUCKETS


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari layanan"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "placeholder": _("mis. kantor cabang, halal, konsultasi"),
            }
        ),
    )
    agency = forms.ChoiceField(
        label=_("Instansi"),
        required=False,
        # Read only when the select is rendered or a chosen agency is checked.
        choices=lambda: (
            [("", _("Semua instansi"))]
            + list(Agency.objects.order_by("name").values_list("slug", "short_name"))
        ),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    fee = forms.ChoiceField(
        label=_("Biaya"),
        required=False,
        choices=[("", _("Semua")), ("gratis", _("Gratis")), ("berbayar", _("Berbayar"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    time = forms.ChoiceField(
        label=_("Waktu penyelesaian"),
        required=False,
        choices=[("", _("Semua"))] + [(k, v[0]) for k, v in TIME_BUCKETS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filters_key(self) -> str:
        """The fragment-cache key of the three selects as shown, or "" when it can't be shared."""
        if self.is_bound and not self.is_valid():
            return ""
        data = self.cleaned_data if self.is_bound else {}
        values = [data.get(name) or "" for name in ("agency", "fee", "time")]
        return ":".join([str(catalogue_version()), get_language(), *values])


class SharedFields(dict):
    """A form's fields that no instance changes: each form gets the same field objects
    (Django copies them deeply for every form, which for the search costs more than the
    search's own query)."""

    def __deepcopy__(self, memo):
        return dict(self)


# Nothing changes the search form's fields per visitor (no per-request choices, attributes or
# requirements): they are shared (tests/services/catalogue/test_views.py checks nothing carries
# over).
ServiceSearchForm.base_fields = SharedFields(ServiceSearchForm.base_fields)

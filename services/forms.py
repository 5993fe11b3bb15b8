from django import forms
from django.utils.translation import gettext_lazy as _

from services.models import Agency
from services.selectors import TIME_BUCKETS


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
        label=_("Instansi"), required=False, widget=forms.Select(attrs={"class": "form-select"})
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Semua instansi"))] + list(
            Agency.objects.order_by("name").values_list("slug", "short_name")
        )

"""The fourteen components of a service standard (PermenPANRB 15/2014).

Each component has a stable key, a label as the regulation words it, and a group: six on
service delivery (penyampaian pelayanan) and eight on management (pengelolaan pelayanan).
The order of `COMPONENTS` is the order in which a standard is shown and printed.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class Group(models.TextChoices):
    DELIVERY = "delivery", _("Komponen Penyampaian Pelayanan")
    MANAGEMENT = "management", _("Komponen Pengelolaan Pelayanan")


class Component(models.TextChoices):
    REQUIREMENTS = "requirements", "Persyaratan"
    PROCEDURE = "procedure", "Sistem, Mekanisme dan Prosedur"
    TIMEFRAME = "timeframe", "Jangka Waktu Pelayanan"
    FEE = "fee", "Biaya/Tarif"
    PRODUCT = "product", "Produk Pelayanan"
    COMPLAINTS = "complaints", "Penanganan Pengaduan, Saran dan Masukan"
    LEGAL_BASIS = "legal_basis", "Dasar Hukum"
    FACILITIES = "facilities", "Sarana, Prasarana dan/atau Fasilitas"
    COMPETENCE = "competence", "Kompetensi Pelaksana"
    SUPERVISION = "supervision", "Pengawasan Internal"
    STAFF_COUNT = "staff_count", "Jumlah Pelaksana"
    SERVICE_GUARANTEE = "service_guarantee", "Jaminan Pelayanan"
    SECURITY_GUARANTEE = "security_guarantee", "Jaminan Keamanan dan Keselamatan Pelayanan"
    EVALUATION = "evaluation", "Evaluasi Kinerja Pelaksana"


@dataclass(frozen=True)
class ComponentInfo:
    key: str
    label: str
    group: str


COMPONENTS: tuple[ComponentInfo, ...] = tuple(
    ComponentInfo(
        key=c.value,
        label=c.label,
        group=Group.DELIVERY if i < 6 else Group.MANAGEMENT,
    )
    for i, c in enumerate(Component)
)

# The labels for makemessages: web pages show them in the reader's language
# (`{% translate component.label %}`); PDF sheets keep the regulation's words.
LABELS_FOR_TRANSLATION = (
    gettext_noop("Persyaratan"),
    gettext_noop("Sistem, Mekanisme dan Prosedur"),
    gettext_noop("Jangka Waktu Pelayanan"),
    gettext_noop("Biaya/Tarif"),
    gettext_noop("Produk Pelayanan"),
    gettext_noop("Penanganan Pengaduan, Saran dan Masukan"),
    gettext_noop("Dasar Hukum"),
    gettext_noop("Sarana, Prasarana dan/atau Fasilitas"),
    gettext_noop("Kompetensi Pelaksana"),
    gettext_noop("Pengawasan Internal"),
    gettext_noop("Jumlah Pelaksana"),
    gettext_noop("Jaminan Pelayanan"),
    gettext_noop("Jaminan Keamanan dan Keselamatan Pelayanan"),
    gettext_noop("Evaluasi Kinerja Pelaksana"),
)

# Components whose content is a list of plain text items (with optional headings).
TEXT_COMPONENTS: tuple[str, ...] = (
    Component.PRODUCT,
    Component.COMPLAINTS,
    Component.FACILITIES,
    Component.COMPETENCE,
    Component.SUPERVISION,
    Component.SERVICE_GUARANTEE,
    Component.SECURITY_GUARANTEE,
    Component.EVALUATION,
)

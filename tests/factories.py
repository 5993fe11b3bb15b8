"""Test data: users of an agency, applicants, and cases made through the real actions.

Requests and complaints are built by `request_submit` and `complaint_submit`, never as bare
rows, so their number, deadline, access code and history are the ones the portal gives. A case
made with `received_at` and no `now` is submitted at that moment: it does not read the clock.
"""

import factory
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import actions as complaint_actions
from complaints.models import Complaint, ComplaintChannelKind
from services.catalogue.versions import standard_publish
from services.models import Agency, AgencyMembership, Channel, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from services.roles import COMPLAINT_OFFICER, HEAD, OFFICIAL, STAFF
from tests.pdfs import PDF

# Pasuruan's "Pendataan Potensi Pengembangan Usaha": 5 Hari Kerja, five document requirements.
DEFAULT_SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")
DEFAULT_COMPLAINT_AGENCY = "musi-banyuasin"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"petugas{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.go.id")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji-123")

    @factory.post_generation
    def save_after(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def official(agency, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=OFFICIAL))
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def head_of_agency(agency, **kwargs):
    """The agency's Kepala Dinas: approves and publishes its standards' drafts."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=HEAD))
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def publish(standard: ServiceStandard, *, reason="Perubahan uji", now=None, valid_from=None):
    """Publish the standard's draft as its next version, approved by a new head of agency."""
    now = now or timezone.now()
    return standard_publish(
        standard=standard,
        actor=head_of_agency(standard.agency),
        reason=reason,
        valid_from=valid_from or timezone.localdate(now),
        now=now,
    )


def staff_member(agency, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=STAFF))
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def complaint_officer(agency, **kwargs):
    user = staff_member(agency, **kwargs)
    user.groups.add(Group.objects.get(name=COMPLAINT_OFFICER))
    return user


# An applicant as the intake form cleans it (NIK checked, phone in +62 form).
APPLICANT = {
    "applicant_name": "Budi",
    "nik": "1606011505900001",
    "phone": "+6281234567890",
    "email": "",
    "organisation": "",
    "message": "",
}


class ApplicantFactory(factory.DictFactory):
    """An applicant as the intake form cleans it: a NIK that passes portal.identity.validate_nik
    (Sidoarjo 35.14.04, day 1-28, month 1-12, born '90, serial never 0000) and a +62 phone."""

    applicant_name = factory.Sequence(lambda n: f"Pemohon {n}")
    nik = factory.Sequence(lambda n: f"351404{n % 28 + 1:02d}{n % 12 + 1:02d}90{n % 9999 + 1:04d}")
    phone = factory.Sequence(lambda n: f"+62812{n % 10**8:08d}")
    email = ""
    organisation = ""
    message = ""


class ComplainantFactory(factory.DictFactory):
    """What complaint_submit takes as `details`: who complains, what fell short, the remedy."""

    complainant_name = "Ahmad Rahasia"
    phone = "+6281211112222"
    email = "ahmad@contoh.id"
    address = ""
    confidential = False
    shortfall = "Tidak dilayani"
    loss = ""
    remedy = "Dilayani"
    standard = None
    service_request = None


def default_standard() -> ServiceStandard:
    agency, slug = DEFAULT_SERVICE
    return ServiceStandard.objects.get(agency__slug=agency, slug=slug)


def documents_for(standard: ServiceStandard) -> dict:
    """A small PDF for every requirement of the standard that asks for a document."""
    return {
        r.pk: SimpleUploadedFile(f"dok{r.pk}.pdf", PDF)
        for r in standard.requirements.filter(document=True)
    }


class RequestFactory(factory.Factory):
    """A request submitted through services.requests.actions.request_submit.

    Returns the ServiceRequest; the access code the applicant was given is on `.access_code`.
    """

    class Meta:
        model = ServiceRequest

    standard = factory.LazyFunction(default_standard)
    applicant = factory.SubFactory(ApplicantFactory)
    documents = factory.LazyFunction(dict)
    received_at = None
    now = factory.LazyAttribute(lambda o: o.received_at or timezone.now())
    channel = Channel.ONLINE
    actor = None
    submission_key = None
    binding = ""

    @classmethod
    def _create(cls, model_class, **kwargs):
        request, code = request_actions.request_submit(**kwargs)
        request.access_code = code
        return request

    _build = _create


class ComplaintFactory(factory.Factory):
    """A complaint submitted through complaints.actions.complaint_submit.

    Returns the Complaint; the complainant's access code is on `.access_code`.
    """

    class Meta:
        model = Complaint

    agency = factory.LazyFunction(lambda: Agency.objects.get(slug=DEFAULT_COMPLAINT_AGENCY))
    details = factory.SubFactory(ComplainantFactory)
    evidence = factory.LazyFunction(list)
    received_at = None
    now = factory.LazyAttribute(lambda o: o.received_at or timezone.now())
    channel = ComplaintChannelKind.PORTAL
    actor = None
    submission_key = None
    binding = ""

    @classmethod
    def _create(cls, model_class, **kwargs):
        complaint, code = complaint_actions.complaint_submit(**kwargs)
        complaint.access_code = code
        return complaint

    _build = _create


def _given(**kwargs) -> dict:
    return {key: value for key, value in kwargs.items() if value is not None}


def make_request(
    standard: ServiceStandard | None = None,
    *,
    received_at=None,
    now=None,
    documents: dict | None = None,
    channel: str | None = None,
    actor=None,
    submission_key=None,
    binding=None,
    **applicant,
) -> ServiceRequest:
    """A submitted request; keyword arguments not named here change the applicant
    (`make_request(email="siti@contoh.id")`)."""
    return RequestFactory(
        applicant=ApplicantFactory(**applicant),
        **_given(
            standard=standard,
            received_at=received_at,
            now=now,
            documents=documents,
            channel=channel,
            actor=actor,
            submission_key=submission_key,
            binding=binding,
        ),
    )


def make_complaint(
    agency: Agency | str | None = None,
    *,
    received_at=None,
    now=None,
    evidence: list | None = None,
    channel: str | None = None,
    actor=None,
    submission_key=None,
    binding=None,
    **details,
) -> Complaint:
    """A submitted complaint; `agency` is an Agency or its slug, keyword arguments not named
    here change the details (`make_complaint(confidential=True)`)."""
    if isinstance(agency, str):
        agency = Agency.objects.get(slug=agency)
    return ComplaintFactory(
        details=ComplainantFactory(**details),
        **_given(
            agency=agency,
            received_at=received_at,
            now=now,
            evidence=evidence,
            channel=channel,
            actor=actor,
            submission_key=submission_key,
            binding=binding,
        ),
    )

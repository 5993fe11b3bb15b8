import factory
from django.contrib.auth.models import Group, User

from services.models import AgencyMembership
from services.roles import OFFICIAL


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


def staff_member(agency, **kwargs):
    from services.roles import STAFF

    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=STAFF))
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def complaint_officer(agency, **kwargs):
    from services.roles import COMPLAINT_OFFICER

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

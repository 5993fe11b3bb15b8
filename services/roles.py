"""The staff roles, as groups with model permissions, kept in step after every migrate.

- Pejabat (officials) maintain their agency's standards: agency details, channels, calendar,
  standards and their components, regulations.
- Kepala Dinas (head of agency) does what an official does and may approve: publishing a
  standard's draft as a new version needs `services.publish_standardversion`; they also read
  the log of staff access to personal data of their agency (`portal.view_personaldataaccess`).
- Petugas (staff) read the catalogue and work the agency's requests.
Which agency a user acts for comes from AgencyMembership; the admin scopes every list to it.
"""

from django.contrib.auth.models import Group, Permission

OFFICIAL = "Pejabat standar pelayanan"
STAFF = "Petugas layanan"
COMPLAINT_OFFICER = "Pejabat pengelola pengaduan"
HEAD = "Kepala Dinas"

CATALOGUE_MODELS = [
    "servicestandard",
    "requirement",
    "proceduregroup",
    "procedurestep",
    "legalreference",
    "componentitem",
    "timeframestage",
]
COMPLAINT_PERMISSIONS = [
    "complaints.view_complaint",
    "complaints.add_complaint",
    "complaints.change_complaint",
    "complaints.view_complaintevidence",
    "complaints.view_complaintevent",
]
CASE_PERMISSIONS = [
    "services.view_servicerequest",
    "services.add_servicerequest",
    "services.change_servicerequest",
    "services.view_requestdocument",
    "services.view_requestevent",
]
# Paper questionnaires are entered by staff; officials also record the follow-up and print the
# survey and performance reports.
SURVEY_PERMISSIONS = ["services.view_surveyresponse", "services.add_surveyresponse"]
FOLLOW_UP_PERMISSIONS = [
    f"services.{action}_surveyfollowup" for action in ("view", "add", "change", "delete")
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    OFFICIAL: [
        f"services.{action}_{model}"
        for model in CATALOGUE_MODELS
        for action in ("view", "add", "change", "delete")
    ]
    + [
        "services.view_agency",
        "services.change_agency",
        "services.view_decree",
        "services.change_decree",
        "services.view_complaintchannel",
        "services.add_complaintchannel",
        "services.change_complaintchannel",
        "services.delete_complaintchannel",
        "services.view_agencyclosure",
        "services.add_agencyclosure",
        "services.change_agencyclosure",
        "services.delete_agencyclosure",
        "services.view_officehours",
        "services.add_officehours",
        "services.change_officehours",
        "services.delete_officehours",
        "services.view_regulation",
        "services.add_regulation",
        "services.change_regulation",
        "complaints.view_complainttier",
        "complaints.change_complainttier",
        "services.view_standardversion",
    ]
    + SURVEY_PERMISSIONS
    + FOLLOW_UP_PERMISSIONS,
    STAFF: [f"services.view_{model}" for model in [*CATALOGUE_MODELS, "standardversion"]]
    + ["services.view_agency", "services.view_regulation", "services.view_agencyclosure"]
    + CASE_PERMISSIONS
    + COMPLAINT_PERMISSIONS
    + SURVEY_PERMISSIONS,
    # The complaint officer sees confidential complainants' identities; combine with
    # Petugas layanan for the rest.
    COMPLAINT_OFFICER: COMPLAINT_PERMISSIONS + ["complaints.view_confidential_identity"],
}


ROLE_PERMISSIONS[HEAD] = ROLE_PERMISSIONS[OFFICIAL] + [
    "services.publish_standardversion",
    "portal.view_personaldataaccess",
]


def ensure_roles(**kwargs) -> None:
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted += list(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.add(*wanted)

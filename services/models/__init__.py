from services.catalogue.models.agencies import (
    Agency,
    AgencyClosure,
    AgencyMembership,
    ComplaintChannel,
    Decree,
    OfficeHours,
)
from services.catalogue.models.standards import (
    ComponentItem,
    LegalReference,
    ProcedureGroup,
    ProcedureStep,
    Regulation,
    Requirement,
    ServiceStandard,
    TimeframeStage,
)
from services.catalogue.models.versions import StandardVersion
from services.performance.models import AgencyPerformance
from services.requests.counts import RequestAgencyDayCount, RequestDayCount
from services.requests.models import (
    Channel,
    RequestDocument,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from services.survey.models import (
    AgeBand,
    Education,
    Gender,
    Occupation,
    SurveyChannel,
    SurveyFollowUp,
    SurveyImport,
    SurveyImportAgency,
    SurveyResponse,
)

__all__ = [
    "AgencyPerformance",
    "AgeBand",
    "Education",
    "Gender",
    "Occupation",
    "SurveyChannel",
    "SurveyFollowUp",
    "SurveyImport",
    "SurveyImportAgency",
    "SurveyResponse",
    "Channel",
    "RequestAgencyDayCount",
    "RequestDayCount",
    "RequestDocument",
    "RequestEvent",
    "RequestStatus",
    "ServiceRequest",
    "Agency",
    "AgencyClosure",
    "AgencyMembership",
    "ComplaintChannel",
    "ComponentItem",
    "Decree",
    "LegalReference",
    "OfficeHours",
    "ProcedureGroup",
    "ProcedureStep",
    "Regulation",
    "Requirement",
    "ServiceStandard",
    "StandardVersion",
    "TimeframeStage",
]

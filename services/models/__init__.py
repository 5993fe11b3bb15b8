from services.models.agencies import (
    Agency,
    AgencyClosure,
    AgencyMembership,
    ComplaintChannel,
    Decree,
    OfficeHours,
)
from services.models.counts import RequestAgencyDayCount, RequestDayCount
from services.models.requests import (
    Channel,
    RequestDocument,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from services.models.standards import (
    ComponentItem,
    LegalReference,
    ProcedureGroup,
    ProcedureStep,
    Regulation,
    Requirement,
    ServiceStandard,
    TimeframeStage,
)
from services.models.survey import (
    AgeBand,
    Education,
    Gender,
    Occupation,
    SurveyChannel,
    SurveyFollowUp,
    SurveyResponse,
)
from services.models.versions import StandardVersion

__all__ = [
    "AgeBand",
    "Education",
    "Gender",
    "Occupation",
    "SurveyChannel",
    "SurveyFollowUp",
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

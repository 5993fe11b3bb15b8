from services.models.agencies import (
    Agency,
    AgencyClosure,
    AgencyMembership,
    ComplaintChannel,
    Decree,
    OfficeHours,
)
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

__all__ = [
    "Channel",
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
    "TimeframeStage",
]

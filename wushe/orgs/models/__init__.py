"""Social organisations and what the district does with them: filing and registration,
status history, ratings, brand projects, incubation and capacity assessment."""

from wushe.orgs.models.agreement import AgreementPurpose, ProcessingAgreement
from wushe.orgs.models.capacity import AREAS, CapacityAssessment
from wushe.orgs.models.incubation import (
    FollowUpKind,
    Incubation,
    IncubationFollowUp,
    IncubationIssue,
    IncubationStage,
)
from wushe.orgs.models.organisation import (
    BrandProject,
    Category,
    LegalForm,
    OrgHonour,
    OrgMember,
    OrgStatus,
    Rating,
    SocialOrganization,
    StatusChange,
)

__all__ = [
    "AREAS", "AgreementPurpose", "BrandProject", "CapacityAssessment", "Category",
    "FollowUpKind", "Incubation", "IncubationFollowUp", "IncubationIssue", "IncubationStage",
    "LegalForm", "OrgHonour", "OrgMember", "OrgStatus", "ProcessingAgreement", "Rating",
    "SocialOrganization", "StatusChange",
]

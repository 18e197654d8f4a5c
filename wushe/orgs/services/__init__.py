"""Every write of the organisations app (see each module)."""

from wushe.orgs.services.agreement import agreement_document_read, agreement_record
from wushe.orgs.services.capacity import assessment_record
from wushe.orgs.services.incubation import (
    follow_up_record,
    incubation_advance,
    incubation_start,
    incubation_update,
    issue_record,
    issue_resolve,
)
from wushe.orgs.services.organisation import (
    org_contact_unmask,
    org_create,
    org_eliminate_by_evaluation,
    org_transition,
    org_update,
)
from wushe.orgs.services.rating import rating_award
from wushe.orgs.services.roster import (
    honour_add,
    member_add,
    member_remove,
    project_add,
    project_update,
)

__all__ = [
    "agreement_document_read", "agreement_record", "assessment_record",
    "follow_up_record",
    "honour_add", "incubation_advance", "incubation_start", "incubation_update", "issue_record",
    "issue_resolve", "member_add", "member_remove", "org_contact_unmask", "org_create",
    "org_eliminate_by_evaluation", "org_transition", "org_update", "project_add",
    "project_update", "rating_award",
]

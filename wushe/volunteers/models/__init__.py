"""Volunteer teams (志愿服务总队 → 支队/分队 → 小队) and everything that hangs off them."""

from wushe.volunteers.models.activities import (
    LIVE_STATES,
    Activity,
    ActivityKind,
    ActivityStatus,
    SignUp,
    SignUpStatus,
    TargetGroup,
)
from wushe.volunteers.models.certificates import Certificate, Pairing, PairingStatus, VisitLog
from wushe.volunteers.models.records import (
    MAX_HOURS_PER_DAY,
    CorrectionRequest,
    CorrectionStatus,
    ImmutableRecord,
    RecordStatus,
    ServiceRecord,
)
from wushe.volunteers.models.teams import (
    CHILD_LEVEL,
    LEVEL_DEPTH,
    SEGMENT,
    Membership,
    Team,
    TeamLevel,
    ancestor_paths,
)
from wushe.volunteers.models.volunteers import (
    ApplicationStatus,
    Availability,
    ServiceArea,
    Volunteer,
    VolunteerApplication,
    VolunteerStatus,
    join_tags,
    split_tags,
)

__all__ = [
    "CHILD_LEVEL", "LEVEL_DEPTH", "LIVE_STATES", "MAX_HOURS_PER_DAY", "SEGMENT", "Activity",
    "ActivityKind", "ActivityStatus", "ApplicationStatus", "Availability", "Certificate",
    "CorrectionRequest", "CorrectionStatus", "ImmutableRecord", "Membership",
    "Pairing", "PairingStatus", "RecordStatus", "ServiceArea", "ServiceRecord", "SignUp",
    "SignUpStatus", "TargetGroup", "Team", "TeamLevel", "Volunteer", "VolunteerApplication",
    "VolunteerStatus", "VisitLog", "ancestor_paths", "join_tags", "split_tags",
]

"""Every read of the volunteers app: scoped through volunteers.access, bounded queries."""

from wushe.volunteers.selectors.activities import (
    ActivityFilters,
    activities_open_to_me,
    activity_get,
    activity_list,
    month_calendar,
    my_signups,
    signup_get,
    signup_list,
)
from wushe.volunteers.selectors.certificates import (
    certificate_get,
    certificate_list,
    certificate_verify,
    pairing_get,
    pairing_list,
    visit_logs,
)
from wushe.volunteers.selectors.public import (
    public_community,
    public_regions,
    public_team,
    public_teams,
)
from wushe.volunteers.selectors.records import (
    RecordFilters,
    confirmation_queue,
    correction_request_get,
    correction_requests,
    my_correction_requests,
    record_get,
    record_list,
)
from wushe.volunteers.selectors.teams import (
    my_teams,
    team_ancestors,
    team_by_code,
    team_children,
    team_get,
    team_leaders,
    team_list,
    team_roots,
)
from wushe.volunteers.selectors.volunteers import (
    VolunteerFilters,
    annotate_stars,
    application_get,
    application_list,
    memberships,
    my_volunteer,
    team_members,
    volunteer_get,
    volunteer_list,
    volunteer_lookup,
    volunteer_page,
)

__all__ = [
    "ActivityFilters", "RecordFilters", "VolunteerFilters", "activities_open_to_me",
    "activity_get", "activity_list", "annotate_stars", "application_get", "application_list",
    "certificate_get", "certificate_list", "certificate_verify", "confirmation_queue",
    "correction_request_get", "correction_requests", "memberships", "month_calendar",
    "my_correction_requests", "my_signups", "my_teams", "my_volunteer", "pairing_get",
    "pairing_list", "public_community", "public_regions", "public_team", "public_teams",
    "record_get", "record_list", "signup_get", "signup_list", "team_ancestors",
    "team_by_code", "team_children", "team_get", "team_leaders", "team_list", "team_members",
    "team_roots", "visit_logs", "volunteer_get", "volunteer_list", "volunteer_lookup",
    "volunteer_page",
]

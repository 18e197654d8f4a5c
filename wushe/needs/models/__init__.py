"""Needs (点单, 问题清单, window, hotline, grid), the linkage to the five societies, and ideas."""

from wushe.needs.models.budget import (
    IdeaAllocation,
    IdeaBudget,
    IdeaPaperSupport,
    IdeaSupport,
)
from wushe.needs.models.idea import Idea, IdeaChannel, IdeaComment, IdeaState
from wushe.needs.models.need import (
    ACTIVE_ASSIGNMENT,
    Assignment,
    AssignmentRole,
    AssignmentState,
    CommonProblem,
    FollowUp,
    FollowUpMethod,
    Need,
    NeedEvent,
)
from wushe.needs.models.subscription import NeedSubscription

__all__ = [
    "ACTIVE_ASSIGNMENT", "Assignment", "AssignmentRole", "AssignmentState", "FollowUp",
    "FollowUpMethod", "Idea", "IdeaAllocation", "IdeaBudget", "IdeaPaperSupport",
    "CommonProblem", "IdeaSupport", "IdeaChannel", "IdeaComment", "IdeaState", "Need", "NeedEvent",
    "NeedSubscription",
]

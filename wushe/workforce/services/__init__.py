"""Every write of the workforce app (see each module)."""

from wushe.workforce.services.adjustments import (
    adjustment_approve,
    adjustment_propose,
    adjustment_record_procedure,
    adjustment_reject,
)
from wushe.workforce.services.community import (
    appraisal_record,
    community_worker_create,
    community_worker_regrade,
    community_worker_update,
)
from wushe.workforce.services.persons import (
    community_worker_register,
    social_worker_register,
)
from wushe.workforce.services.social import (
    social_worker_create,
    social_worker_update,
    training_record,
)

__all__ = [
    "adjustment_approve", "adjustment_propose", "adjustment_record_procedure",
    "adjustment_reject",
    "appraisal_record", "community_worker_create", "community_worker_regrade",
    "community_worker_register", "community_worker_update",
    "social_worker_create", "social_worker_register", "social_worker_update", "training_record",
]

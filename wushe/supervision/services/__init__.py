"""Every write of the supervision app (one @service per act; permission first, audit in the
same transaction)."""

from wushe.supervision.services.rectifications import rectification_add, rectification_close
from wushe.supervision.services.schedules import (
    generate_missing_schedules,
    schedule_generate,
)
from wushe.supervision.services.sessions import session_record
from wushe.supervision.services.visits import (
    supervision_miss,
    supervision_record,
    supervision_reschedule,
)

__all__ = ["generate_missing_schedules", "rectification_add", "rectification_close",
           "schedule_generate", "session_record", "supervision_miss", "supervision_record",
           "supervision_reschedule"]

"""Purchased social-work projects (see models/project.py) and their purchase (models/purchase.py)."""

from wushe.projects.models.project import (
    Domain,
    Outcome,
    ProjectEvent,
    ProjectIndicator,
    ProjectNeed,
    ServiceProject,
    Status,
)
from wushe.projects.models.purchase import (
    Contract,
    ContractTranche,
    Gate,
    ListStatus,
    Method,
    Payment,
    Procurement,
    PurchaseList,
)

__all__ = [
    "Contract", "ContractTranche", "Domain", "Gate", "ListStatus", "Method", "Outcome", "Payment",
    "Procurement", "ProjectEvent", "ProjectIndicator", "ProjectNeed", "PurchaseList",
    "ServiceProject", "Status",
]

"""Audit action codes of the projects app (app.model.verb)."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class ProjectsAction(StrEnum):
    PROJECT_CREATED = "projects.project.created"
    PROJECT_UPDATED = "projects.project.updated"
    PROJECT_NEEDS_ATTACHED = "projects.project.needs_attached"
    PROJECT_NEED_DETACHED = "projects.project.need_detached"
    PROJECT_LISTED = "projects.project.listed"
    PROJECT_PROCURED = "projects.project.procured"
    PROJECT_CONTRACTED = "projects.project.contracted"
    PROJECT_STARTED = "projects.project.started"
    PROJECT_EVALUATED = "projects.project.evaluated"
    PROJECT_CLOSED = "projects.project.closed"
    PROJECT_RENEWED = "projects.project.renewed"
    INDICATOR_SAVED = "projects.indicator.saved"
    LIST_CREATED = "projects.purchase_list.created"
    LIST_PUBLISHED = "projects.purchase_list.published"
    LIST_EXPORTED = "projects.purchase_list.exported"
    PAYMENT_MADE = "projects.payment.made"


register(ProjectsAction)

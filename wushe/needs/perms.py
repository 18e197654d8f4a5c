"""Which permission code each action of the needs and residents apps needs.

Every check in both apps goes through this table; the codes themselves are granted per role
in accounts/roles.py.

Codes we want (see the report): needs.view, needs.intake, needs.handle, needs.dispatch,
needs.supervise, needs.import, ideas.decide, residents.view, residents.manage,
residents.minors, residents.unmask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts import scope

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# --- needs -----------------------------------------------------------------------------------
NEED_VIEW = "needs.view"  # read needs in the region
NEED_INTAKE = "needs.intake"  # window / hotline / grid intake
NEED_HANDLE = "needs.handle"  # accept, decline, resolve, follow up …
NEED_DISPATCH = "needs.dispatch"  # dispatch and add assignees
NEED_SUPERVISE = "needs.supervise"  # escalation, extension, reopen
NEED_IMPORT = "needs.import"  # Excel import of offline lists
NEED_MENU = "needs.view"  # the demand menu and its export

# --- ideas (自治金点子) ------------------------------------------------------------------------
IDEA_VIEW = "needs.view"
IDEA_SUBMIT = "needs.intake"  # staff submitting on a resident's behalf
IDEA_COMMENT = "needs.view"  # anyone who sees the board may comment
IDEA_DECIDE = "ideas.decide"  # adopt or reject

# --- residents (care profiles and ledgers) --------------------------------------------------
CARE_VIEW = "residents.view"
CARE_MANAGE = "residents.manage"  # create, edit, close profiles; ledgers
CARE_UNMASK = "residents.unmask"  # see hardship / health / guardian details
# Records about minors: only roles that work with them (community and street staff, district
# admins; a social worker only when assigned).
CARE_MINORS = "residents.minors"


def covers(actor: Actor, perm: str, path: str) -> bool:
    return scope.covers(actor, perm, path)


def has(actor: Actor, perm: str) -> bool:
    return scope.has_perm(actor, perm)

# --- 自治金 (budget, support, allocation) ------------------------------------------------------
BUDGET_VIEW = "needs.view"
BUDGET_SET = "ideas.decide"  # checked over the street's path: street staff set a community's budget
SUPPORT_RECORD = "needs.intake"  # staff recording support collected on paper
IDEA_ALLOCATE = "ideas.decide"  # and charity.manage over the fund (the disbursement request)
